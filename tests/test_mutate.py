"""`dltutor dev mutate`: the operators make the mistakes they say, the reviewed list of
equivalent mutants is sound, and the command reports and exits as promised.

The default suite runs a small sample of mutants through the real checks; the
full run over every exercise carries the `slow` marker (`pytest -m slow`).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tutor.course.manifest import load_course
from tutor.dev.mutants import OPERATORS, mutants
from tutor.dev.mutate import EQUIVALENT_FILE, load_equivalents

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
SUMMARY = re.compile(r"^mutants (\d+), killed (\d+), equivalent (\d+), survived (\d+), named (\d+)$")

LOOP = '''
import torch
from torch import nn


def train(model, loader, epochs, lr):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(x).argmax(dim=1)
    return losses, out.view(out.size(0), -1).mean()
'''


def _by_id(source: str) -> dict:
    return {m.id: m for m in mutants(source)}


def test_operators_make_the_mistakes_they_name():
    """Each operator's mutant differs from the source in exactly the way it says, and parses."""
    made = _by_id(LOOP)
    expect = {
        "delete:train:": "optimizer.zero_grad()",
        "no-grad:train:1": "with torch.no_grad()",
        "eval-train:train:1": "model.eval()",
        "loss:train:1": "CrossEntropyLoss",
        "squash:train:1": "loss_fn(model(x), y)",
        "lr:train:1": "lr=lr",
        "epochs:train:1": "range(epochs)",
        "axis:train:1": "argmax(dim=1)",
        "mean-sum:train:1": ".mean()",
        "flatten:train:1": "view(out.size(0), -1)",
        "ignore-given:train:1": None,
    }
    base = ast.unparse(ast.parse(LOOP))
    for prefix, original in expect.items():
        found = [m for mid, m in made.items() if mid.startswith(prefix)]
        assert found, f"no mutant {prefix}"
        for m in found:
            ast.parse(m.source)
            assert m.source.strip() != base.strip()
            if original and prefix != "delete:train:":
                assert original in base and (original not in m.source or m.op in ("squash", "lr", "epochs", "axis")), m.id
    assert "loss_fn = nn.NLLLoss()" in made["loss:train:1"].source
    assert "torch').softmax(model(x), dim=1)" in made["squash:train:1"].source
    assert "lr=lr / 10" in made["lr:train:1"].source
    assert "range(max(1, epochs // 10))" in made["epochs:train:1"].source
    assert "model.train()\n    with torch.no_grad()" in made["eval-train:train:1"].source
    deleted = [m for m in made.values() if m.op == "delete"]
    assert {"zero_grad", "backward", "step"} <= {m.what.split(".")[-1].split("(")[0] for m in deleted}


def test_mutant_ids_are_stable_and_words_bilingual():
    """Ids depend on the function and the place's number, not on lines; every mutant says
    what a verdict about it should contain in English and in Japanese."""
    first = _by_id(LOOP)
    shifted = _by_id("\n\n# a comment and blank lines move every line\n\n" + LOOP)
    assert first.keys() == shifted.keys()
    for m in first.values():
        assert m.words.en and m.words.ja and all(w.strip() for w in m.words.en + m.words.ja), m.id
    assert set(OPERATORS) >= {m.op for m in first.values()}


def test_library_mutants_bind_at_import_too():
    """For a by-hand function: one mutant calls the library, one binds it at import under another name."""
    made = _by_id("import torch\n\n\ndef sigmoid(u):\n    return 1 / (1 + torch.exp(-u))\n")
    assert "return torch.sigmoid(u)" in made["library:sigmoid:1"].source
    alias = made["library:sigmoid:2"].source
    assert "from torch import sigmoid as _sigmoid_lib" in alias and "return _sigmoid_lib(u)" in alias


def test_every_solution_gives_mutants():
    """The operators find places to mutate in (nearly) every reference solution."""
    counts = {ex.key: len(mutants(ex.solution_path.read_text(encoding="utf-8"))) for ex in COURSE.exercises}
    assert sum(counts.values()) > 300
    assert sum(1 for n in counts.values() if n == 0) <= 2, counts


def test_equivalent_mutants_are_reviewed_and_current():
    """Every listed equivalent names an existing exercise and a mutant its solution still makes,
    with a reason; the file parses as the tool reads it."""
    data = tomllib.loads((ROOT / EQUIVALENT_FILE).read_text(encoding="utf-8"))
    listed = load_equivalents(ROOT)
    assert len(listed) == len(data["mutant"]) > 0
    made = {ex.key: {m.id for m in mutants(ex.solution_path.read_text(encoding="utf-8"))} for ex in COURSE.exercises}
    for (key, mid), reason in listed.items():
        assert key in made, key
        assert mid in made[key], f"{key}: {mid} is no longer made"
        assert len(reason) > 30, f"{key} {mid}: say why it is equivalent"


def _mutate(*args: str, cwd: Path = ROOT, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "tutor", "dev", "mutate", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def test_sample_of_mutants_through_the_real_checks():
    """A small sample of the course's mutants: all rejected, and the last line as promised."""
    proc = _mutate("tensors/01-create", "regression/01-mse", "logistic/02-bce", "--sample", "3")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    m = SUMMARY.match(last)
    assert m, last
    total, killed, equivalent, survived, named = map(int, m.groups())
    assert total == 9 and survived == 0 and killed + equivalent == total and named <= killed
    for key in ("tensors/01-create", "regression/01-mse", "logistic/02-bce"):
        assert any(line.startswith(f"{key}: mutants 3,") for line in proc.stdout.splitlines()), proc.stdout


def test_a_hole_in_the_checks_is_reported(tmp_path: Path, minicourse_root: Path):
    """A pack whose check lets a mutant pass: it is listed as survived, and the command exits 1;
    listing it as equivalent (with a reason) makes the run clean."""
    pack = tmp_path / "pack"
    shutil.copytree(minicourse_root, pack)
    proc = _mutate("--course", str(pack), "training/01-fit", "--op", "drop-call", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "survived drop-call:fit:3" in proc.stdout  # losses kept as tensors: this check never looks
    summary = SUMMARY.match(proc.stdout.strip().splitlines()[-1])
    assert summary and int(summary.group(4)) >= 1
    survivors = re.findall(r"survived ([a-z-]+:\S+:\d+)", proc.stdout)
    (pack / EQUIVALENT_FILE).write_text("".join(
        f'[[mutant]]\nexercise = "training/01-fit"\nid = "{mid}"\nreason = "The minicourse check accepts this on purpose, for this test."\n\n'
        for mid in survivors), encoding="utf-8")
    proc = _mutate("--course", str(pack), "training/01-fit", "--op", "drop-call", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"equivalent {len(survivors)}, survived 0" in proc.stdout.strip().splitlines()[-1]


def test_unknown_operator_is_a_usage_error():
    proc = _mutate("tensors/01-create", "--op", "no-such-op")
    assert proc.returncode == 2 and "no-such-op" in proc.stderr


@pytest.mark.slow
def test_every_mutant_of_the_course():
    """The full run: every mutant of every exercise is rejected or a reviewed equivalent, and
    at least 90% of the rejections name the mistake in both languages."""
    proc = _mutate()
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
    m = SUMMARY.match(proc.stdout.strip().splitlines()[-1])
    assert m, proc.stdout[-2000:]
    total, killed, equivalent, survived, named = map(int, m.groups())
    assert survived == 0 and killed + equivalent == total
    assert named >= 0.9 * killed, proc.stdout[-5000:]
