"""A target that reboots keeps its data, and the initiator carries on after it answers again."""
import pytest

import aoeh
from scenario_kit import pattern


@pytest.mark.shelf(targets=1)
@pytest.mark.initiator(dead_after=30)
def test_reboot_keeps_data(world, shelf, initiator):
    target = shelf[0]
    data = pattern(world.seed, "reboot", 8)
    initiator.write(target.address, 0, data)
    target.crash()                                  # power loss: silent until restart
    world.after(5.0, target.restart)                # back 5 s later (world time)
    assert initiator.read(target.address, 0, 8, timeout=60) == data
    assert initiator.counters.retransmits > 0       # the read waited out the reboot
    assert initiator.device(target.address).state == "up"
    with pytest.raises(aoeh.SubmitError, match="beyond end"):
        initiator.read(target.address, target.capacity, 1)
