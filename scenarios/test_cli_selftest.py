"""The aoeh binary's protocol self-check, driven as a user would run it."""
import subprocess


def test_selftest_round_trips_every_frame_kind(aoeh_bin):
    run = subprocess.run([str(aoeh_bin), "selftest"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == "9 passed, 0 failed"
    assert not any("FAIL" in line for line in lines)


def test_unknown_subcommand_is_a_usage_error(aoeh_bin):
    run = subprocess.run([str(aoeh_bin), "no-such-command"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() != ""
