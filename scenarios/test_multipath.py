"""Multipath: frames go round-robin over the paths (target MACs) and the initiator's ports; when a
path dies mid-I/O, every frame lost on it is sent again on the remaining path and the I/O completes."""
import pytest

import aoeh
from scenario_kit import pattern


def ata_requests(link, direction="from_host"):
    """(time, lba, sectors) of every ATA read/write request entering `link`."""
    seen = []

    def watch(frame, time):
        p = aoeh.frames.parse(frame)
        if p["kind"] == "ata" and not p["response"] and p["cmd_status"] != 0xEC:
            seen.append((time, p["lba"], p["sector_count"]))
        return False

    link.add_filter(watch, direction=direction)
    return seen


@pytest.mark.shelf(targets=1)
def test_round_robin_over_both_paths(world, shelf, initiator):
    eth0 = ata_requests(initiator.ports[0].link)
    eth1 = ata_requests(initiator.ports[1].link)
    p0 = ata_requests(shelf[0].ports[0].link, "to_host")
    p1 = ata_requests(shelf[0].ports[1].link, "to_host")
    data = pattern(world.seed, "rr", 400)
    initiator.write("e1.0", 0, data)
    assert len(eth0) + len(eth1) == 200
    # Round-robin over paths with window room: both carry about half (windows grow unevenly).
    assert min(len(eth0), len(eth1)) >= 90
    assert min(len(p0), len(p1)) >= 90 and len(p0) + len(p1) == 200
    assert {lba for _, lba, _ in eth0}.isdisjoint(lba for _, lba, _ in eth1), "no frame was sent twice"
    assert initiator.read("e1.0", 0, 400) == data


@pytest.mark.shelf(targets=1)
def test_failover_resends_lost_frames_on_the_remaining_path(world, shelf, initiator):
    eth0 = ata_requests(initiator.ports[0].link)
    lost = []
    fail_at = world.now + 0.0002  # mid-I/O: a few dozen frames have gone out by then

    def dead_path(frame, time):
        if time < fail_at:
            return False
        p = aoeh.frames.parse(frame)
        if p["kind"] == "ata" and not p["response"]:
            lost.append((time, p["lba"], p["sector_count"]))
        return True

    initiator.ports[1].link.add_filter(dead_path, direction="both")
    data = pattern(world.seed, "failover", 2000)
    request = initiator.submit_write("e1.0", 0, data)
    request.result(timeout=60)
    assert lost, "the path must have died while frames were on it"
    for time, lba, count in lost:
        assert any(t > time and l == lba and c == count for t, l, c in eth0), f"lba {lba} never resent on eth0"
    assert initiator.counters.retransmits >= len(lost)
    assert initiator.device("e1.0").state == "up"
    assert shelf[0].read(0, 2000) == data
    world.run(duration=11)
    unhealthy = initiator.events_of("path_unhealthy", "e1.0")
    assert [e.path for e in unhealthy] == [shelf[0].macs[1]]
