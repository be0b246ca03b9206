"""A stripe over 30 targets (more than the 27 md's raid0 was limited to in the HOWTO): chunks go to
every member in turn, all in flight at once, and read back intact."""
import pytest

from scenario_kit import pattern

CHUNK = 8  # sectors


@pytest.mark.network(paths=1)
@pytest.mark.shelf(targets=30, capacity=4096)
def test_stripe_over_30_targets(world, shelf, initiator):
    members = shelf.addresses
    stripes = 4
    data = pattern(world.seed, "stripe", CHUNK * len(members) * stripes)

    def place(chunk):
        return members[chunk % len(members)], (chunk // len(members)) * CHUNK

    chunk_bytes = CHUNK * 512
    writes = []
    for c in range(len(data) // chunk_bytes):
        dev, lba = place(c)
        writes.append(initiator.submit_write(dev, lba, data[c * chunk_bytes:(c + 1) * chunk_bytes]))
    world.wait(writes, timeout=60)
    assert all(w.ok for w in writes)
    assert [t.counters()["sectors_written"] for t in shelf] == [CHUNK * stripes] * len(members)

    reads = [initiator.submit_read(*place(c), CHUNK) for c in range(len(writes))]
    world.wait(reads, timeout=60)
    assert b"".join(r.result() for r in reads) == data
