"""Revalidate after repair: a down (or closewait) device comes back on aoe-revalidate at once,
without waiting for the next periodic query."""
import pytest

import aoeh
from scenario_kit import pattern


@pytest.mark.shelf(targets=1)
@pytest.mark.initiator(dead_after=10, discover_interval=3600)
def test_revalidate_brings_a_repaired_device_back(world, shelf, initiator):
    t = shelf[0]
    data = pattern(world.seed, "keep", 8)
    initiator.write(t.address, 64, data)
    t.hang()
    with pytest.raises(aoeh.DeviceDownError):
        initiator.read(t.address, 64, 8)
    assert initiator.device(t.address).state == "down"
    t.resume()
    world.run(duration=120)
    assert initiator.device(t.address).state == "down", "nothing re-queries it on its own within the hour"
    initiator.revalidate(t.address)
    repaired_at = world.now
    initiator.wait_for([t.address], timeout=1)
    assert world.now - repaired_at < 0.01
    assert initiator.read(t.address, 64, 8) == data


@pytest.mark.shelf(targets=1)
@pytest.mark.initiator(dead_after=10)
def test_revalidate_recovers_closewait_while_still_open(world, shelf, initiator):
    t = shelf[0]
    initiator.open(t.address)
    t.crash()
    with pytest.raises(aoeh.DeviceDownError):
        initiator.read(t.address, 0, 1)
    assert initiator.device(t.address).state == "closewait"
    t.restart()
    world.run(duration=1)
    assert initiator.device(t.address).state == "closewait", "a restart announcement does not end closewait"
    initiator.revalidate(t.address)
    initiator.wait_for([t.address], timeout=1)
    d = initiator.device(t.address)
    assert d.state == "up" and d.open
    initiator.write(t.address, 0, pattern(world.seed, "after", 2))
