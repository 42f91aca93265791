"""The TensorFlow facts that lesson `tf` teaches and its checks rely on, verified against real TensorFlow.

Every check of the lesson judges students against the NumPy references in
checks/tf/_keras_ref.py (Keras layouts, Keras loss, Keras `fit`). This module
compares those same functions with TensorFlow/Keras itself, and checks the
other facts the lesson text states. It needs TensorFlow (the optional extra
`pip install .[tf]`); without it every test is skipped with the reason.

Run by tests/test_tf_facts.py in a process of its own: importing TensorFlow and
then torchvision's ops (torch._dynamo, triton) in one process crashes it, so the
main test process never imports TensorFlow. By hand: python -m pytest -q tests/tf_facts.py
"""

import importlib.util
import inspect
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow", reason="TensorFlow is not installed (optional extra: pip install .[tf])")
keras = tf.keras


def _load_reference():
    """checks/tf/_keras_ref.py, found from a course pack's root or from the main course's tests/ folder."""
    here = Path(__file__).resolve().parent
    for root in (here, here.parent, here.parent.parent):
        path = root / "checks" / "tf" / "_keras_ref.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location("_keras_ref_under_test", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise FileNotFoundError("checks/tf/_keras_ref.py not found next to or above " + str(here))


ref = _load_reference()
RNG = np.random.default_rng(20240607)


def _f32(*shape, scale=1.0):
    return (RNG.normal(size=shape) * scale).astype(np.float32)


def _close(got, expected, rtol=1e-4, atol=1e-5):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64), rtol=rtol, atol=atol)


# -- layers and layouts -----------------------------------------------------------

@pytest.mark.parametrize("n_in,n_out", [(5, 3), (4, 4), (1, 7)])
def test_dense_kernel_is_in_out_and_computes_x_kernel_plus_bias(n_in, n_out):
    layer = keras.layers.Dense(n_out)              # no input size: Keras infers it when the layer is built
    assert not layer.built
    x = _f32(6, n_in)
    layer(x)
    kernel, bias = layer.get_weights()
    assert kernel.shape == (n_in, n_out)           # torch nn.Linear.weight is (out, in)
    assert bias.shape == (n_out,)
    assert kernel.dtype == np.float32
    k, b = _f32(n_in, n_out), _f32(n_out)
    layer.set_weights([k, b])
    _close(layer(x).numpy(), ref.dense(x, k, b))


def test_dense_relu_activation_is_part_of_the_layer():
    layer = keras.layers.Dense(4, activation="relu")
    x = _f32(8, 3)
    layer(x)
    k, b = _f32(3, 4), _f32(4)
    layer.set_weights([k, b])
    _close(layer(x).numpy(), ref.dense(x, k, b, activation="relu"))


def test_get_weights_lists_kernel_then_bias_layer_by_layer():
    sizes = [6, 5, 4, 2]
    model = keras.Sequential([keras.Input(shape=(sizes[0],))]
                             + [keras.layers.Dense(s, activation="relu") for s in sizes[1:-1]]
                             + [keras.layers.Dense(sizes[-1])])
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(6, 5), (5,), (5, 4), (4,), (4, 2), (2,)]
    weights = [_f32(*s) for s in shapes]
    model.set_weights(weights)
    x = _f32(7, sizes[0])
    _close(model.predict(x, verbose=0), ref.mlp(x, weights))


def test_images_are_channels_last_by_default():
    assert keras.backend.image_data_format() == "channels_last"


@pytest.mark.parametrize("kh,kw,padding", [(3, 3, "valid"), (3, 5, "valid"), (1, 3, "same"), (5, 3, "same"), (3, 3, "same"), (2, 4, "same")])
def test_conv2d_kernel_is_kh_kw_in_out_on_nhwc(kh, kw, padding):
    c_in, c_out = 3, 4
    layer = keras.layers.Conv2D(c_out, (kh, kw), padding=padding)   # no input channels: inferred
    x = _f32(2, 7, 6, c_in)                                        # NHWC
    out = layer(x)
    kernel, bias = layer.get_weights()
    assert kernel.shape == (kh, kw, c_in, c_out)                     # torch nn.Conv2d.weight is (out, in, kh, kw)
    assert bias.shape == (c_out,)
    k, b = _f32(kh, kw, c_in, c_out), _f32(c_out)
    layer.set_weights([k, b])
    out = layer(x).numpy()
    assert out.shape[0] == 2 and out.shape[-1] == c_out              # output NHWC too
    if padding == "same":
        assert out.shape[1:3] == (7, 6)
    else:
        assert out.shape[1:3] == (7 - kh + 1, 6 - kw + 1)
    _close(out, ref.conv2d(x, k, b, padding), rtol=1e-4, atol=1e-4)


def test_flatten_keeps_nhwc_order_and_small_cnn_matches():
    x = _f32(3, 5, 4, 2)
    _close(keras.layers.Flatten()(x).numpy(), ref.flatten(x))
    assert np.array_equal(keras.layers.Flatten()(x).numpy()[0, :3], x[0, 0, 0, :].tolist() + [x[0, 0, 1, 0]])
    model = keras.Sequential([keras.Input(shape=(5, 4, 2)), keras.layers.Conv2D(3, (3, 3), padding="same", activation="relu"),
                              keras.layers.Flatten(), keras.layers.Dense(4)])
    ck, cb, dk, db = _f32(3, 3, 2, 3), _f32(3), _f32(5 * 4 * 3, 4), _f32(4)
    assert [w.shape for w in model.get_weights()] == [ck.shape, cb.shape, dk.shape, db.shape]
    model.set_weights([ck, cb, dk, db])
    _close(model.predict(x, verbose=0), ref.small_cnn(x, ck, cb, dk, db, padding="same"), atol=1e-4)


# -- GradientTape -------------------------------------------------------------------

def test_tape_gradient_manual_example_570():
    x1 = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    x2 = tf.Variable([[1.0, -2.0], [-3.0, -4.0]])
    with tf.GradientTape() as tape:
        y = x1 ** 2 + 2 * x2
        z = tf.reduce_sum(y ** 3) + 4
    g1, g2 = tape.gradient(z, [x1, x2])
    _, ez, e1, e2 = ref.manual_graph(x1.numpy(), x2.numpy())
    assert float(z) == 570.0 == ez
    _close(g1, e1)
    _close(g2, e2)
    _close(g1, [[54, 0], [162, 1536]])
    _close(g2, [[54, 0], [54, 384]])
    assert not hasattr(x1, "grad")                      # nothing is stored on the variables


def test_tape_gradient_is_once_unless_persistent():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0
    with pytest.raises(RuntimeError):
        tape.gradient(y, x)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0 == float(tape.gradient(y, x))


def test_tape_gradient_none_for_unconnected_sources():
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(a * a)
    ga, gb = tape.gradient(y, [a, b])
    _close(ga, [2.0, 4.0])
    assert gb is None


def test_tape_gradient_of_non_scalar_target_is_gradient_of_its_sum():
    a = tf.Variable(_f32(3, 2))
    with tf.GradientTape() as tape:
        y = a ** 3                                       # a (3, 2) target
    _close(tape.gradient(y, a), 3 * a.numpy().astype(np.float64) ** 2)


def test_tape_watches_variables_but_constants_need_watch():
    c = tf.constant(2.0)
    with tf.GradientTape() as tape:
        y = c * c
    assert tape.gradient(y, c) is None
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * c
    assert float(tape.gradient(y, c)) == 4.0


# -- losses -------------------------------------------------------------------------

def _probabilities(n, c):
    z = _f32(n, c, scale=1.5)
    return np.exp(ref.log_softmax(z)).astype(np.float32), z


def test_keras_losses_take_y_true_then_y_pred():
    params = list(inspect.signature(keras.losses.Loss.__call__).parameters)
    assert params[:3] == ["self", "y_true", "y_pred"]
    assert list(inspect.signature(keras.losses.sparse_categorical_crossentropy).parameters)[:2] == ["y_true", "y_pred"]


def test_sparse_categorical_crossentropy_takes_probabilities_and_averages():
    probs, _ = _probabilities(9, 4)
    labels = RNG.integers(0, 4, size=9)
    loss = keras.losses.SparseCategoricalCrossentropy()            # from_logits=False by default
    got = float(loss(labels, probs))
    assert math.isclose(got, ref.sparse_categorical_crossentropy(labels, probs), rel_tol=1e-5)
    assert math.isclose(got, float(-np.log(probs[np.arange(9), labels]).mean()), rel_tol=1e-5)
    per_sample = keras.losses.sparse_categorical_crossentropy(labels, probs).numpy()   # the function: one per sample
    assert per_sample.shape == (9,)
    _close(per_sample, ref.sparse_categorical_crossentropy_per_sample(labels, probs))


def test_sparse_categorical_crossentropy_from_logits():
    _, logits = _probabilities(8, 5)
    labels = RNG.integers(0, 5, size=8)
    got = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits))
    assert math.isclose(got, ref.sparse_categorical_crossentropy(labels, logits, from_logits=True), rel_tol=1e-5)
    # Logits given as probabilities (from_logits left False) give another value.
    assert not math.isclose(got, float(keras.losses.SparseCategoricalCrossentropy()(labels, np.clip(logits, 0, 1))), rel_tol=1e-3)


def test_sparse_categorical_crossentropy_labels_may_be_n_by_1():
    probs, _ = _probabilities(6, 3)
    labels = RNG.integers(0, 3, size=6)
    loss = keras.losses.SparseCategoricalCrossentropy()
    assert math.isclose(float(loss(labels.reshape(-1, 1), probs)), float(loss(labels, probs)), rel_tol=1e-6)
    assert math.isclose(float(loss(labels.reshape(-1, 1), probs)), ref.sparse_categorical_crossentropy(labels.reshape(-1, 1), probs), rel_tol=1e-5)


def test_zero_probability_is_clipped_to_epsilon():
    probs = np.array([[0.0, 0.5, 0.5], [0.2, 0.3, 0.5]], dtype=np.float32)
    labels = np.array([0, 2])
    got = float(keras.losses.SparseCategoricalCrossentropy()(labels, probs))
    assert math.isfinite(got)
    assert math.isclose(got, ref.sparse_categorical_crossentropy(labels, probs), rel_tol=1e-4)
    assert math.isclose(keras.backend.epsilon(), ref.EPSILON)


# -- fit and History --------------------------------------------------------------

def _linear_model(n_in, n_out, lr):
    model = keras.Sequential([keras.Input(shape=(n_in,)), keras.layers.Dense(n_out)])
    k, b = _f32(n_in, n_out, scale=0.5), _f32(n_out, scale=0.5)
    model.set_weights([k, b])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse")
    return model, k, b


@pytest.mark.parametrize("n,split,batch", [(50, 0.2, 8), (60, 0.25, 7), (40, 0.3, 6)])
def test_fit_history_validation_is_last_fraction_and_loss_is_epoch_mean(n, split, batch):
    x, y = _f32(n, 3), _f32(n, 2)
    model, k, b = _linear_model(3, 2, lr=0.05)
    history = model.fit(x, y, batch_size=batch, epochs=4, validation_split=split, shuffle=False, verbose=0)
    assert isinstance(history, keras.callbacks.History)
    assert set(history.history) == {"loss", "val_loss"}
    assert all(len(v) == 4 for v in history.history.values())
    expected = ref.fit_linear_sgd(k, b, x, y, lr=0.05, epochs=4, batch_size=batch, validation_split=split)
    for key in ("loss", "val_loss"):
        _close(history.history[key], expected[key], rtol=1e-4, atol=1e-6)
    # ... and it is none of the typical mistakes the checks name.
    for flags in ({"val_from_front": True}, {"train_on_all": True}, {"loss_of": "last"}):
        wrong = ref.fit_linear_sgd(k, b, x, y, lr=0.05, epochs=4, batch_size=batch, validation_split=split, **flags)
        assert not np.allclose(history.history["loss"] + history.history["val_loss"], wrong["loss"] + wrong["val_loss"], rtol=1e-3)
    if ref.validation_split_index(n, split) % batch:   # uneven batches: the epoch's loss weights each batch by its size
        wrong = ref.fit_linear_sgd(k, b, x, y, lr=0.05, epochs=4, batch_size=batch, validation_split=split, loss_of="unweighted")
        assert not np.allclose(history.history["loss"], wrong["loss"], rtol=1e-4, atol=0)


def test_validation_split_index_rounds_down():
    assert ref.validation_split_index(50, 0.2) == 40
    assert ref.validation_split_index(10, 0.25) == 7       # 7.5 -> 7 training rows, 3 validation rows
    x = np.arange(10, dtype=np.float32).reshape(-1, 1)
    model, k, b = _linear_model(1, 1, lr=0.0)              # lr 0: the weights stay, val_loss shows the rows used
    h = model.fit(x, x, batch_size=10, epochs=1, validation_split=0.25, shuffle=True, verbose=0)
    expected = ref.fit_linear_sgd(k, b, x, x, lr=0.0, epochs=1, batch_size=10, validation_split=0.25)
    _close(h.history["val_loss"], expected["val_loss"])


def test_fit_without_validation_has_only_loss():
    x, y = _f32(24, 2), _f32(24, 1)
    model, k, b = _linear_model(2, 1, lr=0.1)
    history = model.fit(x, y, batch_size=6, epochs=3, shuffle=False, verbose=0)
    assert list(history.history) == ["loss"]
    _close(history.history["loss"], ref.fit_linear_sgd(k, b, x, y, lr=0.1, epochs=3, batch_size=6)["loss"])


def test_optimizer_is_built_without_parameters_and_applies_gradients():
    v = tf.Variable([1.0, -2.0])
    opt = keras.optimizers.SGD(learning_rate=0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v ** 2)
    grads = tape.gradient(loss, [v])
    opt.apply_gradients(zip(grads, [v]))
    _close(v.numpy(), [1.0 - 0.5 * 2.0, -2.0 + 0.5 * 4.0])


# -- TF1: graph, placeholders, session ---------------------------------------------

def test_v1_graph_session_placeholder_570():
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        x1 = v1.placeholder(tf.float32, shape=(2, 2), name="x1")
        x2 = v1.placeholder(tf.float32, shape=(2, 2), name="x2")
        y = x1 ** 2 + 2 * x2
        z = tf.reduce_sum(y ** 3) + tf.constant(4.0)
        assert not tf.executing_eagerly()                 # define-and-run: z is a symbolic node, no value yet
        g1, g2 = v1.gradients(z, [x1, x2])
        feed = {x1: [[1, 2], [3, 4]], x2: [[1, -2], [-3, -4]]}
        with v1.Session(graph=graph) as sess:
            got_z, got_y, got1, got2 = sess.run([z, y, g1, g2], feed_dict=feed)
            ey, ez, e1, e2 = ref.manual_graph(feed[x1], feed[x2])
            assert float(got_z) == 570.0 == ez
            _close(got_y, ey)
            _close(got1, e1)
            _close(got2, e2)
            other = {x1: np.ones((2, 2)), x2: np.zeros((2, 2))}   # the same graph, another feed
            assert float(sess.run(z, feed_dict=other)) == ref.manual_graph(other[x1], other[x2])[1]
            with pytest.raises(tf.errors.InvalidArgumentError, match="x2"):
                sess.run(z, feed_dict={x1: feed[x1]})       # a missing feed is an error naming the placeholder
    assert tf.executing_eagerly()                          # TF2 itself runs eagerly


def test_v1_variables_must_be_initialised():
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        w = v1.Variable(3.0)
        with v1.Session(graph=graph) as sess:
            with pytest.raises(tf.errors.FailedPreconditionError):
                sess.run(w)
            sess.run(v1.global_variables_initializer())
            assert sess.run(w) == 3.0


def test_compat_v1_switches_exist():
    assert callable(tf.compat.v1.disable_v2_behavior) and callable(tf.compat.v1.enable_v2_behavior)


def test_default_integer_dtype_is_int32():
    assert tf.constant(1).dtype == tf.int32
    assert tf.constant(1.0).dtype == tf.float32


def test_tf_data_pipeline_batches():
    x = np.arange(10, dtype=np.float32)
    y = np.arange(10)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(10).batch(4).map(lambda a, b: (a / 255, b))
    batches = list(ds)
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate([b[1].numpy() for b in batches]).tolist()) == list(range(10))


def test_tf_function_compiles_a_graph():
    @tf.function
    def step(a):
        return a * 2 + 1
    assert float(step(tf.constant(3.0))) == 7.0
    assert hasattr(step, "get_concrete_function")
    assert isinstance(tf.config.list_physical_devices("GPU"), list)


# -- models --------------------------------------------------------------------------

def test_sequential_not_model_has_add():
    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(keras.layers.Dense(2))
    assert model(np.zeros((1, 4), dtype=np.float32)).shape == (1, 2)
    assert not hasattr(keras.Model(), "add")          # the manual's `tf.keras.Model()` + `add` is `Sequential`


def test_functional_and_subclassing_with_training_flag():
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(2)(keras.layers.ReLU()(inputs))
    functional = keras.Model(inputs=inputs, outputs=outputs)
    assert functional(np.ones((1, 3), dtype=np.float32)).shape == (1, 2)

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.drop = keras.layers.Dropout(0.5)

        def call(self, x, training=None):             # `call`, not `forward`; the mode is an argument
            return self.drop(x, training=training)

    net, x = Net(), np.ones((1, 1000), dtype=np.float32)
    assert np.array_equal(net(x, training=False).numpy(), x)
    assert not np.array_equal(net(x, training=True).numpy(), x)


def test_dataset_map_gets_the_tuple_unpacked():
    ds = tf.data.Dataset.from_tensor_slices((np.arange(3, dtype=np.float32), np.arange(3)))
    with pytest.raises(TypeError):
        ds.map(lambda x: x / 255)                         # the manual's one-argument lambda
    _close([float(a) for a, _ in ds.map(lambda x, y: (x / 255, y))], [0.0, 1 / 255, 2 / 255], rtol=1e-6)


def test_metrics_appear_in_history_with_val_prefix():
    x, y = _f32(20, 2), _f32(20, 1)
    model, _, _ = _linear_model(2, 1, lr=0.01)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=5, epochs=2, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}


def test_tf_function_runs_python_code_only_when_tracing():
    seen = []

    @tf.function
    def step(a):
        seen.append(1)                                    # Python side effect: runs while tracing
        return a + 1

    step(tf.constant(1.0))
    step(tf.constant(2.0))
    assert len(seen) == 1
