# expect: failed
# message: The empty line after the last newline
"""Splits on "\n" and trips over the empty string after the final newline."""

MIB = 1024 * 1024


def parse_smi(text):
    out = []
    for line in text.split("\n"):
        _, free, total = [int(v) if v.strip() else int(v) for v in (line.split(",") + ["", ""])[:3]]
        out.append((free * MIB, total * MIB))
    return out


def choose_gpu(readings, min_free):
    best = None
    for i, (free, _) in enumerate(readings):
        if free >= min_free and (best is None or free > readings[best][0]):
            best = i
    return best
