"""The scenario library's own machinery: --aoeh-seeds repeats a scenario per seed, and a failing
scenario leaves its pcap, event log and seed and prints a command that reproduces it exactly."""
import pathlib
import subprocess

import aoeh

SCENARIO = '''
import pytest

@pytest.mark.shelf(targets=1)
def test_fails_on_even_seeds(world, shelf, initiator):
    shelf[0].ports[0].link.loss(0.2)
    for k in range(10):
        initiator.write("e1.0", 8 * k, bytes([k]) * 4096)
    assert world.seed % 2 == 1, f"event_hash={world.event_hash:#x}"
'''


def test_seeds_artifacts_and_reproduce_command(pytester, tmp_path):
    pytester.makeconftest(pathlib.Path(__file__).with_name("conftest.py").read_text())
    pytester.makepyfile(test_scenario=SCENARIO)
    artifacts = tmp_path / "artifacts"
    run = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--aoeh-seed", "3", "--aoeh-seeds", "3",
                                        "--aoeh-artifacts", str(artifacts))
    run.assert_outcomes(passed=2, failed=1)  # seeds 3, 4, 5
    output = run.stdout.str()
    assert "test_fails_on_even_seeds[seed4]" in output

    (folder,) = [p for p in artifacts.iterdir() if p.is_dir()]
    assert "seed4" in folder.name
    assert (folder / "seed").read_text() == "4\n"
    frames = aoeh.read_pcap(str(folder / "capture.pcap"))
    assert len(frames) > 40 and all(f[12:14] == b"\x88\xa2" for _, f in frames)
    log = (folder / "events.log").read_text()
    assert "device_up e1.0" in log and "io_completed e1.0" in log

    command = (folder / "reproduce.sh").read_text().strip()
    assert f"reproduce: {command}" in " ".join(output.split()) or command in output
    assert "--aoeh-seed 4" in command
    hash_line = next(line for line in output.splitlines() if "event_hash=" in line and "AssertionError" in line)
    again = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=pytester.path, timeout=120)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "1 failed" in again.stdout
    assert hash_line.split("event_hash=")[1].split()[0] in again.stdout, "the rerun is the same run"
