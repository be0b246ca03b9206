"""Allow-list (aoe_iflist): a rogue target answering as the same shelf.slot on another port is
ignored when that port is not allowed; without the list it would become a second path."""
from scenario_kit import pattern


def two_lans(world):
    lan, rogue_lan = world.add_switch("lan"), world.add_switch("rogue")
    real = world.add_target("e1.0", ports=[lan], capacity=4096)
    rogue = world.add_target("e1.0", ports=[rogue_lan], capacity=4096)
    return lan, rogue_lan, real, rogue


def test_rogue_target_on_a_port_outside_the_allow_list_is_ignored(world):
    lan, rogue_lan, real, rogue = two_lans(world)
    i = world.add_initiator(ports=[lan, rogue_lan], allowed=["eth0"])
    i.wait_for(["e1.0"])
    world.run(duration=61)  # a periodic query too
    (d,) = i.devices()
    assert [p.mac for p in d.paths] == real.macs
    assert d.interfaces == ["eth0"]
    data = pattern(world.seed, "allow", 32)
    i.write("e1.0", 0, data)
    assert i.read("e1.0", 0, 32) == data
    assert real.read(0, 32) == data
    assert rogue.counters()["ata_commands"] == 0 and rogue.counters()["frames_received"] == 0
    assert i.port("eth1").counters()["tx_frames"] == 0, "nothing is sent on a port outside the list"
    assert i.counters.ignored > 0, "the rogue's announcement arrived and was ignored"


def test_without_the_allow_list_the_rogue_becomes_a_path(world):
    lan, rogue_lan, real, rogue = two_lans(world)
    i = world.add_initiator(ports=[lan, rogue_lan])
    i.wait_for(["e1.0"])
    world.run(duration=1)
    (d,) = i.devices()
    assert sorted(p.mac for p in d.paths) == sorted(real.macs + rogue.macs)
