"""The warm worker: a Python with torch imported and warmed up, forking one child per check.

Importing torch takes a second or two and its first optimizer step more; a
check itself often takes tens of milliseconds. This process pays the import
once, then for every job forks a child that starts where the import left off.
Each child is a fresh process in its own session, with the pipes the tutor
made for it, running exactly what a cold child runs (`tutor.check.harness.serve`),
so isolation and verdicts are the same as on the cold path.

CUDA is never touched here: a CUDA context does not survive fork, so a CUDA
check initialises CUDA in its own child. The tutor can ask for `status` to
prove it (`cuda_initialized` stays false).

Protocol (JSON messages on a SOCK_SEQPACKET socket from the tutor):
    tutor -> worker  {"op": "run", "id", "workdir", "env"} + fds (job_r, res_w, out_w)
                     {"op": "status", "id"}
    worker -> tutor  {"op": "ready", "pid"}, {"op": "started", "id", "pid"},
                     {"op": "exit", "pid", "status"}, {"op": "status", "id", ...}
The worker exits when the tutor's end of the socket closes.
"""

from __future__ import annotations

import io
import json
import os
import selectors
import signal
import socket
import sys

MAX_MESSAGE = 1 << 20
_THREADS = 1
"""torch's default intra-op thread count, recorded before the worker drops to one."""


def warm_up() -> None:
    """Import what checks use and run tiny versions of the first-use paths.

    The tensors stay tiny so no OpenMP parallel region starts before fork.
    """
    import numpy  # noqa: F401
    import torch
    import torch.nn.functional as F
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset, random_split

    import tutor.checkkit  # noqa: F401
    import tutor.check.harness  # noqa: F401

    try:
        import torchvision.datasets  # noqa: F401
        import torchvision.transforms  # noqa: F401
    except Exception:  # torchvision is optional for the early lessons
        pass
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
    x, y = torch.randn(8, 3), torch.rand(8, 1)
    for opt in (torch.optim.SGD(model.parameters(), lr=0.1), torch.optim.Adam(model.parameters(), lr=0.01)):
        for loss_fn in (F.mse_loss, F.binary_cross_entropy, nn.BCELoss(), nn.MSELoss()):
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
    F.cross_entropy(torch.randn(4, 10), torch.tensor([1, 2, 3, 4])).item()
    F.conv2d(torch.randn(1, 1, 5, 5), torch.randn(1, 1, 3, 3))
    F.max_pool2d(torch.randn(1, 1, 4, 4), 2)
    train, _ = random_split(TensorDataset(x, y), [6, 2])
    for _ in DataLoader(train, batch_size=3, shuffle=True):
        pass
    with torch.no_grad():
        model.eval()(x).numpy()
    torch.manual_seed(torch.initial_seed())


def _fork_poisoned(torch) -> bool:
    """Whether children forked now would be barred from CUDA (the driver started in this process)."""
    check = getattr(torch._C, "_cuda_isInBadFork", None)
    if check is None:
        return False
    pid = os.fork()
    if pid == 0:
        os._exit(1 if check() else 0)
    _, status = os.waitpid(pid, 0)
    return os.WEXITSTATUS(status) != 0


def _send(sock: socket.socket, message: dict) -> None:
    try:
        sock.send(json.dumps(message).encode("utf-8"))
    except OSError:
        pass


def _run_child(fds: list[int], workdir: str, env: dict, keep_closed: list[int]) -> None:
    """In the forked child: become a fresh session on the tutor's pipes, then run the job."""
    code = 70
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for fd in keep_closed:
            os.close(fd)
        job_r, res_w, out_w = fds
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        os.dup2(out_w, 2)
        os.close(null)
        os.close(out_w)
        # Unbuffered, like PYTHONUNBUFFERED for a cold child: output printed just
        # before a timeout must still reach the tutor.
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
        for fd, name in ((1, "stdout"), (2, "stderr")):
            setattr(sys, name, io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="utf-8",
                                                errors="backslashreplace", write_through=True))
        os.chdir(workdir)
        os.environ.clear()
        os.environ.update(env)
        import torch

        # The worker warmed up on one thread (see main); the child gets the
        # machine's usual thread count back and starts its own OpenMP pool.
        torch.set_num_threads(_THREADS)
        from tutor.check.harness import serve

        serve(job_r, res_w)
    except BaseException:
        pass
    os._exit(code)


def _rss_kb() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reap(sock: socket.socket, children: set[int]) -> None:
    # Also reaps orphans of the checks, which come to this process as subreaper
    # (they are killed by the tutor at the end of their run); only the checks'
    # own exits are news for the tutor.
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid not in children:
            continue
        children.discard(pid)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        _send(sock, {"op": "exit", "pid": pid, "status": code})


def _become_subreaper() -> None:
    """Linux: orphans of the checks (double forks) come here and are reaped, not left as zombies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def serve_forever(sock: socket.socket) -> None:
    """Answer requests until the tutor goes away, then kill what is left and exit."""
    import torch

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _become_subreaper()
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ, "sock")
    sel.register(wake_r, selectors.EVENT_READ, "wake")
    children: set[int] = set()
    _send(sock, {"op": "ready", "pid": os.getpid()})
    while True:
        for key, _ in sel.select(timeout=1.0):
            if key.data == "wake":
                os.read(wake_r, 4096)
                continue
            try:
                data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, 3)
            except OSError:
                data, fds = b"", []
            if not data:
                for pid in children:
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except OSError:
                        pass
                os._exit(0)
            request = json.loads(data.decode("utf-8"))
            if request.get("op") == "run" and len(fds) == 3:
                pid = os.fork()
                if pid == 0:
                    _run_child(fds, request["workdir"], request["env"], [sock.fileno(), wake_r, wake_w])
                children.add(pid)
                for fd in fds:
                    os.close(fd)
                _send(sock, {"op": "started", "id": request.get("id"), "pid": pid})
            elif request.get("op") == "status":
                for fd in fds:
                    os.close(fd)
                _send(sock, {"op": "status", "id": request.get("id"), "pid": os.getpid(), "rss_kb": _rss_kb(),
                             "cuda_initialized": bool(torch.cuda.is_initialized()),
                             "cuda_fork_poisoned": _fork_poisoned(torch),
                             "children": len(children)})
        _reap(sock, children)


def main() -> None:
    """Entry point: `python -c ... main()` with the socket's fd number in argv."""
    global _THREADS
    sock = socket.socket(fileno=int(sys.argv[1]))
    try:
        import torch

        # OpenMP worker threads started here would not exist in a forked child,
        # whose next parallel region would then wait for them for ever. So the
        # worker never runs a parallel region: one thread while warming up.
        _THREADS = torch.get_num_threads()
        torch.set_num_threads(1)
        # Asking CUDA anything (Adam's first step calls torch.cuda.is_available())
        # starts the driver here, and a forked child may then never use CUDA
        # ("Cannot re-initialize CUDA in forked subprocess"). While warming up,
        # torch is told there is no GPU; children ask for themselves.
        real = torch.cuda.is_available
        torch.cuda.is_available = lambda: False
        try:
            warm_up()
        finally:
            torch.cuda.is_available = real
    except Exception:
        # A broken environment (no torch, say): say nothing and exit; the
        # tutor falls back to the cold path, which reports the problem properly.
        os._exit(3)
    serve_forever(sock)


if __name__ == "__main__":
    main()
