"""Shared GPU servers, on a CPU-only machine: the fake device layer, CUDA_VISIBLE_DEVICES, `auto`, doctor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.check.checker import Checker
from tutor.course.manifest import load_course
from tutor.machine.gpus import FAKE_VAR, MIN_FREE, CachedReader, GpuInfo, GpuReading, parse_device, place, read_gpus, visible_subset
from tutor.check.runner import ColdRunner, Job
from tutor.check.warm import WarmRunner

CLASSROOM = [  # three cards of one server, shared by a class
    {"name": "NVIDIA A100-SXM4-40GB", "free_mib": 2048, "total_mib": 40960, "processes": 6, "uuid": "GPU-1111aaaa"},
    {"name": "NVIDIA A100-SXM4-40GB", "free_mib": 30000, "total_mib": 40960, "processes": 1, "uuid": "GPU-2222bbbb"},
    {"name": "NVIDIA A100-SXM4-40GB", "free_mib": 35000, "total_mib": 40960, "processes": 0, "uuid": "GPU-3333cccc"},
]


def gpus(*free_mib: int) -> list[GpuInfo]:
    return [GpuInfo(index=i, uuid=f"GPU-{i}{i}{i}", name="G", free=f << 20, total=40 << 30) for i, f in enumerate(free_mib)]


def fake_env(spec, visible: str | None = None) -> dict:
    env = {FAKE_VAR: json.dumps(spec)}
    if visible is not None:
        env["CUDA_VISIBLE_DEVICES"] = visible
    return env


@pytest.mark.parametrize("visible, expected", [
    ("0,2", [0, 2]),
    ("2,0", [2, 0]),           # CUDA numbers them in the order given
    ("1", [1]),
    ("GPU-3333", [2]),          # a unique UUID prefix
    ("GPU-", []),               # ambiguous prefix: names nothing, ends the list
    ("0,7,2", [0]),             # an entry naming no GPU ends the list
    ("-1", []),
    ("", []),
    ("1,1", [1]),               # a repeat ends the list too
    ("MIG-abcd", []),
])
def test_cuda_visible_devices_is_read_as_cuda_reads_it(visible, expected):
    reading = read_gpus(fake_env(CLASSROOM, visible))
    assert [g.index for g in reading.gpus] == expected
    assert reading.hidden == 3 - len(expected) and reading.visible == visible


def test_auto_picks_the_freest_visible_card_and_runs_on_it_alone():
    reading = read_gpus(fake_env(CLASSROOM))
    assert reading.source == "fake" and reading.best().uuid == "GPU-3333cccc"
    chosen = place("auto", reader=lambda: reading)
    # The check sees one GPU, the chosen card, as cuda:0, whatever the numbering.
    assert (chosen.device, chosen.visible, chosen.reason) == ("auto", "GPU-3333cccc", "most_free")
    assert chosen.describe("cuda") == "cuda (GPU 2, NVIDIA A100-SXM4-40GB)" and chosen.describe("cpu") == "cpu"
    # The student hid card 2: the freest of the rest.
    only = read_gpus(fake_env(CLASSROOM, "0,1"))
    assert place("auto", reader=lambda: only).visible == "GPU-2222bbbb"


def test_every_card_full_means_the_cpu_with_the_reason():
    full = GpuReading(gpus=gpus(100, 200), source="fake")
    chosen = place("auto", reader=lambda: full)
    assert chosen.device == "cpu" and chosen.reason == "all_full" and chosen.gpu.free == 200 << 20 < MIN_FREE


def test_defaults_and_explicit_choices():
    never = lambda: pytest.fail("no reading needed")  # noqa: E731
    assert place(None, wants_gpu=False, reader=never).device == "cpu"  # ordinary exercises stay off shared GPUs
    assert place("cpu", wants_gpu=True, reader=never).device == "cpu"
    assert place("cuda:1", reader=never).device == "cuda:1"
    two = GpuReading(gpus=gpus(500, 9000), source="fake")
    assert place(None, wants_gpu=True, reader=lambda: two).visible == "GPU-111"  # GPU exercises: as auto
    # No nvidia-smi: the child decides (CUDA if torch has it, else the CPU).
    assert place("auto", reader=lambda: GpuReading(source="none", error="nvidia-smi not found")).device == "auto"
    assert place("auto", reader=lambda: GpuReading(source="fake")).device == "cpu"  # a machine with no GPU
    for good in ("cpu", "cuda", "cuda:3", "auto", "default"):
        assert parse_device(good) == good
    for bad in ("gpu", "cuda:", "cuda:x", "CUDA", ""):
        with pytest.raises(ValueError):
            parse_device(bad)


def test_a_failing_or_broken_reading_is_no_reading(tmp_path):
    assert read_gpus(fake_env({"error": "NVIDIA-SMI has failed"})).source == "none"
    assert "DLTUTOR_FAKE_GPUS" in read_gpus({FAKE_VAR: str(tmp_path / "missing.json")}).error
    (tmp_path / "g.json").write_text(json.dumps(CLASSROOM[:1]), encoding="utf-8")
    assert [g.processes for g in read_gpus({FAKE_VAR: str(tmp_path / "g.json")}).gpus] == [6]
    # Without the fake and without nvidia-smi on PATH: no reading, no crash.
    assert read_gpus({"PATH": str(tmp_path)}).source in ("none", "nvidia-smi")


def test_the_reading_is_kept_a_few_seconds():
    calls = []
    reader = CachedReader(ttl_s=60, reader=lambda: calls.append(1) or GpuReading())
    reader(), reader(), reader()
    assert len(calls) == 1
    stale = CachedReader(ttl_s=0, reader=lambda: calls.append(1) or GpuReading())
    stale(), stale()
    assert len(calls) == 3


ENV_CHECK = '''
import os
from tutor.checkkit import check

@check(ja="環境", en="environment")
def env(t):
    t.equal(os.environ.get("CUDA_VISIBLE_DEVICES"), t.call("expected"), name="CUDA_VISIBLE_DEVICES")
'''


@pytest.mark.parametrize("runner_kind", ["cold", "warm"])
def test_the_chosen_card_reaches_the_checked_process(tmp_path, runner_kind):
    """The run gets CUDA_VISIBLE_DEVICES=<uuid of the chosen card> on the cold and the warm path."""
    check = tmp_path / "check.py"
    check.write_text(ENV_CHECK, encoding="utf-8")
    student = tmp_path / "student.py"
    student.write_text("def expected():\n    return 'GPU-3333cccc'\n", encoding="utf-8")
    runner = ColdRunner() if runner_kind == "cold" else WarmRunner()
    try:
        from tutor.check.checker import judge

        def run(visible):
            job = Job(exercise="x/y", student_path=student, source=student.read_text(), check_path=check, seed=1,
                      device="cpu", timeout_s=20, visible_devices=visible)
            return judge(runner.run(job), job)

        assert run("GPU-3333cccc").kind == "passed"
        assert run("GPU-1111aaaa").kind == "failed"  # the value really is the one passed
    finally:
        getattr(runner, "close", lambda: None)()


def test_a_gpu_exercise_on_full_cards_says_so(tmp_path, monkeypatch, minicourse_root):
    """With every card full, a GPU exercise runs on the CPU and its needs-GPU verdict names the reason."""
    from tutor.session import Tutor

    course = tmp_path / "course"
    import shutil

    shutil.copytree(minicourse_root, course)
    toml = course / "course.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("gpu = false", "gpu = true", 1), encoding="utf-8")
    check = next((course / "checks" / "basics").glob("01-*.py"))
    check.write_text(check.read_text(encoding="utf-8").replace("@check(", "@check(needs_gpu=True, ", 1), encoding="utf-8")
    monkeypatch.setenv(FAKE_VAR, json.dumps([{"name": "G", "free_mib": 10, "total_mib": 40960}]))
    tutor = Tutor.open(course=course)
    try:
        ex = tutor.course.exercises[0]
        assert ex.gpu
        path, _ = tutor.prepare(ex)
        path.write_text(ex.solution_path.read_text(encoding="utf-8"), encoding="utf-8")
        v = tutor.check(ex)
        assert v.kind == "no_gpu" and "nearly full" in v.detail.en and "10 MiB" in v.detail.en
        assert not tutor.progress(ex).passed
    finally:
        tutor.close()


def run_cli(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("CUDA_VISIBLE_DEVICES", FAKE_VAR)}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env,
                          timeout=180, stdin=subprocess.DEVNULL)


def test_doctor_lists_each_card_and_the_choice():
    proc = run_cli("doctor", "--lang", "en", "--json", env_extra=fake_env(CLASSROOM, "0,1"))
    data = json.loads(proc.stdout)
    lines = {line["label"]: line for line in data["lines"]}
    assert lines["CUDA_VISIBLE_DEVICES"]["value"] == "0,1 (1 more GPU(s) hidden)"
    assert "2.0 GiB free of 40.0 GiB, 6 other process(es)" in lines["GPU 0 (cuda:0)"]["value"]
    assert "29.3 GiB free" in lines["GPU 1 (cuda:1)"]["value"]
    assert "GPU 2 (cuda:2)" not in lines  # hidden by CUDA_VISIBLE_DEVICES
    choice = lines["GPU for --device auto"]
    assert choice["value"].startswith("GPU 1 (NVIDIA A100-SXM4-40GB): it has the most free memory")
    assert [g["index"] for g in data["gpus"]["gpus"]] == [0, 1] and data["gpus"]["source"] == "fake"
    ja = run_cli("doctor", "--lang", "ja", env_extra=fake_env(CLASSROOM)).stdout
    assert "GPU 2 (NVIDIA A100-SXM4-40GB): 空きメモリがいちばん多いため" in ja.replace("\n", "")
    full = run_cli("doctor", "--lang", "en", env_extra=fake_env([dict(CLASSROOM[0], free_mib=50)])).stdout
    assert "every GPU is nearly full" in full.replace("\n", " ") and "Traceback" not in full


def test_mixed_cards_warn_about_numbering():
    mixed = [dict(CLASSROOM[0]), dict(CLASSROOM[1], name="NVIDIA RTX A6000")]
    out = run_cli("doctor", "--lang", "en", env_extra=fake_env(mixed)).stdout.replace("\n", " ")
    assert "CUDA_DEVICE_ORDER=PCI_BUS_ID" in out
    same = run_cli("doctor", "--lang", "en", env_extra={**fake_env(mixed), "CUDA_DEVICE_ORDER": "PCI_BUS_ID"}).stdout
    assert "CUDA_DEVICE_ORDER=PCI_BUS_ID" not in same.replace("\n", " ")


def test_bad_device_is_a_usage_error():
    proc = run_cli("check", "1.1", "--device", "gpu0")
    assert proc.returncode == 2 and "invalid device" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(not Path("/dev/nvidia0").exists(), reason="needs a real NVIDIA GPU (run on a GPU machine)")
def test_real_gpu_reading_matches_torch():
    """On a GPU machine: nvidia-smi's cards are the ones torch sees, and auto runs a check there."""
    reading = read_gpus()
    assert reading.source == "nvidia-smi" and reading.gpus
    course = load_course(Path(__file__).parent / "fixtures" / "minicourse")
    ex = course.exercises[0]
    chosen = place("auto", reader=lambda: reading)
    v = Checker().check(ex, ex.solution_path, device=chosen.device, visible_devices=chosen.visible)
    assert v.passed and v.device.startswith("cuda")
