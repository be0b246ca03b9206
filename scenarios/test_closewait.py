"""Closewait: an open device whose target stops answering goes down into closewait after
dead_after (180 s); it stays there until the last close re-queries it, then comes back up."""
import pytest

import aoeh
from scenario_kit import pattern


@pytest.mark.shelf(targets=1)
def test_closewait_and_recovery_on_last_close(world, shelf, initiator):
    dev = shelf[0].address
    data = pattern(world.seed, "closewait", 16)
    initiator.open(dev)
    initiator.write(dev, 100, data)
    shelf[0].hang()
    pending = initiator.submit_read(dev, 100, 16)
    submitted = world.now
    with pytest.raises(aoeh.DeviceDownError, match="device_down"):
        pending.result(timeout=200)
    assert 180.0 <= pending.completed_at - submitted < 180.5
    assert initiator.device(dev).state == "closewait"
    assert [e.state for e in initiator.events_of("device_down", dev)] == ["closewait"]
    with pytest.raises(aoeh.SubmitError, match="device not up"):
        initiator.read(dev, 0, 1)

    shelf[0].resume()
    world.run(duration=130)  # two periodic queries are answered, yet closewait holds while open
    assert initiator.device(dev).state == "closewait"

    initiator.close(dev)
    initiator.wait_for([dev], timeout=5)
    assert initiator.read(dev, 100, 16) == data
