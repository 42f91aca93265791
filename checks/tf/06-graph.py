"""Hidden checks for exercise 8.6 (a tiny define-and-run graph with placeholders and a session).

The manual's TF v1 numbers (z = 570) come from `_keras_ref.manual_graph`, and
the TF1 behaviour the contract copies (nothing computed while the graph is
built, values only from `Session.run` with `feed_dict`, another feed on the
same graph, a missing feed being an error that names the placeholder) is
verified with `tf.compat.v1` in test_tf_facts.py.
"""

import numpy as np

from tutor.checkkit import Todo, check
import _keras_ref as keras_ref  # checks/tf/_keras_ref.py
from _tfcheck import close  # checks/tf/_tfcheck.py

EAGER = ("define-and-run では、グラフを組み立てる段階では何も計算しません。ノードは「何と何をどう計算するか」だけを覚えておき、値は `Session.run` が feed_dict の値を使って初めて計算します (TF1 の `tf.placeholder` には、組み立てる時点では値がありません)。",
         "In define-and-run, building the graph computes nothing: a node only remembers what to compute from which inputs, and values are computed only by `Session.run`, from that run's feed_dict (a TF1 `tf.placeholder` has no value while the graph is built).")


class _Counting(np.ndarray):
    """An array that counts every NumPy operation done on it (to see WHEN values are computed)."""

    ops = [0]

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        _Counting.ops[0] += 1
        plain = tuple(i.view(np.ndarray) if isinstance(i, _Counting) else i for i in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, _Counting) else o for o in kwargs["out"])
        return getattr(ufunc, method)(*plain, **kwargs)


def _node(t, kind, *args):
    return t.call(kind, *args)


def _build(t, make, what):
    """Build a graph with the student's classes; an exception here means values were needed too early."""
    try:
        return make()
    except Todo:
        raise
    except Exception as exc:  # noqa: BLE001 - named below
        t.fail(ja=f"{what[0]}を組み立てるだけでエラーになりました ({type(exc).__name__}: {exc})。グラフを組み立てる時点で計算しようとしていませんか。{EAGER[0]}",
               en=f"Merely building {what[1]} raised {type(exc).__name__}: {exc}. Does your code compute while the graph is built? {EAGER[1]}")


def _session(t):
    return t.call("Session")


def _run(t, session, fetches, feed, name):
    try:
        return session.run(fetches, feed_dict=feed)
    except NotImplementedError as exc:
        raise Todo("Session.run") from exc


def _manual_graph(t):
    x1, x2 = _node(t, "Placeholder", "x1"), _node(t, "Placeholder", "x2")
    y = _node(t, "Add", _node(t, "Pow", x1, 2), _node(t, "Mul", _node(t, "Constant", 2.0), x2))
    z = _node(t, "Add", _node(t, "ReduceSum", _node(t, "Pow", y, 3)), _node(t, "Constant", 4.0))
    return x1, x2, y, z


def _value(t, got, expected, name):
    t.expect(got is not None,
             ja=f"`{name}` が None を返しました。`return` を書き忘れていませんか。", en=f"`{name}` returned None. Did you forget `return`?")
    t.expect(close(got, expected, atol=1e-6, rtol=1e-9),
             ja=f"`{name}` が {np.asarray(got).tolist() if np.asarray(got).size < 20 else '...'} になっていますが、正しくは {np.asarray(expected).tolist() if np.asarray(expected).size < 20 else '...'} です。",
             en=f"`{name}` is {np.asarray(got).tolist() if np.asarray(got).size < 20 else '...'} but should be {np.asarray(expected).tolist() if np.asarray(expected).size < 20 else '...'}.")


@check(ja="どのノードも自分の計算をする (Add, Mul, Pow, ReduceSum)", en="every node computes its own operation (Add, Mul, Pow, ReduceSum)")
def each_node(t):
    session = _session(t)
    cases = []
    for _ in range(2):
        a = np.round(np.array([t.uniform(-3, 3) for _ in range(3)]), 2)
        b = np.round(np.array([t.uniform(-3, 3) for _ in range(3)]), 2)
        p = t.rng.choice([2, 3])
        cases.append((a, b, p))
    for kind, formula in (("Add", "a + b"), ("Mul", "a * b"), ("Pow", "a ** p"), ("ReduceSum", "np.sum(a)")):
        answers = []
        for a, b, p in cases:
            ca, cb = _node(t, "Constant", a.tolist()), _node(t, "Constant", b.tolist())
            node = (_node(t, kind, ca, cb) if kind in ("Add", "Mul") else
                    _node(t, kind, ca, p) if kind == "Pow" else _node(t, kind, ca))
            want = {"Add": a + b, "Mul": a * b, "Pow": a ** p, "ReduceSum": np.sum(a)}[kind]
            got = _run(t, session, node, {}, f"run({kind})")
            answers.append(np.asarray(got, dtype=float).tolist() if got is not None else None)
            if kind == "ReduceSum" and got is not None and np.asarray(got).size == 1:
                t.mistake(abs(float(np.asarray(got)) - float(np.mean(a))) < 1e-9 and abs(float(np.mean(a)) - float(want)) > 1e-9,
                          ja="`ReduceSum` が要素の平均 (mean) を返しています。ReduceSum は要素の合計 (sum) です (`np.sum`)。",
                          en="`ReduceSum` returns the mean of the elements: ReduceSum is their sum (`np.sum`).")
            if got is not None and close(got, want, atol=1e-9, rtol=1e-9):
                continue
            t.mistake(len(answers) == 2 and answers[0] == answers[1],
                      ja=f"`{kind}` のノードが、入力を変えても同じ値 ({answers[0]}) を返します。入力によらない定数ではなく、入力の値から {formula} を計算してください。",
                      en=f"The `{kind}` node returns the same value ({answers[0]}) whatever its inputs: compute {formula} from the input values, not a constant.")
            if len(answers) == 1 and got is not None:
                continue  # the second case tells a constant from a wrong formula
            _value(t, got, want, f"sess.run({kind}(...)) ({formula} for a = {a.tolist()}, b = {b.tolist()}, p = {p})")


@check(ja="教材の TF v1 の例: y = x1^2 + 2 x2、z = sum(y^3) + 4 = 570", en="the manual's TF v1 example: y = x1^2 + 2 x2, z = sum(y^3) + 4 = 570")
def manual(t):
    x1, x2, y, z = _build(t, lambda: _manual_graph(t), ("教材のグラフ", "the manual's graph"))
    feed = {x1: [[1.0, 2.0], [3.0, 4.0]], x2: [[1.0, -2.0], [-3.0, -4.0]]}
    ey, ez, _, _ = keras_ref.manual_graph(feed[x1], feed[x2])
    session = _session(t)
    _value(t, _run(t, session, z, feed, "run(z, feed_dict)"), ez, "sess.run(z, feed_dict)")
    both = _run(t, session, [y, z], feed, "run([y, z], feed_dict)")
    t.expect(isinstance(both, (list, tuple)) and len(both) == 2,
             ja="`sess.run([y, z], feed_dict)` は 2 つの値のリストを返すようにしてください (TF1 と同じく、fetches がリストなら値もリスト)。",
             en="`sess.run([y, z], feed_dict)` should return a list of two values (as in TF1: a list of fetches gives a list of values).")
    _value(t, both[0], ey, "sess.run([y, z], feed_dict)[0]")
    _value(t, both[1], ez, "sess.run([y, z], feed_dict)[1]")


@check(ja="グラフを組み立てる段階では何も計算しない", en="building the graph computes nothing")
def lazy(t):
    shape = (t.rng.randint(2, 4), t.rng.randint(2, 4))
    a_val = np.asarray(t.randn(*shape).numpy(), dtype=np.float64).view(_Counting)
    b_val = np.asarray(t.randn(*shape).numpy(), dtype=np.float64).view(_Counting)
    k = round(t.uniform(0.5, 3.0), 2)
    _Counting.ops[0] = 0

    def make():
        a, b = _node(t, "Constant", a_val), _node(t, "Constant", b_val)
        return _node(t, "ReduceSum", _node(t, "Add", _node(t, "Mul", a, b), _node(t, "Pow", _node(t, "Mul", _node(t, "Constant", k), a), 2)))

    out = _build(t, make, ("定数だけのグラフ", "a graph of constants"))
    t.mistake(_Counting.ops[0] > 0,
              ja=f"定数だけのグラフを組み立てた時点で、もう {_Counting.ops[0]} 回の計算が行われています。{EAGER[0]}",
              en=f"{_Counting.ops[0]} computation(s) already happened while a graph of constants was being built: your code computes at graph-build time (eager). {EAGER[1]}")
    a, b = a_val.view(np.ndarray), b_val.view(np.ndarray)
    _value(t, _run(t, _session(t), out, {}, "run(out)"), float((a * b + (k * a) ** 2).sum()), "sess.run(out)")


@check(ja="同じグラフを別の feed_dict で実行すると、その回の値になる", en="running the same graph with another feed_dict gives that run's values")
def new_feed(t):
    x1, x2, y, z = _build(t, lambda: _manual_graph(t), ("教材のグラフ", "the manual's graph"))
    session = _session(t)
    shape = (t.rng.randint(1, 3), t.rng.randint(2, 4))
    results = []
    for i in range(3):
        f1, f2 = t.randn(*shape).double().numpy(), t.randn(*shape).double().numpy()
        ey, ez, _, _ = keras_ref.manual_graph(f1, f2)
        got = _run(t, session if i < 2 else _session(t), z, {x1: f1, x2: f2}, "run(z, feed_dict)")
        if results:
            t.mistake(close(got, results[0][1], atol=1e-9, rtol=1e-12) and not close(ez, results[0][1]),
                      ja=f"{i + 1} 回目の `sess.run(z, feed_dict)` が、1 回目の実行の値を返しました。前の実行で計算した値をノードに覚えておくと、feed_dict を変えても同じ値が返ってしまいます。値は実行ごとに、その回の feed_dict から計算し直してください (1 回の実行の中だけで使う辞書に入れるなど)。",
                      en=f"Run {i + 1} of `sess.run(z, feed_dict)` returned the value of the first run. Values kept on the nodes from an earlier run come back even with another feed_dict: compute them again in every run, from that run's feed_dict (e.g. in a dict that lives for one run only).")
        _value(t, got, ez, f"sess.run(z, feed_dict) (run {i + 1})")
        results.append((got, ez))


@check(ja="必要な placeholder に値がないときは、その名前を示す ValueError", en="a needed placeholder without a value raises a ValueError naming it")
def missing_feed(t):
    label = f"pixels_{t.rng.randint(100, 999)}"
    a = _build(t, lambda: _node(t, "Placeholder", "a"), ("placeholder", "a placeholder"))
    x = _build(t, lambda: _node(t, "Placeholder", label), ("placeholder", "a placeholder"))
    out = _build(t, lambda: _node(t, "ReduceSum", _node(t, "Mul", a, x)), ("グラフ", "a graph"))
    session = _session(t)
    name = "sess.run(out, feed_dict={a: ...})"
    try:
        got = session.run(out, feed_dict={a: np.ones(3)})
    except NotImplementedError as exc:
        raise Todo("Session.run") from exc
    except ValueError as exc:
        t.expect(label in str(exc),
                 ja=f"`{name}` は ValueError を出しましたが、そのメッセージ ({exc}) に placeholder の名前 {label!r} がありません。TF1 の「You must feed a value for placeholder tensor '{label}'」のように、どの placeholder かを書いてください。",
                 en=f"`{name}` raised a ValueError, but its message ({exc}) does not name the placeholder {label!r}. Say which placeholder it is, as TF1's \"You must feed a value for placeholder tensor '{label}'\" does.")
        return
    except KeyError as exc:
        t.fail(ja=f"`{name}` で、辞書を引いたときの KeyError ({exc!r}) がそのまま出ています。値のない placeholder を見つけたら、その名前 ({label!r}) を書いた ValueError を自分で出してください (TF1 の「You must feed a value for placeholder tensor ...」に当たります)。",
               en=f"`{name}` lets a bare KeyError ({exc!r}) from the dict lookup escape. When a placeholder has no value, raise a ValueError yourself that names it ({label!r}), like TF1's \"You must feed a value for placeholder tensor ...\".")
    except Exception as exc:  # noqa: BLE001 - named
        t.fail(ja=f"`{name}` で {type(exc).__name__} ({exc}) が出ました。値のない placeholder をそのまま計算に使っていませんか。値がないと分かった時点で、その名前 ({label!r}) を書いた ValueError を出してください。",
               en=f"`{name}` raised {type(exc).__name__} ({exc}). Is the placeholder without a value used in the computation anyway? As soon as a needed placeholder has no value, raise a ValueError that names it ({label!r}).")
    t.fail(ja=f"`{name}` がエラーを出さずに {got!r} を返しました。必要な placeholder に値がないときは、その名前 ({label!r}) を書いた ValueError を出してください。",
           en=f"`{name}` returned {got!r} without an error. When a needed placeholder has no value, raise a ValueError that names it ({label!r}).")


@check(ja="使わない placeholder には値がなくてもよい", en="a placeholder the fetch does not need may stay unfed")
def unused_placeholder(t):
    a = _build(t, lambda: _node(t, "Placeholder", "a"), ("placeholder", "a placeholder"))
    _build(t, lambda: _node(t, "Placeholder", "unused"), ("placeholder", "a placeholder"))
    out = _build(t, lambda: _node(t, "Add", a, _node(t, "Constant", 1.0)), ("グラフ", "a graph"))
    value = t.randn(3).double().numpy()
    try:
        got = _run(t, _session(t), out, {a: value}, "run(out)")
    except (ValueError, KeyError) as exc:
        t.fail(ja=f"fetch が使わない placeholder に値がないだけで、`sess.run` がエラー ({exc}) を出しました。TF1 と同じく、値が必要なのは、fetch を計算するのに使う placeholder だけです。",
               en=f"`sess.run` raised an error ({exc}) because a placeholder the fetch does not use has no value. As in TF1, only the placeholders needed to compute the fetches must be fed.")
    _value(t, got, value + 1.0, "sess.run(a + 1, feed_dict={a: ...})")


@check(ja="ランダムなグラフとランダムな値 (ブロードキャスト、同じノードの再利用を含む)", en="a random graph with random values (broadcasting and a node used twice included)")
def random_graph(t):
    shape = (t.rng.randint(1, 4), t.rng.randint(2, 5))
    c1, c2, p = round(t.uniform(-2.0, 2.0), 2), round(t.uniform(0.5, 2.0), 2), t.rng.choice([2, 3])

    def make():
        a, b = _node(t, "Placeholder", "a"), _node(t, "Placeholder", "b")
        h = _node(t, "Add", _node(t, "Mul", a, _node(t, "Constant", c1)), b)          # used twice below
        s = _node(t, "ReduceSum", _node(t, "Mul", h, h))
        return a, b, h, _node(t, "Add", _node(t, "Pow", h, p), _node(t, "Mul", s, _node(t, "Constant", c2)))

    a, b, h, out = _build(t, make, ("ランダムなグラフ", "a random graph"))
    fa, fb = t.randn(*shape).double().numpy(), t.randn(shape[1]).double().numpy()     # b broadcasts over the rows
    hv = fa * c1 + fb
    expected = hv ** p + (hv * hv).sum() * c2
    got = _run(t, _session(t), [out, h], {a: fa, b: fb}, "run([out, h])")
    t.expect(isinstance(got, (list, tuple)) and len(got) == 2,
             ja="`sess.run([out, h], feed_dict)` は 2 つの値のリストを返すようにしてください。", en="`sess.run([out, h], feed_dict)` should return a list of two values.")
    _value(t, got[1], hv, "sess.run([out, h], feed_dict)[1]")
    _value(t, got[0], expected, "sess.run([out, h], feed_dict)[0]")
