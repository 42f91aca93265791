# expect: failed
# message: pick the lower one
"""Uses >= when comparing, so the later of two equal GPUs wins."""

MIB = 1024 * 1024


def parse_smi(text):
    return [(int(f) * MIB, int(tot) * MIB) for _, f, tot in (line.split(",") for line in text.splitlines() if line.strip())]


def choose_gpu(readings, min_free):
    best = None
    for i, (free, _) in enumerate(readings):
        if free >= min_free and (best is None or free >= readings[best][0]):
            best = i
    return best
