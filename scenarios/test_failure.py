"""Failure: a request fails at once on an AoE Error reply (here: the target is reserved by someone
else, Error 6) or an ATA error, and a device whose target falls silent fails all its I/O after
dead_after (180 s, aoe_deadsecs) and goes down; the next periodic query brings it back."""
import pytest

import aoeh
from scenario_kit import pattern


def reserve_for(world, switch, target, holder_mac):
    """Sets `target`'s reservation to [holder_mac] from a management probe (like aoecfg -r)."""
    probe = world.add_probe(switch, name="mgmt")
    request = aoeh.frames.reserve_release(probe.mac, target.macs[0], target.shelf, target.slot, rcmd=1,
                                          macs=[holder_mac], tag=0x80000001)
    reply = aoeh.frames.parse(probe.exchange(request))
    assert reply["response"] and not reply["error_flag"] and reply["macs"] == [holder_mac]
    return probe


@pytest.mark.shelf(targets=1)
def test_error_reply_fails_the_request_and_leaves_the_device_up(world, network, shelf, initiator):
    t = shelf[0]
    reserve_for(world, network[0], t, "02:99:00:00:00:01")
    with pytest.raises(aoeh.ReservedError, match=r"write e1\.0 lba 0 count 4 failed: reserved \(AoE error 6\)") as e:
        initiator.write(t.address, 0, pattern(world.seed, "refused", 4))
    assert e.value.aoe_error == 6 and e.value.status == "reserved"
    assert initiator.counters.error_replies[6] >= 1
    assert t.counters()["sectors_written"] == 0
    assert initiator.device(t.address).state == "up", "an error reply is an answer: the device is alive"


@pytest.mark.shelf(targets=1, read_only=True)
def test_ata_error_fails_the_request(world, shelf, initiator):
    with pytest.raises(aoeh.AtaError, match="ATA status 0x41, error 0x04") as e:
        initiator.write("e1.0", 0, pattern(world.seed, "ro", 2))
    assert e.value.ata_error == 0x04  # ABRT
    assert initiator.read("e1.0", 0, 2) == bytes(1024)


@pytest.mark.shelf(targets=2)
def test_180_seconds_of_silence_fail_the_io_and_take_the_device_down(world, shelf, initiator):
    silent, alive = shelf[0], shelf[1]
    data = pattern(world.seed, "before", 8)
    initiator.write(silent.address, 0, data)
    silent.hang()
    reads = [initiator.submit_read(silent.address, 8 * k, 8) for k in range(4)]
    other = initiator.submit_write(alive.address, 0, pattern(world.seed, "other", 8))
    start = world.now
    world.wait(reads + [other], timeout=400)
    assert other.ok, "a silent neighbour does not affect another device"
    assert {r.status for r in reads} == {"device_down"}
    assert all(180.0 <= r.completed_at - start < 180.5 for r in reads)
    assert initiator.device(silent.address).state == "down"
    assert initiator.counters.retransmits > 0

    silent.resume()  # repaired: the next periodic Query Config finds it and re-identifies it
    initiator.wait_for([silent.address], timeout=61)
    assert initiator.read(silent.address, 0, 8) == data


@pytest.mark.shelf(targets=1)
@pytest.mark.initiator(dead_after=20)
def test_dead_after_is_configurable(world, shelf, initiator):
    shelf[0].hang()
    r = initiator.submit_flush("e1.0")
    assert not r.wait(timeout=30)
    assert 20.0 <= r.latency < 20.5 and r.status == "device_down"
