"""The tutor behind textual-serve (JupyterHub, a browser): it starts, `e` says one thing, a save from outside is checked."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_tui_support import FakeChecker, Notes, anyio_backend, make_app, open_tutor, settle, tui_env, wait_for, write_course  # noqa: F401
from tutor.cli.commands import served
from tutor.tui.app import TutorApp
from tutor.tui.widgets import KeyBar, LessonView

ROOT = Path(__file__).resolve().parent.parent


def test_served_is_read_from_textual_serves_environment():
    assert served({"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"})
    assert not served({}) and not served({"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"})


@pytest.mark.anyio
async def test_in_a_browser_e_says_where_the_file_is_and_a_save_is_checked(tui_env, monkeypatch):
    monkeypatch.setattr(TutorApp, "is_web", property(lambda self: True))
    monkeypatch.setenv("EDITOR", "vim")
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda *a, **k: calls.append(a) or 0)
    checker = FakeChecker(["failed"])
    tutor = open_tutor(write_course(tui_env), checker=checker)
    tutor.choose_lang("en")
    app = make_app(tutor, poll=True)
    notes = Notes()
    async with app.run_test(size=(94, 35), message_hook=notes) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause(0.3)
        assert calls == []  # no editor is started in a browser
        said = [t for t in notes.texts if "editor" in t.lower()]
        assert len(said) == 1 and "01-add.py" in said[0] and "every save is checked" in said[0], notes.texts
        await pilot.pause(0.8)  # the first poll has seen the file
        tutor.workspace.path(tutor.find("1.1")).write_text("def add(a, b):\n    return a\n", encoding="utf-8")
        await wait_for(pilot, lambda: checker.calls, timeout=20, what="the check of a save made outside")
    tutor.close()


@pytest.mark.anyio
@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_a_browser_window_keeps_the_keys_on_one_line(tui_env, lang):
    tutor = open_tutor(write_course(tui_env), checker=FakeChecker())
    tutor.choose_lang(lang)
    app = make_app(tutor, poll=False)
    async with app.run_test(size=(94, 35)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(KeyBar).size.height == 1
        assert app.screen.query_one(LessonView).size.height >= 12
    tutor.close()


def _chromium() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


def _tutor_children(server_pid: int) -> list[str]:
    """Command lines of `tutor start` processes under the server."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout.splitlines()[1:]
    kids = {server_pid}
    found = []
    for _ in range(4):
        for line in out:
            pid, ppid, args = line.split(None, 2)
            if int(ppid) in kids:
                kids.add(int(pid))
                if "tutor start" in args:
                    found.append(args)
    return found


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed (apt install chromium; CI installs it)")
def test_dltutor_serve_starts_the_app_in_headless_chromium(tmp_path):
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install .[web])")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DLTUTOR_STATE_DIR": str(tmp_path / "st"), "DLTUTOR_WORKSPACE": str(tmp_path / "ws"),
           "HOME": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port), "--lang", "ja"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        browser = subprocess.Popen([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1024,640",
                                    "--remote-debugging-port=0",  # keeps the page open, its websocket too
                                    f"http://127.0.0.1:{port}/"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        alive_since = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and browser.poll() is None:
            if _tutor_children(server.pid):
                alive_since = alive_since or time.monotonic()
                if time.monotonic() - alive_since > 4:  # the text guide would have ended at once
                    break
            else:
                alive_since = None
            time.sleep(0.25)
        assert alive_since is not None and time.monotonic() - alive_since > 4, "the app did not stay up behind textual-serve"
        browser.kill()
        browser.wait(timeout=30)
    finally:
        os.killpg(server.pid, 9)
        server.wait(timeout=30)
