"""MTU raised: the engine learns a larger payload only from a new Query Config answer, which
revalidate asks for (and which a change of its own port's MTU triggers by itself)."""
import pytest

from scenario_kit import pattern


@pytest.mark.network(paths=1, mtu=1500)
@pytest.mark.shelf(targets=1)
@pytest.mark.initiator(mtu=9000)
def test_path_mtu_raised_then_revalidated(world, network, shelf, initiator):
    t = shelf[0]
    assert initiator.device(t.address).payload_sectors == 2
    network[0].set_mtu(9000)
    t.ports[0].mtu = 9000
    assert t.advertised_sector_count() == 17
    world.run(duration=30)  # before the next periodic query: nothing has told the engine
    assert initiator.device(t.address).payload_sectors == 2

    initiator.revalidate(t.address)
    world.run(duration=1)
    assert initiator.device(t.address).payload_sectors == 17
    assert [e.kind for e in initiator.events_of("config_changed", t.address)] == ["config_changed"]
    data = pattern(world.seed, "big", 34)
    before = initiator.counters.frames_sent
    initiator.write(t.address, 0, data)
    assert initiator.counters.frames_sent - before == 2  # two 17-sector frames
    assert t.read(0, 34) == data


@pytest.mark.network(paths=1, mtu=9000)
@pytest.mark.shelf(targets=1)
@pytest.mark.initiator(mtu=1500)
def test_raising_the_initiator_port_mtu_requeries_by_itself(world, shelf, initiator):
    assert initiator.device("e1.0").payload_sectors == 2
    initiator.ports[0].mtu = 9000
    world.run(duration=0.01)
    assert initiator.device("e1.0").payload_sectors == 17
