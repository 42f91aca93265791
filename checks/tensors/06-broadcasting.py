"""Hidden checks for exercise 1.6 (the rules of broadcasting).

Every function is called on shapes and values drawn per run; the square cases
(N == D, N == M) are always among them, because there a wrong broadcast raises
no error and only the values are wrong.
"""

import contextlib

import numpy as np
import torch

from tutor.checkkit import check

# Bound before any student code runs.
_broadcast_shapes, _np_broadcast_shapes, _cdist = torch.broadcast_shapes, np.broadcast_shapes, torch.cdist
_allclose = torch.allclose


def _rule(a, b):
    """The reference rule: align from the right, a missing size counts as 1."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    if any(p != q and 1 not in (p, q) for p, q in zip(a, b)):
        return None
    return tuple(max(p, q) if 1 in (p, q) else p for p, q in zip(a, b))


def _left(a, b):
    """The same rule aligned from the left: the usual wrong guess."""
    n = max(len(a), len(b))
    a, b = tuple(a) + (1,) * (n - len(a)), tuple(b) + (1,) * (n - len(b))
    if any(p != q and 1 not in (p, q) for p, q in zip(a, b)):
        return None
    return tuple(max(p, q) if 1 in (p, q) else p for p, q in zip(a, b))


@contextlib.contextmanager
def _watch(used):
    """Note calls of the library functions the contract rules out; they still work."""
    def shapes(*args, **kwargs):
        used.add("torch.broadcast_shapes")
        return _broadcast_shapes(*args, **kwargs)

    def np_shapes(*args, **kwargs):
        used.add("np.broadcast_shapes")
        return _np_broadcast_shapes(*args, **kwargs)

    def cdist(*args, **kwargs):
        used.add("torch.cdist")
        return _cdist(*args, **kwargs)

    torch.broadcast_shapes, np.broadcast_shapes, torch.cdist = shapes, np_shapes, cdist
    try:
        yield
    finally:
        torch.broadcast_shapes, np.broadcast_shapes, torch.cdist = _broadcast_shapes, _np_broadcast_shapes, _cdist


def _pairs(t):
    """Fixed cases that name the rule's parts, and random ones of this run."""
    n = t.rng.randint(2, 6)
    cases = [((n,), (n, 1)), ((3, 1), (4,)), ((), (n,)), ((2, 1, 4), (3, 1)), ((n, 1), (1, n)), ((n,), (n + 1,)), ((2, 3), (3, 2))]
    for _ in range(12):
        rank = t.rng.randint(1, 4)
        a = [t.rng.choice([1, 2, 3, 4, 5]) for _ in range(rank)]
        b = [x if t.rng.random() < 0.5 else t.rng.choice([1, x, x + 1]) for x in a[t.rng.randint(0, rank - 1):]]
        cases.append((tuple(a), tuple(b)) if t.rng.random() < 0.5 else (tuple(b), tuple(a)))
    t.rng.shuffle(cases)
    return cases


@check(ja="`broadcast_shape`: 右からそろえる規則で形を求め、合わなければ ValueError", en="`broadcast_shape`: the shape by the rule from the right, ValueError when they do not fit")
def shapes(t):
    used = set()
    for a, b in _pairs(t):
        want = _rule(a, b)
        name = f"broadcast_shape({a}, {b})"
        with _watch(used):
            try:
                got = t.call("broadcast_shape", a, b)
            except ValueError:
                t.expect(want is None,
                         ja=f"`{name}` が ValueError を送出しましたが、この 2 つはブロードキャストできて、形は {want} になります。形を右端からそろえ、足りない次元を 1 とみなしてください。",
                         en=f"`{name}` raised ValueError, but these two do broadcast, to {want}. Line the shapes up from the right and count a missing dimension as 1.")
                continue
            except Exception as exc:
                if want is not None:
                    raise
                t.fail(ja=f"`{name}` がブロードキャストできない組に {type(exc).__name__} を送出しました。この場合は ValueError を送出してください。",
                       en=f"`{name}` raised {type(exc).__name__} for a pair that cannot be broadcast: raise ValueError in that case.")
        t.expect(not used,
                 ja=f"`broadcast_shape` の中で {', '.join(sorted(used))} を使っています。この演習では規則を自分で書いてください。",
                 en=f"`broadcast_shape` calls {', '.join(sorted(used))}. In this exercise, write the rule yourself.")
        # Lining up from the left is named first, whichever random pair shows it: for a pair that
        # cannot be broadcast, "raise ValueError" alone would hide the student's real mistake.
        if want is None:
            t.mistake(got is not None and got == _left(a, b),
                      ja=f"`{name}` が {got} を返していて、形を左端からそろえています。ブロードキャストでは形を右端からそろえるので、{a} と {b} はブロードキャストできません (ValueError を送出します)。",
                      en=f"`{name}` returns {got}: you lined the shapes up from the left. Broadcasting lines shapes up from the right, so {a} and {b} cannot be broadcast (raise ValueError).")
        else:
            t.mistake(got != want and got == _left(a, b),
                      ja=f"`{name}` が {got} になっていて、形を左端からそろえています。ブロードキャストでは形を右端からそろえます。{want} になります。",
                      en=f"`{name}` gives {got}: you lined the shapes up from the left. Broadcasting lines shapes up from the right: the answer is {want}.")
        t.expect(want is not None,
                 ja=f"`{name}` が {got!r} を返しましたが、{a} と {b} はブロードキャストできません (大きさが違い、どちらも 1 ではない次元があります)。ValueError を送出してください。",
                 en=f"`{name}` returned {got!r}, but {a} and {b} cannot be broadcast (a dimension differs and neither size is 1): raise ValueError.")
        if type(got) in (list, torch.Size):
            t.fail(ja=f"`{name}` が {type(got).__name__} を返しています。int のタプル (`tuple(...)`) にして返してください。",
                   en=f"`{name}` returned a {type(got).__name__}: return a tuple of ints (`tuple(...)`).")
        t.equal(got, want, name=name)


@check(ja="`residuals`: (N,) の正解と (N, 1) の出力から (N, 1) の差", en="`residuals`: (N, 1) differences from targets (N,) and outputs (N, 1)")
def residual(t):
    n = t.rng.randint(4, 9)
    pred, y = t.randn(n, 1), t.randn(n)
    got = t.call("residuals", pred.clone(), y.clone())
    t.tensor(got, y.view(-1, 1) - pred, name=f"residuals(pred {tuple(pred.shape)}, y {tuple(y.shape)})")


@check(ja="`centre_rows`: 各行からその行の平均を引く (keepdim)", en="`centre_rows`: each row minus its own mean (keepdim)")
def centre(t):
    n = t.rng.randint(3, 6)
    for shape in ((n, n), (n, n + 2)):
        x = t.randn(*shape) * 3 + t.randn(shape[0], 1) * 5
        x0 = x.clone()
        name = f"centre_rows(x of shape {shape})"
        try:
            got = t.call("centre_rows", x)
        except RuntimeError as exc:
            if "must match the size" in str(exc):
                t.fail(ja=f"`{name}` でエラーになりました ({exc})。`x.mean(dim=1)` の形は (N,) で、(N, D) から引くと右端の次元 D とそろえられてしまいます。"
                          "`x.mean(dim=1, keepdim=True)` で (N, 1) の列にしてから引いてください。",
                       en=f"`{name}` raised an error ({exc}). `x.mean(dim=1)` has shape (N,), and subtracting it from (N, D) lines it up with the LAST dimension, D. "
                          "Keep it a column (N, 1) with `x.mean(dim=1, keepdim=True)` before subtracting.")
            raise
        t.expect(torch.equal(x, x0),
                 ja=f"`{name}` が引数の x を書き換えています (`-=` など)。新しいテンソルを返してください。",
                 en=f"`{name}` changed its argument x in place (`-=` or the like): return a new tensor.")
        plain = t.shape(got, shape, name=name)
        square = shape[0] == shape[1]
        t.mistake(square and bool(_allclose(plain, x - x.mean(dim=1) if square else x, atol=1e-5)),
                  ja=f"`{name}` は正方形の x でエラーにならず、値だけが違います。`x - x.mean(dim=1)` では (N,) の平均が行ではなく列にそろえられ、j 列目から j 行目の平均が引かれています。"
                     "`keepdim=True` で平均を (N, 1) の列にしてください。",
                  en=f"`{name}` raises no error on a square x, but the values are wrong: in `x - x.mean(dim=1)` the (N,) means line up with the columns, so column j loses the mean of row j. "
                     "Keep the means a column (N, 1) with `keepdim=True`.")
        t.mistake(bool(_allclose(plain, x - x.mean(dim=0, keepdim=True), atol=1e-5)),
                  ja=f"`{name}` が各列の平均 (`dim=0`) を引いています。各行の平均は `dim=1` です。",
                  en=f"`{name}` subtracts the mean of each column (`dim=0`); a row's mean is over `dim=1`.")
        t.tensor(got, x - x.mean(dim=1, keepdim=True), name=name)


@check(ja="`repeat_rows`: コピーせずに (n, D) に広げたビュー (expand)", en="`repeat_rows`: a view widened to (n, D) without a copy (expand)")
def repeat(t):
    d, n = t.rng.randint(3, 7), t.rng.randint(2, 6)
    v = t.randn(d)
    name = f"repeat_rows(v of shape ({d},), {n})"
    got = t.call("repeat_rows", v, n)
    t.tensor(got, v.expand(n, d), name=name)
    shares = type(got) is torch.Tensor and got.untyped_storage().data_ptr() == v.untyped_storage().data_ptr()
    t.expect(shares,
             ja=f"`{name}` の結果が v とメモリを共有していません。`repeat` や `clone`、`torch.stack` はデータを n 回コピーします。"
                "`v.expand(n, -1)` (または `v.unsqueeze(0).expand(n, -1)`) なら、コピーせずに同じ値を n 行分に見せられます。",
             en=f"The result of `{name}` does not share v's memory. `repeat`, `clone` and `torch.stack` copy the data n times; "
                "`v.expand(n, -1)` (or `v.unsqueeze(0).expand(n, -1)`) shows the same values as n rows without copying.")
    t.equal(got.stride(0), 0, name=f"{name}.stride(0) (a view that repeats rows steps 0 elements from row to row)")


@check(ja="`pairwise_sq_dist`: (N, 1, D) と (1, M, D) のブロードキャストで (N, M) の距離の 2 乗", en="`pairwise_sq_dist`: squared distances (N, M) by broadcasting (N, 1, D) against (1, M, D)")
def distances(t):
    d = t.rng.randint(2, 5)
    used = set()
    for n, m in ((d, d), (t.rng.randint(2, 6), t.rng.randint(7, 9))):
        x, y = t.randn(n, d), t.randn(m, d)
        name = f"pairwise_sq_dist(x {tuple(x.shape)}, y {tuple(y.shape)})"
        with _watch(used):
            try:
                got = t.call("pairwise_sq_dist", x.clone(), y.clone())
            except RuntimeError as exc:
                if "must match the size" in str(exc):
                    t.fail(ja=f"`{name}` でエラーになりました ({exc})。`x - y` では (N, D) と (M, D) がそのまま比べられます。`x[:, None, :]` で (N, 1, D)、`y[None, :, :]` で (1, M, D) にしてから引くと、(N, M, D) になります。",
                           en=f"`{name}` raised an error ({exc}). `x - y` puts (N, D) against (M, D) as they are: make them (N, 1, D) with `x[:, None, :]` and (1, M, D) with `y[None, :, :]`, and the difference is (N, M, D).")
                raise
        t.expect(not used,
                 ja=f"`pairwise_sq_dist` の中で {', '.join(sorted(used))} を使っています。この演習ではブロードキャストで計算してください。",
                 en=f"`pairwise_sq_dist` calls {', '.join(sorted(used))}. In this exercise, compute it by broadcasting.")
        want = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
        if isinstance(got, torch.Tensor) and tuple(got.shape) == (n, m, d):
            t.fail(ja=f"`{name}` の形が (N, M, D) = {(n, m, d)} です。特徴の次元 (最後の次元) について `sum(dim=-1)` で足し合わせてください。",
                   en=f"`{name}` has shape (N, M, D) = {(n, m, d)}: add up over the features, the last dimension, with `sum(dim=-1)`.")
        t.tensor(got, want, name=name, atol=1e-4, rtol=1e-4)
