"""`aoeh certify` as a user runs it: the simulated shelf, defects, selection, run files, exit codes."""
import json
import subprocess
import xml.etree.ElementTree as ET


def certify(aoeh_bin, *args, cwd=None):
    return subprocess.run([str(aoeh_bin), "certify", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_reference_target_certifies_and_writes_the_run_files(aoeh_bin, tmp_path):
    out = tmp_path / "run"
    run = certify(aoeh_bin, "--sim", "--out", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "every MUST test passed" in run.stdout
    for name in ("results.json", "junit.xml", "capture.pcap"):
        assert (out / name).stat().st_size > 0, name
    results = json.loads((out / "results.json").read_text())
    assert results["schema"] == "aoeh-results"
    assert len(results["tests"]) >= 70
    assert results["device"]["address"] == "e1.1"
    assert results["safety"]["restore_verified"] is True
    verdicts = {t["name"]: t["verdict"] for t in results["tests"]}
    assert verdicts["AOE.Header.TagEchoed"] == "pass"
    assert verdicts["AOE.CachePower.SmartReturnStatus"] == "skip"
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert int(suite.get("tests")) == len(results["tests"])


def test_a_defect_fails_a_must_test_and_the_exit_code(aoeh_bin, tmp_path):
    run = certify(aoeh_bin, "--sim", "--defect", "wrong_tag_echo", "--tests", "AOE.Header.*", "--out", str(tmp_path),
                  "--json")
    assert run.returncode == 1, run.stdout + run.stderr
    summary = json.loads(run.stdout)
    failed = {r["name"] for r in summary["results"] if r["verdict"] == "fail"}
    assert "AOE.Header.TagEchoed" in failed


def test_baseline_marks_newly_failing_tests(aoeh_bin, tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    assert certify(aoeh_bin, "--sim", "--tests", "AOE.Header.*", "--out", str(good)).returncode == 0
    run = certify(aoeh_bin, "--sim", "--defect", "no_padding", "--tests", "AOE.Header.*", "--out", str(bad),
                  "--baseline", str(good / "results.json"), "--json")
    assert run.returncode == 0, run.stderr  # padding is a SHOULD
    assert json.loads(run.stdout)["newly_failing"] == ["AOE.Header.RepliesPadded"]


def test_default_run_directory_and_latest_link(aoeh_bin, tmp_path):
    run = certify(aoeh_bin, "--sim", "--tests", "AOE.Identify.*", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    latest = tmp_path / "reports" / "runs" / "latest"
    assert latest.is_symlink()
    assert (latest / "results.json").is_file()


def test_list_and_usage_errors(aoeh_bin):
    listed = certify(aoeh_bin, "--list", "--json")
    assert listed.returncode == 0
    tests = json.loads(listed.stdout)
    assert len(tests) >= 70 and all(t["name"].startswith("AOE.") for t in tests)
    assert certify(aoeh_bin, "--tests", "AOE.NoSuchArea.*").returncode == 2
    assert certify(aoeh_bin, "--sim", "--defect", "no_such_defect").returncode == 2
    assert certify(aoeh_bin, "--iface", "eth0").returncode == 2  # needs --target
    assert certify(aoeh_bin, "--sim", "--target", "e65535.255").returncode == 2
