# expect: failed
# message: The values are still MiB
"""Forgets that nvidia-smi reports MiB."""


def parse_smi(text):
    out = []
    for line in text.strip().split("\n"):
        _, free, total = line.split(",")
        out.append((int(free), int(total)))
    return out


def choose_gpu(readings, min_free):
    best = None
    for i, (free, _) in enumerate(readings):
        if free >= min_free and (best is None or free > readings[best][0]):
            best = i
    return best
