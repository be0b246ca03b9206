"""Every faults/ fault family injected into a Python-built world (World.inject and the shorthands),
each asserting the effect the initiator (or the wire) sees."""
import pytest

import aoeh
from scenario_kit import pattern


def up_world(seed=1, paths=1, capacity=4096, **initiator):
    w = aoeh.World(seed=seed)
    switches = [w.add_switch(f"path{k}") for k in range(paths)]
    t = w.add_target("e1.0", ports=switches, capacity=capacity)
    initiator.setdefault("dead_after", 10.0)
    initiator.setdefault("rto_initial", 0.05)
    i = w.add_initiator(ports=switches, **initiator)
    i.wait_for(["e1.0"])
    return w, t, i


def read_waits_for_the_end_of(w, i, fault, blocked_for):
    """A read submitted now is still unanswered `blocked_for` seconds later, and succeeds once
    `fault` has ended."""
    r = i.submit_read("e1.0", 0)
    w.run(duration=blocked_for)
    assert not r.done()
    w.run(until=fault.end + 0.1)
    assert r.wait(timeout=20) and r.ok


# ---------------------------------------------------------------- target faults

def test_ata_error_on_an_lba_range_fails_only_reads_inside_it():
    w, t, i = up_world()
    f = t.inject("ata_error", error="UNC", lbas=[100, 199], commands=["read"])
    assert f.type == "ata_error" and f.started
    assert i.read("e1.0", 50, 8) == bytes(8 * 512)
    with pytest.raises(aoeh.AtaError) as e:
        i.read("e1.0", 120, 1)
    assert e.value.ata_error == 0x40
    i.write("e1.0", 120, pattern(1, "w", 1))  # writes are not in `commands`
    assert f.stats["ata_errors_sent"] >= 1


def test_aoe_error_reply_fails_the_request_with_its_code():
    w, t, i = up_world()
    f = w.inject("aoe_error", t, code=2, commands=["write"], at=w.now + 1.0, duration=2.0)
    i.write("e1.0", 0, pattern(1, "before", 1))  # before the window
    w.run(until=f.start + 0.1)
    with pytest.raises(aoeh.AoeError) as e:
        i.write("e1.0", 0, pattern(1, "in", 1))
    assert e.value.aoe_error == 2
    w.run(until=f.end + 0.1)
    assert f.ended
    i.write("e1.0", 0, pattern(1, "after", 1))
    assert f.stats["aoe_errors_sent"] >= 1


def test_hang_fault_silences_the_target_until_the_device_goes_down():
    w, t, i = up_world()
    f = t.inject("hang")
    r = i.submit_read("e1.0", 0)
    assert not r.wait(timeout=30)  # dead_after 10 s
    assert r.status == "device_down" and i.device("e1.0").state == "down"
    assert f.stats["requests_ignored"] >= 1


def test_crash_fault_restarts_the_target_after_its_duration():
    w, t, i = up_world()
    f = t.inject("crash", duration=2.0)
    assert t.crashed and f.stats["crashes"] == 1
    w.run(duration=2.5)
    assert not t.crashed and f.ended
    i.write("e1.0", 4, pattern(2, "after crash", 2))
    assert i.read("e1.0", 4, 2) == pattern(2, "after crash", 2)


def test_slow_fault_raises_latency_then_reverts():
    w, t, i = up_world()
    fast = i.submit_read("e1.0", 0)
    fast.wait(timeout=5)
    t.inject("slow", delay=0.2, duration=5.0)
    slow = i.submit_read("e1.0", 0)
    slow.wait(timeout=5)
    assert slow.latency >= 0.2 > fast.latency
    w.run(duration=5.0)
    again = i.submit_read("e1.0", 0)
    again.wait(timeout=5)
    assert again.latency < 0.2


@pytest.mark.parametrize("kind, counter", [
    ("runt", "runts_sent"),
    ("wrong_tag", "wrong_tags_sent"),
    ("wrong_shelf", "wrong_shelves_sent"),
    ("wrong_slot", "wrong_slots_sent"),
])
def test_mangled_replies_are_ignored_and_the_request_is_retried(kind, counter):
    w, t, i = up_world()
    f = t.inject(kind, probability=1.0, duration=0.3)
    data = i.read("e1.0", 0, 1, timeout=20)  # succeeds once the fault window ends
    assert data == bytes(512)
    assert f.stats[counter] >= 1
    c = i.counters
    assert c.retransmits >= 1
    if kind == "runt":
        assert c.malformed >= 1
    elif kind == "wrong_tag":
        assert c.unknown_tags >= 1


def test_duplicate_and_stale_replies_are_counted_not_applied():
    w, t, i = up_world()
    dup = t.inject("duplicate_reply", probability=1.0, gap=0.001)
    for k in range(4):
        i.write("e1.0", k, pattern(3, k, 1))
    w.run(duration=0.1)
    assert dup.stats["duplicates_sent"] >= 4
    assert i.counters.duplicate_replies + i.counters.late_replies + i.counters.unknown_tags >= 4
    stale = t.inject("stale_replay", probability=1.0, depth=8)
    for k in range(4):
        assert i.read("e1.0", k, 1) == pattern(3, k, 1)  # a replayed old reply never answers a new read
    assert stale.stats["stale_replays_sent"] >= 1


def test_resize_fault_is_seen_on_revalidate_and_undone_at_the_end():
    w, t, i = up_world()
    f = t.inject("resize", capacity_sectors=8192, duration=5.0)
    assert t.capacity == 8192
    i.revalidate("e1.0")
    w.run(duration=1.0)
    assert i.device("e1.0").capacity == 8192
    assert i.events_of("device_resized", "e1.0")
    w.run(until=f.end + 0.1)
    assert t.capacity == 4096


def test_mac_change_announced_adds_a_path_with_the_new_mac():
    w, t, i = up_world()
    t.inject("mac_change", mac="02:aa:bb:cc:dd:ee")
    w.run(duration=1.0)
    assert t.macs == ["02:aa:bb:cc:dd:ee"]
    macs = [p.mac for p in i.device("e1.0").paths]
    assert "02:aa:bb:cc:dd:ee" in macs
    i.write("e1.0", 0, pattern(4, "new mac", 1))
    assert t.read(0, 1) == pattern(4, "new mac", 1)


def test_bufcnt_and_config_string_changes_reach_the_engine_on_revalidate():
    w, t, i = up_world()
    t.inject("bufcnt", bufcnt=3)
    t.inject("config_string", config="changed by fault")
    assert t.bufcnt == 3 and t.config_string == "changed by fault"
    i.revalidate("e1.0")
    w.run(duration=1.0)
    p = i.device("e1.0").paths[0]
    assert p.buffer_count == 3 and p.config == "changed by fault"


def test_reservation_by_another_host_fails_writes_with_reserved():
    w, t, i = up_world()
    f = t.inject("reserve", by="02:ee:00:00:00:01", duration=3.0)
    assert t.reservation == ["02:ee:00:00:00:01"]
    with pytest.raises(aoeh.ReservedError):
        i.write("e1.0", 0, pattern(5, "r", 1), timeout=2.5)
    w.run(until=f.end + 0.1)
    assert t.reservation == []


def test_mask_list_and_claim_address_and_firmware():
    w, t, i = up_world()
    t.inject("firmware", firmware=0x4242)
    assert t.firmware == 0x4242
    t.inject("mask_list", allow="02:ee:00:00:00:02")
    assert t.mask_list == ["02:ee:00:00:00:02"]
    t.inject("claim_address", address="e7.7")
    assert t.address == "e7.7"


# ---------------------------------------------------------------- initiator port faults

def test_port_down_fails_over_and_port_mtu_shrinks_the_payload():
    w, t, i = up_world(paths=2)
    eth0 = i.ports[0]
    f = eth0.inject("port_down", duration=3.0)
    assert not eth0.up
    for k in range(8):
        i.write("e1.0", k * 2, pattern(6, k, 2))
    assert i.ports[1].counters()["tx_frames"] > 0
    w.run(until=f.end + 0.1)
    assert eth0.up
    m = eth0.inject("port_mtu", mtu=1000, duration=1.0)
    assert eth0.mtu == 1000
    w.run(until=m.end + 0.1)
    assert eth0.mtu == 1500
    with pytest.raises(ValueError, match="initiator's port"):
        t.ports[0].inject("port_mtu", mtu=1500)  # a target's port is no initiator port


# ---------------------------------------------------------------- link faults

def test_link_fault_families_count_what_they_did():
    w, t, i = up_world(dead_after=120.0)
    link = i.ports[0].link
    faults = [
        link.inject("delay", delay=0.01, direction="from_host"),
        link.inject("duplicate", probability=1.0, gap=0.0001, direction="to_host"),
        link.inject("burst_loss", p=0.05, r=0.5),
        link.inject("reorder", probability=0.3, delay=0.002),
        link.inject("corrupt", probability=0.05),
        link.inject("rate_limit", rate=100_000_000),
    ]
    for k in range(16):
        i.write("e1.0", k, pattern(7, k, 1), timeout=60)
    for k in range(16):
        assert i.read("e1.0", k, 1, timeout=60) == pattern(7, k, 1)
    stats = [f.stats for f in faults]
    assert stats[0]["delayed"] >= 32
    assert stats[1]["duplicated"] >= 32
    assert stats[2]["dropped"] >= 1
    assert stats[3]["held_back"] >= 1
    assert stats[4]["fcs_errors"] >= 1
    assert stats[5]["shaped"] >= 1


def test_flap_black_hole_partition_and_mtu():
    w, t, i = up_world()
    link = i.ports[0].link
    flap = link.inject("flap", period=1.0, down=0.5, duration=3.0)
    w.run(duration=3.5)
    assert flap.stats["flaps"] == 3
    hole = link.inject("black_hole", direction="to_host", duration=0.5)
    i.read("e1.0", 0, 1, timeout=20)
    assert hole.stats["dropped"] >= 1
    mtu = link.inject("mtu", mtu=600, duration=1.0)
    i.write("e1.0", 0, pattern(8, "mtu", 2), timeout=20)
    assert mtu.stats["mtu_drops"] >= 1
    sw = w.switches[0]
    read_waits_for_the_end_of(w, i, sw.inject("partition", duration=2.0), blocked_for=1.0)


def test_bad_fault_parameters_are_plan_errors_naming_the_field():
    w, t, i = up_world()
    with pytest.raises(aoeh.PlanError) as e:
        t.inject("ata_error", error="bogus")
    assert e.value.path == "fault.error"
    with pytest.raises(aoeh.PlanError) as e:
        t.inject("loss", probability=0.5)  # a link fault on a target
    assert e.value.path == "fault.target"
    with pytest.raises(aoeh.PlanError) as e:
        t.inject("no_such_fault")
    assert e.value.path == "fault.type"
    with pytest.raises(ValueError, match="in the past"):
        w.run(duration=1.0)
        t.inject("hang", at=0.0)


def test_scheduled_faults_are_deterministic():
    def run(seed):
        w, t, i = up_world(seed=seed)
        i.ports[0].link.inject("burst_loss", p=0.1, r=0.3, at=w.now + 0.01)
        t.inject("duplicate_reply", probability=0.5, at=w.now + 0.02, duration=0.5)
        for k in range(20):
            i.write("e1.0", k, pattern(seed, k, 1), timeout=60)
        return w.event_hash

    assert run(3) == run(3)


def test_undetected_corruption_reaches_the_reader():
    w, t, i = up_world()
    t.write(0, pattern(9, "clean", 8))
    f = i.ports[0].link.inject("corrupt", probability=1.0, detected=False, bytes=4, direction="to_host",
                               duration=1.0)
    assert i.read("e1.0", 0, 8) != pattern(9, "clean", 8)  # the FCS was recomputed: nobody notices
    assert f.stats["corrupted"] >= 1
    w.run(until=f.end + 0.1)
    assert i.read("e1.0", 0, 8) == pattern(9, "clean", 8)


def test_down_and_queue_overflow():
    w, t, i = up_world(dead_after=60.0)
    link = i.ports[0].link
    down = link.inject("down", duration=1.0)
    r = i.submit_read("e1.0", 0)
    w.run(duration=0.5)
    assert not r.done() and link.counters("from_host")["down_drops"] >= 1
    w.run(until=down.end + 0.1)
    assert r.wait(timeout=20) and r.ok
    q = link.inject("queue_overflow", rate=1_000_000, queue=2, direction="to_host")
    reqs = [i.submit_read("e1.0", k * 16, 16) for k in range(8)]
    w.wait(reqs, timeout=60)
    assert all(x.ok for x in reqs)  # the engine resends what the full queue dropped
    assert q.stats["queue_drops"] >= 1 and i.counters.retransmits >= 1


def test_switch_port_mtu_is_changed_for_a_while():
    w, t, i = up_world()
    port = t.ports[0]
    f = port.inject("mtu", mtu=1000, switch_port=True, direction="egress", duration=1.0)
    assert port.switch_mtu == 1000 and f.type == "mtu"
    w.run(until=f.end + 0.1)
    assert port.switch_mtu == 1500
    drops = i.ports[0].inject("loss", probability=1.0, switch_port=True, direction="ingress", duration=0.5)
    r = i.submit_read("e1.0", 0)
    w.run(duration=0.4)
    assert drops.stats["dropped"] >= 1 and not r.done()
    assert r.wait(timeout=20) and r.ok
    with pytest.raises(ValueError, match="needs a Port"):
        t.inject("mtu", mtu=1000, switch_port=True)


def test_switch_port_ingress_mtu_drops_the_hosts_big_frames_for_a_while():
    w, t, i = up_world()
    f = t.ports[0].inject("mtu", mtu=400, switch_port=True, direction="ingress", duration=1.0)
    assert t.ports[0].switch_mtu == 1500  # egress is untouched
    read_waits_for_the_end_of(w, i, f, blocked_for=0.5)  # the reply (a sector) is too big for the ingress MTU


def test_link_set_up_and_injected_downs_hold_the_link_together():
    w, t, i = up_world()
    link = i.ports[0].link
    # set_up(True) ends only the caller's own hold: an injected down still holds the link.
    f = link.inject("down", duration=1.0)
    link.set_up(False)
    link.set_up(True)
    r = i.submit_read("e1.0", 0)
    w.run(duration=0.5)
    assert not r.done()
    w.run(until=f.end + 0.1)
    assert r.wait(timeout=20) and r.ok
    # The caller's hold outlasts an injected down that ends first.
    link.set_up(False)
    f = link.inject("down", duration=0.5)
    w.run(until=f.end + 0.1)
    r = i.submit_read("e1.0", 0)
    w.run(duration=0.5)
    assert not r.done()
    link.set_up(True)
    assert r.wait(timeout=20) and r.ok
