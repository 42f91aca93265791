"""Hostile code and bad input, round 2 (issue 19): real child processes, as root and as an ordinary user.

 1 CPU-time budget under load ........ test_a_correct_training_answer_passes_while_both_cores_are_busy,
                                       test_an_endless_loop_under_load_ends_on_its_cpu_budget
 2 no survivors for an ordinary user . test_nothing_outlives_a_run_of_an_ordinary_user,
                                       test_after_kill_9_of_an_ordinary_users_tutor_the_next_run_sweeps
 3 totals of the tree ................ test_memory_of_the_whole_tree_is_capped, test_disk_of_the_whole_run_is_capped,
                                       test_dev_shm_files_of_the_run_are_removed
 4 one escape ........................ test_escape_text_shows_every_control, test_exception_messages_reach_no_terminal_raw
 7 BOM and CRLF ...................... test_a_file_with_a_bom_and_crlf_passes

The ordinary user is made with `useradd` when the tests run as root (CI), and
the tutor runs as that user in a child whose privileges are dropped before
exec; without root they run as whoever runs them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from tutor.check.checker import Checker
from tutor.i18n import escape_text

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only limits and /proc")

ROOT = Path(__file__).resolve().parent.parent
ADD = "basics/01-add"
SOLUTION = "import torch\n\n\ndef add(a, b):\n    return a + b\n"
USER = "dltutor-test"


def alive(pid: int) -> bool:
    """True if `pid` runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_gone(pids, within: float) -> list[int]:
    """The pids still alive after waiting up to `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        left = [p for p in pids if alive(p)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


# ---------------------------------------------------------------------------
# 4. one escape


@pytest.mark.parametrize("raw,shown", [
    ("\x1b]52;c;aGVsbG8=\x07", "\\x1b]52;c;aGVsbG8=\\x07"),  # OSC 52: the clipboard
    ("\x1b]0;title\x1b\\", "\\x1b]0;title\\x1b\\"),  # OSC 0: the window title
    ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),  # CSI: clear the screen
    ("\x9b2J\x9d0;t\x9c", "\\x9b2J\\x9d0;t\\x9c"),  # C1 CSI, OSC, ST
    ("abc\u202edcba\u2066x\u2069\u200f", "abc\\u202edcba\\u2066x\\u2069\\u200f"),  # bidi overrides, isolates
    ("a\rb\x08c\x00", "a\\x0db\\x08c\\x00"),
    ("行1\n\t行2", "行1\n\t行2"),  # newlines, tabs and Japanese stay
])
def test_escape_text_shows_every_control(raw, shown):
    assert escape_text(raw) == shown
    assert escape_text(shown) == shown  # idempotent: stored verdicts are escaped again on read


HOSTILE_MESSAGE = "\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J\\x9b31m\\u202eevil\\x1b]0;pwned\\x07"


def test_exception_messages_reach_no_terminal_raw(minicourse, student_file, tmp_path):
    path = student_file(f'import torch\n\n\ndef add(a, b):\n    raise ValueError("{HOSTILE_MESSAGE}")\n')
    verdict = Checker().check(minicourse.find(ADD), path)
    assert verdict.kind == "error", verdict.to_json()
    text = repr(verdict.to_json())
    assert "ValueError" in text and "\\\\x1b]52" in text  # shown, as visible text
    for bad in ("\x1b", "\x9b", "\u202e", "\x07"):
        assert bad not in str(verdict.to_json())
    # And through the real command line, where the clipboard would be written.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(DLTUTOR_WORKSPACE=str(tmp_path / "ws"), DLTUTOR_STATE_DIR=str(tmp_path / "state"),
               DLTUTOR_LANG="en", COLUMNS="100")
    (tmp_path / "ws/basics").mkdir(parents=True)
    shutil.copy(path, tmp_path / "ws/basics/01-add.py")
    out = subprocess.run([sys.executable, "-m", "tutor", "check", ADD, "--course", str(minicourse.root)],
                         cwd=ROOT, env=env, capture_output=True, timeout=300)
    shown = out.stdout.decode("utf-8", "replace") + out.stderr.decode("utf-8", "replace")
    assert "ValueError" in shown, shown
    for bad in ("\x1b]", "\x9b", "\u202e", "\x07"):
        assert bad not in shown


# ---------------------------------------------------------------------------
# 7. BOM and CRLF


def test_a_file_with_a_bom_and_crlf_passes(minicourse, student_file):
    path = student_file(b"\xef\xbb\xbf" + SOLUTION.replace("\n", "\r\n").encode())
    verdict = Checker().check(minicourse.find(ADD), path)
    assert verdict.kind == "passed", verdict.to_json()
    stub = minicourse.find(ADD).stub_path.read_bytes()
    untouched = student_file(b"\xef\xbb\xbf" + stub.replace(b"\n", b"\r\n"), name="stub.py")
    assert Checker().check(minicourse.find(ADD), untouched).kind == "not_started"


# ---------------------------------------------------------------------------
# 1. CPU time, not wall-clock time


@pytest.fixture
def both_cores_busy():
    """Two processes that keep both cores busy for the test."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    time.sleep(0.5)
    yield hogs
    for hog in hogs:
        hog.kill()
        hog.wait()


def test_a_correct_training_answer_passes_while_both_cores_are_busy(minicourse, both_cores_busy):
    exercise = minicourse.find("training/01-fit")
    verdict = Checker().check(exercise, exercise.solution_path)
    assert verdict.kind == "passed", verdict.to_json()
    assert 0 < verdict.cpu_s <= exercise.timeout_s  # both measured and reported
    assert verdict.wall_s > 0


def test_an_endless_loop_under_load_ends_on_its_cpu_budget(minicourse, student_file, both_cores_busy):
    path = student_file("def add(a, b):\n    while True:\n        pass\n")
    start = time.monotonic()
    verdict = Checker().check(minicourse.find(ADD), path)
    assert verdict.kind == "timeout", verdict.to_json()
    assert "CPU time" in verdict.detail.en
    assert verdict.cpu_s >= minicourse.find(ADD).timeout_s
    assert time.monotonic() - start < 120  # in time: long before the wall-clock limit would matter


def test_a_sleep_ends_on_the_wall_clock_limit(minicourse, student_file, monkeypatch):
    from tutor.check import runner as runner_module
    monkeypatch.setattr(runner_module, "WALL_EXTRA_S", 0.0)
    monkeypatch.setattr(runner_module, "WALL_FACTOR", 1.0)
    path = student_file("import time\n\n\ndef add(a, b):\n    time.sleep(1000)\n")
    verdict = Checker().check(minicourse.find(ADD), path)
    assert verdict.kind == "timeout", verdict.to_json()
    assert "wall-clock" in verdict.detail.en
    assert verdict.cpu_s < 1.0


# ---------------------------------------------------------------------------
# 3. totals across the tree


def test_memory_of_the_whole_tree_is_capped(minicourse, student_file):
    # Three processes of 150 MB each: every one under the 200 MB cap, together over it.
    path = student_file("""
        import subprocess
        import sys
        import time

        hold = "b = bytearray(b'x') * (150 << 20); import time; time.sleep(60)"
        procs = [subprocess.Popen([sys.executable, "-c", hold]) for _ in range(3)]
        time.sleep(60)


        def add(a, b):
            return a + b
    """)
    verdict = Checker(memory_mb=200).check(minicourse.find(ADD), path)
    assert verdict.kind == "oom", verdict.to_json()


def test_disk_of_the_whole_run_is_capped(minicourse, student_file, tmp_path, monkeypatch):
    folder = tmp_path / "runner-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    # Twenty files of 8 MB: each under the 16 MB per-file cap, together over the run's total.
    path = student_file("""
        import os
        import time

        for i in range(20):
            with open(f"f{i}", "wb") as fh:
                fh.write(os.urandom(8 << 20))
        time.sleep(30)


        def add(a, b):
            return a + b
    """)
    verdict = Checker(file_mb=16).check(minicourse.find(ADD), path)
    assert verdict.kind == "file_limit", verdict.to_json()
    assert [p for p in folder.iterdir() if p.name.startswith("dltutor-run-")] == []


def test_dev_shm_files_of_the_run_are_removed(minicourse, student_file):
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm here")
    name = f"dltutor-test-{os.getpid()}-{time.monotonic_ns()}"
    path = student_file(f"""
        with open("/dev/shm/{name}", "wb") as fh:
            fh.write(b"x" * 4096)


        def add(a, b):
            return a + b
    """)
    verdict = Checker().check(minicourse.find(ADD), path)
    assert verdict.kind == "passed", verdict.to_json()
    assert not os.path.exists(f"/dev/shm/{name}")


# ---------------------------------------------------------------------------
# 2. no survivors, for an ordinary user


def _ordinary_user() -> tuple[int, int] | None:
    """(uid, gid) of an unprivileged user to run the tutor as: ourselves, or one made for the tests."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        if shutil.which("useradd") is None:
            return None
        if subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/false", USER]).returncode:
            return None
        entry = pwd.getpwnam(USER)
    return entry.pw_uid, entry.pw_gid


@pytest.fixture
def ordinary(tmp_path):
    """Run Python scripts as an ordinary user: returns start(script) -> Popen, and a folder they may write."""
    ids = _ordinary_user()
    if ids is None:
        pytest.skip("no ordinary user can be made here")
    uid, gid = ids
    # The interpreter may sit in a 0700 home (root's pyenv): let the user pass through it for the test.
    opened = []
    if os.geteuid() == 0:
        for parent in Path(sys.executable).resolve().parents:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                os.chmod(parent, mode | stat.S_IXOTH)
                opened.append((parent, mode))
    folder = Path(tempfile.mkdtemp(prefix="dltutor-user-"))
    os.chown(folder, uid, gid)

    def start(script: str) -> subprocess.Popen:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder), "DLTUTOR_LANG": "en",
               "TMPDIR": str(folder)}
        return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], cwd=folder, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                user=uid if os.geteuid() == 0 else None,
                                group=gid if os.geteuid() == 0 else None,
                                extra_groups=[] if os.geteuid() == 0 else None)

    try:
        yield start, folder
    finally:
        for parent, mode in opened:
            os.chmod(parent, mode)
        shutil.rmtree(folder, ignore_errors=True)


def _tutor_script(course_root: Path, student: Path) -> str:
    return f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from tutor.check.checker import Checker
        from tutor.course.manifest import load_course
        course = load_course(Path({str(course_root)!r}))
        verdict = Checker().check(course.find({ADD!r}), Path({str(student)!r}))
        print("VERDICT", verdict.kind)
    """


ESCAPES = """
import os
import subprocess
import time

def note(name, pid):
    with open(os.path.join({folder!r}, name), "w") as fh:
        fh.write(str(pid))

note("plain", subprocess.Popen(["sleep", "1000"]).pid)
# No marker at all: a new session, an empty environment, another program.
note("cleared", subprocess.Popen(["sleep", "1001"], start_new_session=True, env={{}}).pid)
if os.fork() == 0:  # fork, setsid, fork again, exec with an empty environment
    os.setsid()
    if os.fork() == 0:
        note("daemon", os.getpid())
        os.execve("/bin/sleep", ["sleep", "1002"], {{}})
    os._exit(0)
while len(os.listdir({folder!r})) < 3:
    time.sleep(0.01)
{tail}

def add(a, b):
    return a + b
"""


@pytest.mark.parametrize("runner", ["cold", "warm"])
def test_nothing_outlives_a_run_of_an_ordinary_user(minicourse, ordinary, runner):
    start, folder = ordinary
    pids = folder / "pids"
    pids.mkdir()
    student = folder / "student.py"
    student.write_text(ESCAPES.format(folder=str(pids), tail=""))
    script = _tutor_script(minicourse.root, student)
    if runner == "warm":
        script = script.replace("Checker()", "Checker(runner=__import__('tutor.check.warm', fromlist=['x']).WarmRunner())")
    os.chown(pids, *(_ordinary_user() or (os.getuid(), os.getgid())))
    proc = start(script)
    out = proc.communicate(timeout=300)
    found = {p.name: int(p.read_text()) for p in pids.iterdir()}
    try:
        assert proc.returncode == 0, out
        assert set(found) == {"plain", "cleared", "daemon"}
        assert wait_gone(found.values(), 2.0) == []
    finally:
        for pid in found.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_after_kill_9_of_an_ordinary_users_tutor_the_next_run_sweeps(minicourse, ordinary):
    start, folder = ordinary
    pids = folder / "pids"
    pids.mkdir()
    os.chown(pids, *(_ordinary_user() or (os.getuid(), os.getgid())))
    student = folder / "student.py"
    student.write_text(ESCAPES.format(folder=str(pids), tail=(
        "note('child', os.getpid())\ntime.sleep(1000)\n")))
    tutor = start(_tutor_script(minicourse.root, student))
    deadline = time.monotonic() + 120
    while not (pids / "child").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the tutor's next look at the tree writes it down
    found = {p.name: int(p.read_text()) for p in pids.iterdir()}
    try:
        assert set(found) == {"plain", "cleared", "daemon", "child"}
        tutor.kill()  # kill -9: the tutor cleans nothing up
        tutor.wait()
        assert wait_gone([found["child"]], 2.0) == []  # the check dies with the tutor (parent-death signal)
        assert [n for n in ("cleared", "daemon") if alive(found[n])]  # what it started in a new session lives on
        # The next run of that user, in a new tutor, sweeps it.
        again = folder / "again.py"
        again.write_text(SOLUTION)
        nxt = start(_tutor_script(minicourse.root, again))
        out = nxt.communicate(timeout=300)
        assert b"VERDICT passed" in out[0], out
        assert wait_gone(found.values(), 2.0) == []
    finally:
        for pid in found.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------
# 8. broken course packs: one clear line naming the file


def _pack(tmp_path: Path, minicourse) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(minicourse.root, pack)
    return pack


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLTUTOR_")}
    env.update(DLTUTOR_WORKSPACE=str(tmp_path / "ws"), DLTUTOR_STATE_DIR=str(tmp_path / "state"),
               DLTUTOR_LANG="en", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("damage,words", [
    (lambda text: text.replace("minicourse", "mini\udcffcourse"), "not valid UTF-8"),
    (lambda text: text + "\ndeep = " + "[" * 50000 + "]" * 50000 + "\n", "nested too deeply"),
    (lambda text: text + ("# padding\n" * 200000), "over the limit"),
], ids=["invalid-utf8", "deep-nesting", "huge"])
@pytest.mark.parametrize("command", [["list"], ["check", ADD], ["dev", "verify", "--no-run"]],
                         ids=["list", "check", "dev-verify"])
def test_a_broken_course_toml_is_one_clear_line(minicourse, tmp_path, damage, words, command):
    pack = _pack(tmp_path, minicourse)
    manifest = pack / "course.toml"
    manifest.write_bytes(damage(manifest.read_text("utf-8")).encode("utf-8", "surrogateescape"))
    start = time.monotonic()
    out = _cli(tmp_path, *command, "--course", str(pack))
    assert out.returncode != 0
    assert "Traceback" not in out.stderr + out.stdout
    assert words in out.stderr and "course.toml" in out.stderr, out.stderr
    assert time.monotonic() - start < 120  # refused, not parsed for minutes


@pytest.mark.parametrize("which", ["lesson-text", "stub"])
def test_invalid_utf8_in_a_pack_file_is_named_by_dev_verify(minicourse, tmp_path, which):
    pack = _pack(tmp_path, minicourse)
    target = pack / ("lessons/basics/en.md" if which == "lesson-text" else "lessons/basics/01-add.py")
    target.write_bytes(target.read_bytes() + b"\n\xff\xfe broken\n")
    out = _cli(tmp_path, "dev", "verify", "--no-run", "--course", str(pack))
    shown = out.stdout + out.stderr
    assert "Traceback" not in shown
    assert out.returncode != 0
    assert "not valid UTF-8" in shown and target.name in shown, shown
    listed = _cli(tmp_path, "list", "--course", str(pack))
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr


# ---------------------------------------------------------------------------
# 10. a pass judged by another pack is shown as such


def test_a_pass_from_another_pack_with_the_same_id_is_shown_as_such(minicourse, tmp_path):
    pack = _pack(tmp_path, minicourse)
    # The same id, other check content (here only a comment more: any change is other content).
    check = pack / "checks/basics/01-add.py"
    check.write_text(check.read_text("utf-8") + "\n# another pack's checks\n")
    (tmp_path / "ws/basics").mkdir(parents=True)
    (tmp_path / "ws/basics/01-add.py").write_text(SOLUTION)
    assert _cli(tmp_path, "check", ADD, "--course", str(pack)).returncode == 0
    shown = _cli(tmp_path, "list", "--course", str(minicourse.root)).stdout
    assert "passed against other course content" in shown, shown
    progress = _cli(tmp_path, "progress", "--course", str(minicourse.root)).stdout
    assert "passed against other course content" in progress, progress
    same = _cli(tmp_path, "list", "--course", str(pack)).stdout
    assert "other course content" not in same


# ---------------------------------------------------------------------------
# 6. a short permission problem: the store recovers, and says what it could not save


def test_the_store_recovers_after_a_read_only_shm_file(ordinary):
    start, folder = ordinary  # an ordinary user: root would write the 0400 file anyway
    proc = start(f"""
        import os, sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from tutor.progress.store import Store

        path = Path({str(folder)!r}) / "progress.sqlite3"
        store = Store.open(path)
        assert store.record_attempt("a/b", "failed", 1.0, "cpu", "h1")
        store.close()
        shm = Path(str(path) + "-shm")
        shm.touch()
        os.chmod(shm, 0o400)
        store = Store.open(path)
        assert store.read_only and store.unwritable, store.notices  # said at the start
        # The next write tries again (the user's own -shm file can be made writable) and saves.
        assert store.record_attempt("a/b", "failed", 1.0, "cpu", "h2")
        assert not store.read_only
        assert store.record_attempt("a/b", "passed", 1.0, "cpu", "h3")
        assert [a.file_hash for a in store.attempts("a/b")] == ["h1", "h2", "h3"]
        assert any(n.key == "store.recovered" for n in store.notices)
        print("RECOVERED")
    """)
    out, err = proc.communicate(timeout=120)
    assert b"RECOVERED" in out, err.decode()


def test_an_attempt_the_store_cannot_save_is_said_and_saved_later(tmp_path):
    from tutor.progress.store import Store

    path = tmp_path / "progress.sqlite3"
    store = Store.open(path)
    store.read_only = store.unwritable = True  # as after a write that the file refused
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    store.path = blocker / "progress.sqlite3"  # cannot be opened for writing now
    assert store.record_attempt("a/b", "failed", 1.0, "cpu", "h1") is False
    assert len(store.unsaved) == 1
    store.path, store._retry_at = path, 0.0  # the file can be written again
    assert store.record_attempt("a/b", "passed", 1.0, "cpu", "h2")
    assert [a.file_hash for a in store.attempts("a/b")] == ["h1", "h2"]
    assert [n.params["count"] for n in store.notices if n.key == "store.recovered"] == [1]
    store.close()
