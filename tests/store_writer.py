"""A second tutor process for tests/test_store.py: writes to one store.

    store_writer.py PATH attempts WORKER N START_AT   N attempts of "ex/WORKER"
    store_writer.py PATH mixed WORKER N START_AT      N hints, settings and attempts
    store_writer.py PATH loop                          attempts forever, printing
                                                       the count after each commit

START_AT is a unix time to wait for, so that all writers start together
(opening a fresh file at the same time is part of the test). The last line
printed is the store's notice keys as JSON; any exception exits non-zero.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tutor.progress.store import Store  # noqa: E402


def main(argv: list[str]) -> None:
    """Run one writer as described in the module docstring."""
    path, mode = Path(argv[1]), argv[2]
    if mode == "loop":
        with Store.open(path) as store:
            print("ready", flush=True)
            count = 0
            while True:
                store.record_attempt("loop", "failed", 0.1, "cpu", "0" * 64, {"n": count})
                count += 1
                print(count, flush=True)
    worker, n, start_at = argv[3], int(argv[4]), float(argv[5])
    time.sleep(max(0.0, start_at - time.time()))
    with Store.open(path) as store:
        for i in range(n):
            if mode == "mixed":
                store.record_hint("shared", i + 1)  # every worker reveals the same levels
                store.set_setting(f"w{worker}-{i}", str(i))
            store.record_attempt(f"ex/{worker}", "failed", 0.01, "cpu", f"{i:064x}", {"i": i})
            time.sleep(0.002)  # let go of the lock now and then, as a real tutor does
        print(json.dumps([notice.key for notice in store.notices]))


if __name__ == "__main__":
    main(sys.argv)
