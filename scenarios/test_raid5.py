"""RAID 5 over five targets, parity computed here: one member fails in the middle of a write, the
array carries on degraded, and every block still reads back right (rebuilt from parity where its
member is gone)."""
import pytest

import aoeh
from scenario_kit import pattern

MEMBERS = 5
CHUNK = 4  # sectors per chunk
CHUNK_BYTES = CHUNK * 512
STRIPES = 24
FAIL_STRIPE = 10
VICTIM = 3


def xor(blocks):
    out = bytearray(len(blocks[0]))
    for b in blocks:
        for k, v in enumerate(b):
            out[k] ^= v
    return bytes(out)


def layout(stripe):
    """Member holding parity and the members holding data chunks 0..3 of a stripe (left-symmetric)."""
    parity = (MEMBERS - 1 - stripe) % MEMBERS
    data = [(parity + 1 + k) % MEMBERS for k in range(MEMBERS - 1)]
    return parity, data


@pytest.mark.network(paths=1)
@pytest.mark.shelf(targets=MEMBERS, capacity=4096)
@pytest.mark.initiator(dead_after=5)
def test_raid5_survives_a_member_failing_mid_write(world, shelf, initiator):
    members = shelf.addresses
    failed = set()
    expected = {}  # (stripe, data index) -> bytes

    for stripe in range(STRIPES):
        parity_member, data_members = layout(stripe)
        chunks = [pattern(world.seed, (stripe, k), CHUNK) for k in range(MEMBERS - 1)]
        for k, c in enumerate(chunks):
            expected[(stripe, k)] = c
        writes = {parity_member: xor(chunks)}
        writes.update(zip(data_members, chunks))
        lba = stripe * CHUNK
        requests = {m: initiator.submit_write(members[m], lba, writes[m]) for m in writes if m not in failed}
        if stripe == FAIL_STRIPE:
            shelf[VICTIM].crash()  # power loss while this stripe's writes are on the wire
        world.wait(list(requests.values()), timeout=60)
        for m, r in requests.items():
            if not r.ok:
                assert m == VICTIM and r.status == "device_down"
                failed.add(m)
        if stripe < FAIL_STRIPE:
            assert not failed

    assert failed == {VICTIM}
    assert initiator.device(members[VICTIM]).state == "down"

    rebuilt = 0
    for stripe in range(STRIPES):
        parity_member, data_members = layout(stripe)
        lba = stripe * CHUNK
        present = {m: initiator.read(members[m], lba, CHUNK) for m in range(MEMBERS) if m not in failed}
        for k, m in enumerate(data_members):
            if m in present:
                block = present[m]
            else:
                block = xor(list(present.values()))  # the other data chunks and the parity
                rebuilt += 1
            assert block == expected[(stripe, k)], f"stripe {stripe} chunk {k} (member {m}) is wrong"
    assert rebuilt == sum(1 for s in range(STRIPES) if VICTIM in layout(s)[1])
    with pytest.raises(aoeh.SubmitError, match="device not up"):
        initiator.read(members[VICTIM], 0, 1)
