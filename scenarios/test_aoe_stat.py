"""Listing devices like aoe-stat: name, size, interfaces, payload, state (and open)."""
import pytest

import aoeh


@pytest.mark.shelf(targets=3, capacity=2_000_000)
def test_stat_lists_every_device(world, shelf, initiator):
    lines = initiator.stat().splitlines()
    assert len(lines) == 3
    for line, t in zip(lines, shelf):
        name, size, interfaces, payload, state = line.split()
        assert name == t.address
        assert size == "1.024GB"  # 2,000,000 sectors * 512 bytes
        assert interfaces == "eth0,eth1"
        assert payload == "1024"  # MTU 1500: 2 sectors per frame
        assert state == "up"


@pytest.mark.shelf(targets=2)
@pytest.mark.initiator(dead_after=10)
def test_stat_shows_open_and_down_devices(world, shelf, initiator):
    initiator.open("e1.0")
    shelf[1].hang()
    with pytest.raises(aoeh.DeviceDownError):
        initiator.read("e1.1", 0, 1, timeout=30)
    lines = {line.split()[0]: line.split() for line in initiator.stat().splitlines()}
    assert lines["e1.0"][-1] == "up,open"
    assert lines["e1.1"][-1] == "down"
