"""Two initiators share a target under Reserve/Release: while one holds the reservation, the other's
I/O is refused with AoE Error 6 and nothing it sends lands; after a release both can write."""
import pytest

import aoeh
from scenario_kit import pattern


def reserve(probe, target, rcmd, macs):
    frame = aoeh.frames.reserve_release(probe.mac, target.macs[0], target.shelf, target.slot, rcmd=rcmd, macs=macs,
                                        tag=0x80000000 | len(macs) << 8 | rcmd)
    return aoeh.frames.parse(probe.exchange(frame))


@pytest.mark.network(paths=1)
@pytest.mark.shelf(targets=1)
def test_two_initiators_under_a_reservation(world, network, shelf):
    t = shelf[0]
    a = world.add_initiator(ports=list(network.paths), name="a")
    b = world.add_initiator(ports=list(network.paths), name="b")
    a.wait_for([t.address])
    b.wait_for([t.address])
    admin = world.add_probe(network[0], name="admin")

    reply = reserve(admin, t, rcmd=1, macs=a.macs)  # set: allowed while the list is empty
    assert not reply["error_flag"] and reply["macs"] == a.macs
    assert t.reservation == a.macs

    mine = pattern(world.seed, "a", 8)
    a.write(t.address, 0, mine)
    with pytest.raises(aoeh.ReservedError, match="AoE error 6"):
        b.write(t.address, 0, pattern(world.seed, "b", 8))
    with pytest.raises(aoeh.ReservedError):
        b.read(t.address, 0, 8)
    assert a.read(t.address, 0, 8) == mine
    assert t.counters()["reserved_refusals"] >= 2
    assert t.counters()["sectors_written"] == 8, "only the holder's write landed"

    refused = reserve(admin, t, rcmd=1, macs=[admin.mac])  # not a holder: Error 6
    assert refused["error_flag"] and refused["error"] == 6
    assert t.reservation == a.macs

    released = reserve(admin, t, rcmd=2, macs=[])  # force set, empty: released
    assert not released["error_flag"] and t.reservation == []
    theirs = pattern(world.seed, "b2", 8)
    b.write(t.address, 0, theirs)
    assert a.read(t.address, 0, 8) == theirs
