"""Resize: an open device keeps its size (Linux re-identifies only closed devices) until
aoe-revalidate; a closed device picks the new size up from the next Query Config answer."""
import pytest

import aoeh
from scenario_kit import pattern


@pytest.mark.shelf(targets=1, capacity=4096)
def test_open_device_sees_a_resize_only_on_revalidate(world, shelf, initiator):
    t = shelf[0]
    initiator.open(t.address)
    t.capacity = 8192
    t.announce()
    world.run(duration=130)  # the announcement and two periodic queries are answered
    assert initiator.device(t.address).capacity == 4096
    assert initiator.events_of("device_resized") == []
    with pytest.raises(aoeh.SubmitError, match="beyond end of device"):
        initiator.write(t.address, 6000, pattern(world.seed, "new", 2))

    initiator.revalidate(t.address)
    world.run(duration=1)
    resized = initiator.events_of("device_resized", t.address)
    assert [(e.old_sectors, e.new_sectors) for e in resized] == [(4096, 8192)]
    assert initiator.device(t.address).capacity == 8192
    data = pattern(world.seed, "new", 2)
    initiator.write(t.address, 8190, data)
    assert t.read(8190, 2) == data


@pytest.mark.shelf(targets=1, capacity=4096)
def test_closed_device_picks_up_a_resize_from_the_next_answer(world, shelf, initiator):
    t = shelf[0]
    t.capacity = 1000
    t.announce()
    world.run(duration=1)
    assert initiator.device(t.address).capacity == 1000
    with pytest.raises(aoeh.SubmitError, match=r"beyond end of device \(device has 1000 sectors\)"):
        initiator.read(t.address, 999, 2)
