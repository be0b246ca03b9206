"""Small helpers shared by scenarios (import them: `from scenario_kit import pattern`)."""
import random

SECTOR = 512


def pattern(seed, label, sectors):
    """`sectors` * 512 deterministic pseudo-random bytes for (seed, label): every block differs."""
    return random.Random(f"{seed}:{label}").randbytes(sectors * SECTOR)


def sectors_of(data):
    """The 512-byte sectors of `data`, as a list of bytes."""
    return [data[k:k + SECTOR] for k in range(0, len(data), SECTOR)]
