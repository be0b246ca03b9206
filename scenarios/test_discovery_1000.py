"""Discovery of 1,000 targets (63 shelves of 16 slots) behind one switch: every one is found and
identified from the first broadcast, and listed."""
import pytest

TARGETS = 1000


@pytest.mark.network(paths=1)
def test_discovery_of_1000_targets(world, network):
    addresses = [f"e{1 + k // 16}.{k % 16}" for k in range(TARGETS)]
    for a in addresses:
        world.add_target(a, ports=[network[0]], capacity=2048, announce=False)
    i = world.add_initiator(ports=[network[0]], max_outstanding=16)
    i.wait_for(TARGETS, timeout=10)
    devices = i.devices()
    assert sorted(d.address for d in devices) == sorted(addresses)
    assert all(d.state == "up" and d.capacity == 2048 for d in devices)
    assert i.counters.discoveries == 1
    assert len(i.stat().splitlines()) == TARGETS
    assert world.now < 1.0
