"""Grading on a real Dask cluster: a scheduler and two workers on 127.0.0.1, started and torn down by the test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from grading_class import CLASS, EXPECTED_CSV, MINI, base_report, write_class  # noqa: E402
from test_grade import grade, read_csv  # noqa: E402

distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed (pip install .[test])")
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_workers(address: str, n: int, timeout_s: float = 300.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout_s) as client:
        client.wait_for_workers(n, timeout=timeout_s)


@pytest.fixture()
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes (one thread each), as an instructor would start them."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    procs = [subprocess.Popen(dask + ["--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    workers = []
    for i in range(2):
        w = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                              "--no-dashboard", "--memory-limit", "0", "--name", f"w{i}",
                              "--local-directory", str(tmp_path / f"w{i}")], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        workers.append(w)
    procs += workers
    try:
        _wait_for_workers(address, 2)
        yield address, workers
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=30)


def test_a_dask_cluster_grades_the_class_as_the_local_run_does(cluster, tmp_path):
    address, _ = cluster
    base = base_report(tmp_path)
    folder = tmp_path / "in"
    write_class(folder, base)
    local = grade(str(folder), "--out", str(tmp_path / "local"), "--course", str(MINI), "--jobs", "1")
    assert local.returncode == 0, local.stderr
    remote = grade(str(folder), "--out", str(tmp_path / "dask"), "--course", str(MINI), "--scheduler", address)
    assert remote.returncode == 0, remote.stderr
    assert read_csv(tmp_path / "dask" / "grades.csv") == read_csv(tmp_path / "local" / "grades.csv")
    assert {sid: tuple(row[2:]) for sid, row in read_csv(tmp_path / "dask" / "grades.csv").items()} == EXPECTED_CSV


def test_a_worker_killed_mid_run_loses_no_result(cluster, tmp_path):
    from tutor.grade.run import grade as grade_class

    address, workers = cluster
    base = base_report(tmp_path)
    students = [(f"{sid}-{k}", name, work) for k in range(3) for sid, name, work in CLASS]
    write_class(tmp_path / "in", base, students)
    seen = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 1:
            seen.set()

    killer = threading.Thread(target=lambda: seen.wait(300) and os.killpg(workers[0].pid, signal.SIGKILL), daemon=True)
    killer.start()
    result = grade_class([str(tmp_path / "in")], tmp_path / "out", course_root=str(MINI), scheduler=address,
                         progress=progress)
    killer.join(5)
    assert workers[0].poll() is not None, "the worker was not killed during the run"
    for st in result.students:
        for key in st.sources:
            res = st.results.get(key)
            assert res is not None, (st.id, key)
            assert res["kind"] != "missing" or res.get("detail"), (st.id, key, res)  # a row says why
    verified = {st.id: tuple(str(st.verified(ex.key)) if st.verified(ex.key) is not None else "" for ex in result.exercises)
                for st in result.students}
    for st in result.students:
        assert verified[st.id] == EXPECTED_CSV[st.id.split("-")[0]][:2], st.id
