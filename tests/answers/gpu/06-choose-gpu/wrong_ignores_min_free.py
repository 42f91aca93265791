# expect: failed
# message: leave out the GPUs with less than `min_free` free
"""Always returns the most free GPU, even when it is too full for the job."""

MIB = 1024 * 1024


def parse_smi(text):
    return [(int(f) * MIB, int(tot) * MIB) for _, f, tot in (line.split(",") for line in text.splitlines() if line.strip())]


def choose_gpu(readings, min_free):
    if not readings:
        return None
    return max(range(len(readings)), key=lambda i: (readings[i][0], -i))
