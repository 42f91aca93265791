# expect: failed
# message: has the least memory in use
"""Chooses the card with the least memory in use."""

MIB = 1024 * 1024


def parse_smi(text):
    return [(int(f) * MIB, int(tot) * MIB) for _, f, tot in (line.split(",") for line in text.splitlines() if line.strip())]


def choose_gpu(readings, min_free):
    ok = [i for i, (free, total) in enumerate(readings) if free >= min_free]
    if not ok:
        return None
    return min(ok, key=lambda i: readings[i][1] - readings[i][0])
