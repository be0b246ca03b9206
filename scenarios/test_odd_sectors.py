"""A device with an odd number of sectors: the last sector is reachable, a 2-sector payload ends
with a 1-sector frame, and nothing past the end is accepted."""
import pytest

import aoeh
from scenario_kit import pattern


@pytest.mark.network(paths=1)
@pytest.mark.shelf(targets=1, capacity=2049)
def test_odd_sized_device(world, shelf, initiator):
    t = shelf[0]
    assert initiator.device(t.address).capacity == 2049
    counts = []

    def count_writes(frame, time):
        p = aoeh.frames.parse(frame)
        if p["kind"] == "ata" and p["write"]:
            counts.append(p["sector_count"])

    initiator.ports[0].link.add_filter(count_writes, direction="from_host")
    data = pattern(world.seed, "tail", 3)
    initiator.write(t.address, 2046, data)
    assert counts == [2, 1]
    assert initiator.read(t.address, 2048, 1) == data[1024:]
    assert t.read(2046, 3) == data
    with pytest.raises(aoeh.SubmitError, match="beyond end"):
        initiator.read(t.address, 2048, 2)
    with pytest.raises(aoeh.SubmitError, match="beyond end"):
        initiator.write(t.address, 2049, pattern(world.seed, "past", 1))
