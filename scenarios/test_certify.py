"""Certify from Python: the conformance suite's verdicts as objects, and its report writers."""
import json
import xml.etree.ElementTree as ET

import pytest

import aoeh


def test_the_simulated_reference_target_passes_every_must(tmp_path):
    r = aoeh.certify(select="AOE.*")
    assert r.passed and r.exit_code == 0
    musts = [t for t in r.tests if t.level == "MUST"]
    assert len(musts) > 50
    # n/a: tests of features the target does not claim (e.g. read-only behaviour of a writable disk).
    assert all(t.verdict in ("pass", "n/a") for t in musts), [(t.name, t.verdict) for t in musts if t.verdict != "pass"]
    assert sum(t.verdict == "pass" for t in musts) >= len(musts) - 2
    one = r.tests[0]
    assert one.name.startswith("AOE.") and one.clause
    assert any(t.evidence for t in r.tests)
    e = next(t for t in r.tests if t.evidence).evidence[0]
    assert set(e) >= {"sent", "time", "port", "hex", "note", "capture_index"}
    assert r.device["address"] == "e1.1"

    # The writers produce what `aoeh certify` writes.
    r.write_html(str(tmp_path / "report.html"))
    r.write_junit(str(tmp_path / "junit.xml"))
    r.write_json(str(tmp_path / "results.json"))
    r.write_pcap(str(tmp_path / "capture.pcap"))
    assert "<html" in (tmp_path / "report.html").read_text().lower()
    suite = ET.parse(tmp_path / "junit.xml").getroot()
    assert len(suite.findall(".//testcase")) == len(r)
    doc = json.loads((tmp_path / "results.json").read_text())
    assert len(doc["tests"]) == len(r)
    frames = aoeh.read_pcap(str(tmp_path / "capture.pcap"))
    assert len(frames) == r.frames_captured > 0
    html = r.write_all(str(tmp_path / "run"))
    assert html.endswith("report.html") and (tmp_path / "run" / "results.json").exists()


@pytest.mark.parametrize("defect, test", [
    ("mask_list_ignored", "AOE.MacMask.MaskedInitiatorIgnored"),
    ("wrong_tag_echo", "AOE.Header.TagEchoed"),
    ("no_idnf_beyond_end", "AOE.ReadWrite.ReadBeyondEndIdnf"),
])
def test_a_named_defect_fails_the_matching_test(defect, test):
    r = aoeh.certify(defect=defect)
    assert not r.passed and r.exit_code == 1
    assert test in {t.name for t in r.failures}, defect
    assert r[test].verdict == "fail" and r[test].level == "MUST" and r[test].message


def test_select_and_a_target_in_a_python_world():
    w = aoeh.World(seed=2)
    sw = w.add_switch("path0", mtu=9000)
    t = w.add_target("e2.3", ports=[sw], capacity=1 << 20, defects=["reservation_ignored"])
    r = aoeh.certify(t, select=["AOE.Reserve*"], allow_write=True)
    assert len(r) >= 1 and all(x.name.startswith("AOE.Reserve") for x in r)
    assert r.device["address"] == "e2.3"
    assert any(x.verdict == "fail" for x in r)
    clean = w.add_target("e2.4", ports=[sw], capacity=1 << 20)
    assert aoeh.certify(w, target="e2.4", select="AOE.Reserve*", allow_write=True).passed
    # Without allow_write, tests that change the target are skipped, not run.
    ro = aoeh.certify(clean, select="AOE.Read*")
    assert any(x.verdict == "skip" and x.writes for x in ro)


def test_certify_arguments_are_checked():
    with pytest.raises(ValueError, match="no conformance test matches"):
        aoeh.certify(select="NOPE.*")
    with pytest.raises(ValueError, match="unknown defect"):
        aoeh.certify(defect="bogus")
    with pytest.raises(ValueError, match="needs target"):
        aoeh.certify(aoeh.World())


def test_the_catalogue_lists_what_certify_runs():
    everything = aoeh.conformance_tests()
    assert len(everything) == len(aoeh.certify()) and len({t["name"] for t in everything}) == len(everything)
    headers = aoeh.conformance_tests("AOE.Header.*")
    assert headers and all(t["area"] == "Header" and t["level"] in ("MUST", "SHOULD", "MAY") for t in headers)
    assert [t["name"] for t in headers] == [t.name for t in aoeh.certify(select="AOE.Header.*")]
    with pytest.raises(ValueError):
        aoeh.conformance_tests("NOPE")
