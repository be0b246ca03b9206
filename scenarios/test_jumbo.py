"""Jumbo frames: with MTU 9000 end to end a frame carries 17 sectors (8704 bytes); behind a switch
that only passes 1500-byte frames the large frames vanish, and the engine falls back to 2-sector
frames (like old Linux drivers and Plan 9) so that the I/O still completes, until revalidate."""
import pytest

import aoeh
from scenario_kit import pattern


def ata_writes(link):
    """Records the sector count of every ATA write request entering `link` from its host."""
    counts = []

    def watch(frame, time):
        p = aoeh.frames.parse(frame)
        if p["kind"] == "ata" and p["write"] and not p["response"]:
            counts.append(p["sector_count"])
        return False

    link.add_filter(watch, direction="from_host")
    return counts


@pytest.mark.network(paths=1, mtu=9000)
@pytest.mark.shelf(targets=1)
def test_jumbo_frames_carry_17_sectors(world, shelf, initiator):
    d = initiator.device("e1.0")
    assert d.payload_sectors == 17 and d.payload == 8704
    writes = ata_writes(initiator.ports[0].link)
    data = pattern(world.seed, "jumbo", 170)
    initiator.write("e1.0", 0, data)
    assert writes == [17] * 10
    assert initiator.read("e1.0", 0, 170) == data
    assert "8704" in initiator.stat().split()


def test_fallback_behind_a_non_jumbo_switch(world):
    near = world.add_switch("near", mtu=9000)
    far = world.add_switch("far", mtu=9000)
    trunk = world.connect_switches(near, far, mtu=1500)  # the old switch in the middle
    t = world.add_target("e1.0", ports=[far], capacity=1 << 16)
    i = world.add_initiator(ports=[near])
    i.wait_for(["e1.0"])
    assert i.device("e1.0").payload_sectors == 17, "Query Config is small: the mismatch is not visible yet"

    writes = ata_writes(i.ports[0].link)
    data = pattern(world.seed, "fallback", 256)
    i.write("e1.0", 0, data, timeout=60)
    assert len(i.events_of("payload_fallback")) == 1
    path = i.device("e1.0").paths[0]
    assert path.fallback and path.payload_sectors == 2
    assert 17 in writes and writes[-1] <= 2
    assert trunk.counters("from_host")["frames"] > 0 and near.mtu_drops > 0
    assert t.read(0, 256) == data
    assert i.read("e1.0", 0, 256, timeout=60) == data

    i.revalidate("e1.0")  # lifts the fallback: large frames are tried again
    world.run(duration=1)
    path = i.device("e1.0").paths[0]
    assert not path.fallback and path.payload_sectors == 17
