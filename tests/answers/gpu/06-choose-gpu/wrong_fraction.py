# expect: failed
# message: has the largest free fraction
"""Chooses the card that is most idle in per cent."""

MIB = 1024 * 1024


def parse_smi(text):
    return [(int(f) * MIB, int(tot) * MIB) for _, f, tot in (line.split(",") for line in text.splitlines() if line.strip())]


def choose_gpu(readings, min_free):
    ok = [i for i, (free, total) in enumerate(readings) if free >= min_free]
    if not ok:
        return None
    return max(ok, key=lambda i: readings[i][0] / readings[i][1])
