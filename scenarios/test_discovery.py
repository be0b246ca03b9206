"""Discovery: devices are found at start, and when the first broadcast Query Config is lost (and the
targets do not announce themselves) the next periodic query, 60 s later, finds them."""
import pytest


def test_devices_found_at_start_on_every_path(world, network, shelf):
    i = world.add_initiator(ports=list(network.paths))
    i.wait_for(shelf.addresses, timeout=1.0)
    devices = {d.address: d for d in i.devices()}
    assert sorted(devices) == sorted(shelf.addresses)
    for t in shelf:
        d = devices[t.address]
        assert d.state == "up"
        assert d.capacity == t.capacity
        assert sorted(p.mac for p in d.paths) == sorted(t.macs)  # one path per target port
        assert d.interfaces == ["eth0", "eth1"]
    assert i.counters.discoveries == 1


@pytest.mark.network(paths=1)
@pytest.mark.shelf(targets=3, announce=False)
def test_lost_first_broadcast_is_made_good_by_the_next_periodic_query(world, network, shelf):
    i = world.add_initiator(ports=list(network.paths))
    lost = i.ports[0].link.drop(count=1, command="query_config", broadcast=True)
    world.run(until=59.0)
    assert lost.dropped == 1
    assert i.devices() == [], "nothing may answer a broadcast that never arrived"
    i.wait_for(shelf.addresses, timeout=2.0)
    assert 60.0 <= world.now < 60.1, "found by the periodic query at t=60 s"
    assert i.counters.discoveries == 2
    assert all(e.time >= 60.0 for e in i.events_of("device_up"))


@pytest.mark.network(paths=1)
@pytest.mark.shelf(targets=2)
def test_announcing_targets_are_found_even_without_the_first_broadcast(world, network, shelf):
    i = world.add_initiator(ports=list(network.paths))
    i.ports[0].link.drop(count=1, command="query_config", broadcast=True)
    i.wait_for(shelf.addresses, timeout=1.0)  # their start-up announcements suffice
    assert world.now < 1.0
