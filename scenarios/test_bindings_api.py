"""The aoeh module itself: errors, ownership, determinism, capture, event log, callbacks, GIL."""
import gc
import pathlib
import re

import pytest

import aoeh
from scenario_kit import pattern


def small_world(seed=1, loss=0.0):
    w = aoeh.World(seed=seed)
    sw = w.add_switch("path0")
    t = w.add_target("e1.0", ports=[sw], capacity=4096)
    i = w.add_initiator(ports=[sw])
    if loss:
        i.ports[0].link.loss(loss)
    i.wait_for(["e1.0"])
    return w, t, i


def test_bad_arguments_raise_value_error(world):
    sw = world.add_switch("s")
    with pytest.raises(ValueError, match="not an AoE device address"):
        world.add_target("x1", ports=[sw])
    with pytest.raises(ValueError, match="unknown defect 'nope'"):
        world.add_target("e1.0", ports=[sw], defects=["nope"])
    t = world.add_target("e1.0", ports=[sw])
    i = world.add_initiator(ports=[sw])
    i.wait_for(["e1.0"])
    with pytest.raises(ValueError, match="multiple of 512"):
        i.write("e1.0", 0, b"x" * 100)
    with pytest.raises(ValueError, match="must be bytes-like"):
        i.write("e1.0", 0, "text")
    with pytest.raises(ValueError, match="finite number of seconds"):
        world.run(duration=-1)
    with pytest.raises(ValueError, match="exactly one of"):
        world.run()
    with pytest.raises(ValueError, match="beyond the end"):
        t.read(t.capacity, 1)


def test_engine_refusals_and_timeouts_are_aoeh_errors():
    w, t, i = small_world()
    with pytest.raises(aoeh.SubmitError, match="beyond end of device") as refused:
        i.read("e1.0", 4095, 2)
    assert refused.value.reason == "beyond end of device"
    with pytest.raises(aoeh.Error, match="knows no device e9.9"):
        i.revalidate("e9.9")
    t.hang()
    with pytest.raises(aoeh.TimeoutError, match="did not complete within 5 s") as late:
        i.read("e1.0", 0, 1, timeout=5)
    assert isinstance(late.value, TimeoutError)  # also the builtin


def test_handles_keep_their_world_alive_and_requests_own_their_buffers():
    w, t, i = small_world()
    data = bytearray(pattern(1, "own", 8))
    expected = bytes(data)
    request = i.submit_write("e1.0", 8, data)
    data[:] = b"\0" * len(data)  # the request copied it
    del w, t
    gc.collect()
    assert request.result() is None and request.ok
    reader = i.submit_read("e1.0", 8, 8)
    del i
    gc.collect()
    assert reader.result() == expected


def test_same_seed_same_events_different_seed_different_events():
    def run(seed):
        w, t, i = small_world(seed=seed, loss=0.05)
        for k in range(20):
            i.write("e1.0", k * 8, pattern(seed, k, 8))
        return w.event_hash, w.log_hash, w.event_log()

    a, b, c = run(7), run(7), run(8)
    assert a == b
    assert a[0] != c[0]


def test_capture_and_event_log(tmp_path):
    w = aoeh.World(seed=3)
    sw = w.add_switch("path0")
    w.add_target("e1.0", ports=[sw])
    pcap = tmp_path / "run.pcap"
    w.capture(str(pcap))
    i = w.add_initiator(ports=[sw])  # added after capture(): still captured
    i.wait_for(["e1.0"])
    i.write("e1.0", 0, pattern(3, "cap", 4))
    w.flush_capture()
    frames = aoeh.read_pcap(str(pcap))
    assert len(frames) == w.frames_captured > 0
    parsed = [aoeh.frames.parse(f) for _, f in frames]
    writes = [p for p in parsed if p["kind"] == "ata" and p["write"] and not p["response"]]
    assert sum(p["sector_count"] for p in writes) == 4
    assert [t for t, _ in frames] == sorted(t for t, _ in frames)
    log = w.event_log()
    assert any(line.split()[1:4] == ["i0", "device_up", "e1.0"] for line in log)
    w.write_event_log(str(tmp_path / "events.log"))
    assert (tmp_path / "events.log").read_text().count("\n") == len(log) + 1


def test_callbacks_run_in_world_time_and_their_errors_surface():
    w, t, i = small_world()
    seen = []
    i.on_event = lambda e: seen.append((e.kind, e.time))
    done = []
    r = i.submit_write("e1.0", 0, pattern(1, "cb", 2), callback=lambda req: done.append((req.status, w.now)))
    r.wait()
    assert done == [("ok", r.completed_at)]
    assert ("io_completed", r.completed_at) in seen
    assert not w.last_run_released_gil  # a Python callback is installed

    def nested(e):
        w.run(duration=1)
    i.on_event = nested
    i.submit_read("e1.0", 0, 1)
    with pytest.raises(aoeh.Error, match="already running"):
        w.run(duration=1)

    def broken(e):
        raise KeyError("from a callback")
    i.on_event = broken
    i.submit_read("e1.0", 0, 1)
    with pytest.raises(KeyError, match="from a callback"):
        w.run(duration=1)
    i.on_event = None
    w.run(duration=1)
    assert w.last_run_released_gil


def test_python_filter_sees_and_drops_frames():
    w, t, i = small_world()
    writes = []

    def drop_first_write(frame, time):
        p = aoeh.frames.parse(frame)
        if p["kind"] == "ata" and p["write"]:
            writes.append(time)
            return len(writes) == 1
        return False

    f = i.ports[0].link.add_filter(drop_first_write, direction="from_host")
    i.write("e1.0", 0, pattern(1, "filter", 2))
    assert f.dropped == 1 and len(writes) == 2 and i.counters.retransmits == 1
    f.remove()
    i.write("e1.0", 0, pattern(1, "filter2", 2))
    assert len(writes) == 2


def test_run_until_evaluates_the_predicate_in_world_time():
    w, t, i = small_world()
    start = w.now
    assert w.run_until(lambda: w.now >= start + 90.0, timeout=1000)
    assert start + 90.0 <= w.now < start + 121.0  # the next event after 90 s: a periodic query
    assert not w.run_until(lambda: False, timeout=5)
    with pytest.raises(ZeroDivisionError):
        w.run_until(lambda: 1 / 0)


def test_documented_examples_run():
    """The examples in help(aoeh) and in the top-level README's Python section."""
    module_example = re.search(r"\n\n((?:    .*\n)+)", aoeh.__doc__).group(1)
    exec(compile("\n".join(line[4:] for line in module_example.splitlines()), "help(aoeh)", "exec"), {})
    readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
    python = re.search(r"## Python\n.*?```python\n(.*?)```", readme, re.S).group(1)
    exec(compile(python, "README.md", "exec"), {})
