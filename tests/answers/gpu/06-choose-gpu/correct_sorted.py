# expect: passed
"""Another correct answer: a csv reader, and sorting candidates by (-free, index)."""

import csv
import io


def parse_smi(text):
    rows = csv.reader(io.StringIO(text), skipinitialspace=True)
    return [(int(row[1]) << 20, int(row[2]) << 20) for row in rows if row]


def choose_gpu(readings, min_free):
    candidates = sorted((-free, i) for i, (free, _total) in enumerate(readings) if free >= min_free)
    return candidates[0][1] if candidates else None
