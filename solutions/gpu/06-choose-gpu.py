"""Reference solution for exercise 7.6 (choose a free GPU on a shared server)."""

MIB = 1024 * 1024


def parse_smi(text):
    readings = []
    for line in text.splitlines():
        if not line.strip():
            continue
        _, free, total = (int(part) for part in line.split(","))
        readings.append((free * MIB, total * MIB))
    return readings


def choose_gpu(readings, min_free):
    best = None
    for index, (free, _total) in enumerate(readings):
        if free >= min_free and (best is None or free > readings[best][0]):
            best = index
    return best
