"""Worlds from scenario JSON plans: World.from_plan() runs a plan exactly as `aoeh sim` does."""
import json
import pathlib
import subprocess

import pytest

aoeh = pytest.importorskip("aoeh")

PLANS = pathlib.Path(__file__).parent / "plans"


def test_same_seed_gives_the_cli_results(aoeh_bin, tmp_path):
    plan = PLANS / "resizing.json"
    seed = 7
    out = tmp_path / "cli"
    cli = subprocess.run([str(aoeh_bin), "sim", str(plan), "--seed", str(seed), "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode in (0, 1), cli.stderr
    expected = json.loads((out / "results.json").read_text())

    world = aoeh.World.from_plan(plan, seed=seed)
    assert world.seed == seed and world.name == "resizing"
    assert world.targets == ["e1.0", "e1.1", "e1.2"]
    result = world.run()
    assert result.seed == seed
    assert result.event_hash == expected["simulation"]["event_hash"]
    assert result.events == expected["simulation"]["events"]
    assert result.simulated * 1e9 == pytest.approx(expected["simulation"]["simulated_ns"])
    assert result.metrics == expected["metrics"]
    assert result.passed == (cli.returncode == 0)
    mine = result.to_dict()
    for key in ("passed", "expectations", "faults", "devices", "durability", "workload", "timeline"):
        assert mine[key] == expected[key], key
    # The faults the plan declares show their counters.
    assert [f["type"] for f in result.faults] == ["resize"] * 4


def test_a_different_seed_changes_the_event_log():
    plan = PLANS / "resizing.json"
    a = aoeh.World.from_plan(plan, seed=1).run(timeline=False)
    b = aoeh.World.from_plan(plan, seed=2).run(timeline=False)
    again = aoeh.World.from_plan(plan, seed=1).run(timeline=False)
    assert a.event_hash == again.event_hash and a.metrics == again.metrics
    assert a.event_hash != b.event_hash


def _small_plan():
    return {
        "name": "dict-plan",
        "seed": 3,
        "topology": {"paths": [{"name": "a"}], "targets": [{"address": "e1.0", "capacity": "1MiB"}],
                     "engine": {"dead_after": "5s", "rto_initial": "50ms"}},
        "faults": [{"type": "hang", "target": "e1.0", "at": "2s"}],
        "actions": [{"at": "2500ms", "do": "revalidate", "devices": ["e1.0"]}],
        "expect": [{"state": "down", "device": "e1.0", "by": "20s"}],
        "duration": "20s",
    }


def test_a_dict_plan_runs_and_its_expectations_are_judged(tmp_path):
    world = aoeh.World.from_plan(_small_plan())
    assert world.seed == 3 and world.faults == ["hang on e1.0"]
    result = world.run(pcap=str(tmp_path / "c.pcap"))
    assert result.passed, result.summary
    assert [e["passed"] for e in result.expectations] == [True]
    assert result.devices[0]["state"] == "down"
    assert result.frames_captured > 0 and (tmp_path / "c.pcap").stat().st_size > 24
    assert "summary" in result.summary
    result.write_json(str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text())["simulation"]["event_hash"] == result.event_hash

    # An expectation that cannot hold makes the run fail (the verdict is not hard-coded).
    plan = _small_plan()
    plan["expect"] = [{"state": "up", "device": "e1.0", "at": "19s"}]
    assert not aoeh.World.from_plan(plan).run().passed


@pytest.mark.parametrize("mutate, path", [
    (lambda p: p["faults"][0].update(target="e9.9"), "faults[0].target"),
    (lambda p: p["faults"][0].update(bogus=1), "faults[0].bogus"),
    (lambda p: p["topology"]["paths"][0].update(mtu="huge"), "topology.paths[0].mtu"),
])
def test_plan_errors_name_the_field(mutate, path):
    plan = _small_plan()
    mutate(plan)
    with pytest.raises(aoeh.PlanError) as e:
        aoeh.World.from_plan(plan)
    assert e.value.path == path
    assert path in str(e.value)
    assert isinstance(e.value, ValueError) and isinstance(e.value, aoeh.Error)


def test_missing_plan_file_is_a_plan_error(tmp_path):
    with pytest.raises(aoeh.PlanError) as e:
        aoeh.World.from_plan(tmp_path / "nope.json")
    assert e.value.path == ""
    with pytest.raises(TypeError):
        aoeh.World.from_plan(42)
    with pytest.raises(ValueError):
        aoeh.World.from_plan(_small_plan(), backend="bogus")


def test_plans_on_the_ns3_backend(aoeh_bin, tmp_path):
    reason = aoeh.PLAN_BACKENDS["ns3"]
    assert aoeh.PLAN_BACKENDS["sim"] == ""
    plan = _small_plan()
    if reason:
        with pytest.raises(aoeh.PlanError, match="ns3|ns-3"):
            aoeh.World.from_plan(plan, backend="ns3").run()
        pytest.skip(f"ns-3 backend unavailable: {reason}")
    world = aoeh.World.from_plan(plan, backend="ns3")
    assert world.backend == "ns3"
    a = world.run(timeline=False)
    assert a.passed, a.summary
    assert a.devices[0]["state"] == "down" and a.plan_name == "dict-plan" and a.seed == 3
    assert a.event_hash == aoeh.World.from_plan(plan, backend="ns3").run(timeline=False).event_hash
    # The same as `aoeh sim PLAN.json --backend ns3`.
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    cli = subprocess.run([str(aoeh_bin), "sim", str(tmp_path / "plan.json"), "--backend", "ns3", "--seed", "3",
                          "--out", str(tmp_path / "cli")], capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads((tmp_path / "cli" / "results.json").read_text())
    assert a.event_hash == expected["simulation"]["event_hash"] and a.metrics == expected["metrics"]
    # A link fault ns-3 cannot express is refused before anything runs, naming the fault.
    plan["faults"].append({"type": "duplicate", "link": "eth0", "probability": 0.5})
    with pytest.raises(aoeh.PlanError) as e:
        aoeh.World.from_plan(plan, backend="ns3").run()
    assert e.value.path == "faults[1]"


GIL_CHECK = r"""
import faulthandler, os, sys, threading, time
import aoeh
faulthandler.dump_traceback_later(120, exit=True)  # a run holding the GIL would deadlock below
fifo, plan = sys.argv[1], sys.argv[2]
os.mkfifo(fifo)
rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
out = {}
run = threading.Thread(target=lambda: out.update(r=aoeh.World.from_plan(plan, seed=1).run(pcap=fifo, timeline=False)))
run.start()
total = 0
while True:
    try:
        chunk = os.read(rfd, 1 << 16)
    except BlockingIOError:
        chunk = None
    if chunk:
        total += len(chunk)
    elif not run.is_alive():
        break
    else:
        time.sleep(0.001)  # nothing to read yet: the run (without the GIL) is producing frames
run.join()
print(total, out["r"].frames_captured)
"""


def test_a_plan_run_releases_the_gil(tmp_path):
    # The run writes its capture into a pipe this process drains from another thread: the pipe
    # holds 64 KiB, so a bigger capture completes only if Python code runs while the run does.
    import sys
    run = subprocess.run([sys.executable, "-c", GIL_CHECK, str(tmp_path / "fifo"), str(PLANS / "resizing.json")],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    total, frames = map(int, run.stdout.split())
    assert total > 4 * 65536 and frames > 100
