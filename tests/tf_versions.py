"""The TensorFlow lesson's version statements and its Keras 3 facts, against real TensorFlow.

The lesson says which TensorFlow and Keras versions its statements were checked
with; the first test holds the installed TensorFlow to that range, so a new
TensorFlow makes this suite fail until someone re-checks the lesson and moves the
range (in the lesson text and in pyproject's `tf` extra). The others check what
the lesson teaches about Keras 3 against Keras 2 (`tf_keras`), and about the
non-trainable weights of batch normalisation.

Run by tests/test_tf_facts.py in a process of its own (see tests/tf_facts.py for
why); it needs the optional extra `pip install .[tf]`. By hand:
python -m pytest -q tests/tf_versions.py
"""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow", reason="TensorFlow is not installed (optional extra: pip install .[tf])")
keras = tf.keras
ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "lessons" / "tf"


def _version(text):
    return tuple(int(p) for p in re.match(r"(\d+)\.(\d+)", text).groups())


def _stated_range():
    """The (low, high) TensorFlow minor versions the lesson says it was checked with, in both languages."""
    en = re.search(r"checked with TensorFlow (\d+\.\d+) to (\d+\.\d+) and Keras (\d+)", (LESSON / "en.md").read_text(encoding="utf-8"))
    ja = re.search(r"TensorFlow (\d+\.\d+) から (\d+\.\d+) と Keras (\d+) で確かめた", (LESSON / "ja.md").read_text(encoding="utf-8"))
    assert en and ja, "lessons/tf/{en,ja}.md must state the TensorFlow versions they were checked with"
    assert en.groups() == ja.groups(), f"the two languages state different versions: {en.groups()} and {ja.groups()}"
    return _version(en.group(1)), _version(en.group(2)), int(en.group(3))


def test_installed_versions_are_the_ones_the_lesson_states():
    low, high, keras_major = _stated_range()
    installed = _version(tf.__version__)
    assert low <= installed <= high, (f"TensorFlow {tf.__version__} is outside the {low}..{high} that lessons/tf states: "
                                      "re-check the lesson against it, then move the range there and in pyproject's tf extra")
    import keras as keras3

    assert _version(keras3.__version__)[0] == keras_major
    assert low >= (2, 16), "tf.keras is Keras 3 only from TensorFlow 2.16 on"


def test_tf_keras_is_keras_3():
    import keras as keras3

    assert keras3.__version__.startswith("3.")
    assert keras.layers.Dense is keras3.layers.Dense


def test_keras_3_refuses_lr_and_a_save_path_without_extension(tmp_path):
    with pytest.raises(ValueError, match=r"Argument\(s\) not recognized: \{'lr': 0.01\}"):
        keras.optimizers.Adam(lr=0.01)
    assert float(keras.optimizers.Adam(learning_rate=0.01).learning_rate) == pytest.approx(0.01)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        model.save(str(tmp_path / "my_model"))
    model.save(str(tmp_path / "my_model.keras"))
    assert (tmp_path / "my_model.keras").is_file()


def test_keras_3_variable_names_have_no_scope():
    bn = keras.layers.BatchNormalization()
    bn(np.zeros((2, 3), dtype=np.float32))
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]


LEGACY = textwrap.dedent("""
    import os, tempfile
    import tensorflow as tf
    keras = tf.keras
    assert keras.__name__.startswith("tf_keras"), keras.__name__
    opt = keras.optimizers.Adam(lr=0.01)                      # Keras 2 still takes lr
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.BatchNormalization()])
    model.save(os.path.join(tempfile.mkdtemp(), "my_model"))  # a SavedModel folder
    print("names", [w.name for w in model.layers[1].weights][0])
    print("ok")
""")


def test_tf_keras_with_the_legacy_switch_restores_keras_2():
    pytest.importorskip("tf_keras", reason="tf_keras is not installed (it comes with the optional extra: pip install .[tf])")
    env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, "-c", LEGACY], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "names batch_normalization/gamma:0" in done.stdout and done.stdout.strip().endswith("ok")


def test_batch_normalization_keeps_non_trainable_moving_statistics():
    bn = keras.layers.BatchNormalization()
    assert bn.epsilon == pytest.approx(1e-3) and bn.momentum == pytest.approx(0.99)
    rng = np.random.default_rng(7)
    x = (rng.normal(size=(16, 3)) * 2 + 5).astype(np.float32)
    bn(x, training=True)
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert len(bn.get_weights()) == 4
    moving_mean, moving_var = bn.moving_mean.numpy(), bn.moving_variance.numpy()
    np.testing.assert_allclose(moving_mean, 0.01 * x.mean(0), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(moving_var, 0.99 + 0.01 * x.var(0), rtol=1e-5)           # biased: divided by B
    assert not np.allclose(moving_var, 0.99 + 0.01 * x.var(0, ddof=1), rtol=1e-5)       # not B - 1
    gamma, beta = rng.normal(size=3).astype(np.float32), rng.normal(size=3).astype(np.float32)
    bn.set_weights([gamma, beta, moving_mean, moving_var])
    expected = (x - moving_mean) / np.sqrt(moving_var + 1e-3) * gamma + beta          # torch's eval formula, eps=1e-3
    np.testing.assert_allclose(bn(x, training=False).numpy(), expected, rtol=1e-4, atol=1e-5)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3), keras.layers.BatchNormalization(), keras.layers.Dense(2)])
    assert [w.shape for w in model.get_weights()] == [(5, 3), (3,), (3,), (3,), (3,), (3,), (3, 2), (2,)]
    assert len(model.trainable_weights) == 6 and len(model.non_trainable_weights) == 2


def test_tape_watches_only_trainable_variables_unless_told():
    frozen, learned = tf.Variable(2.0, trainable=False), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = frozen * learned
    g_frozen, g_learned = tape.gradient(y, [frozen, learned])
    assert g_frozen is None and float(g_learned) == 2.0
    with tf.GradientTape() as tape:
        tape.watch(frozen)
        y = frozen * learned
    assert float(tape.gradient(y, frozen)) == 3.0
