"""Hidden checks for exercise 1.4 (gradient descent by hand and with autograd)."""

import torch

from tutor.checkkit import TrainWatch, check

_equal = torch.equal

SCALE = torch.tensor([1.0, 10.0], dtype=torch.float64)  # gradient of x1^2/2 + 5*x2^2 is (x1, 10*x2)


def _floats(t, got, name):
    """The student's path: a list (or tuple) of plain numbers, as the stub asks."""
    t.mistake(isinstance(got, torch.Tensor),
              ja=f"`{name}` がテンソルを返しています。手で計算した値を Python の数値 (float) のリストにして返してください。",
              en=f"`{name}` returned a tensor: return the values you computed by hand as a list of Python numbers (floats).")
    return t.floats(got, name=name)


def _path(s0, factor, steps):
    return [s0 * factor ** k for k in range(steps + 1)]


def _close(values, expected):
    return len(values) == len(expected) and all(abs(v - e) <= 1e-6 + 1e-5 * abs(e) for v, e in zip(values, expected))


def _check_path(t, s0, a, steps):
    name = f"gd_path({s0:g}, {a:g}, {steps})"
    values = _floats(t, t.call("gd_path", s0, a, steps), name)
    t.mistake(len(values) == steps and steps > 0 and _close(values, _path(s0, 1 - 2 * a, steps)[1:]),
              ja=f"`{name}` に初期値 s0 が入っていません。最初の要素を s0 にして、全部で steps + 1 個の値を返してください。",
              en=f"`{name}` does not include the start s0. Put s0 first and return steps + 1 values in all.")
    t.mistake(_close(values, _path(s0, 1 - a, steps)),
              ja=f"`{name}` は 1 ステップごとに (1 - a) 倍になっています。f(x) = x^2 の微分は x ではなく 2x です。",
              en=f"`{name}` shrinks by (1 - a) per step: the derivative of f(x) = x^2 is 2x, not x.")
    t.mistake(_close(values, _path(s0, 1 + 2 * a, steps)),
              ja=f"`{name}` がどんどん大きくなっています。勾配の向きに進んでいます (坂を登っています)。更新は s - a * f'(s) で、引き算です。",
              en=f"`{name}` grows: you step along the gradient (uphill). The update is s - a * f'(s), a subtraction.")
    t.expect(len(values) == steps + 1,
             ja=f"`{name}` の長さが {len(values)} です。s0 を含めて {steps + 1} 個の値を記録してください (更新のたびに 1 つ)。",
             en=f"`{name}` has {len(values)} values: record {steps + 1}, s0 included (one more after every update).")
    t.tensor(torch.tensor(values, dtype=torch.float64), torch.tensor(_path(s0, 1 - 2 * a, steps), dtype=torch.float64),
             name=name, atol=1e-6, rtol=1e-5)


def _descend(start, a, steps, accumulate=False):
    """The exact path in float64; with accumulate=True, gradients are never cleared."""
    p = start.detach().double().clone()
    acc = torch.zeros_like(p)
    for _ in range(steps):
        g = SCALE * p
        acc = acc + g if accumulate else g
        p = p - a * acc
    return p


def _check_autograd(t, start, a, steps):
    name = f"gd_autograd(({float(start[0]):.3g}, {float(start[1]):.3g}), {a:g}, {steps})"
    expected = _descend(start, a, steps)
    wrong = _descend(start, a, steps, accumulate=True)
    given = start.clone()
    try:
        with TrainWatch() as watch:
            got = t.call("gd_autograd", given, a, steps)
    except TypeError as exc:
        # p.grad is None after `p = p - a * p.grad` outside no_grad made p a non-leaf.
        if "NoneType" not in str(exc):
            raise
        t.fail(ja=f"途中で `p.grad` が None になりました ({exc})。`no_grad()` の外で `p = p - a * p.grad` と書くと、新しい p は計算の結果 (葉ではないテンソル) になり、次の `backward()` で `.grad` が付きません。`with torch.no_grad():` の中で p をその場で更新してください。",
               en=f"`p.grad` became None on the way ({exc}). Writing `p = p - a * p.grad` outside `no_grad()` makes the new p a computed (non-leaf) tensor, and the next `backward()` gives it no `.grad`. Update p in place inside `with torch.no_grad():`.")
    t.mistake(not _equal(given, start),
              ja=f"`{name}` が、渡された `start` の値を書き換えています。`p` が `start` と同じメモリを使っているからです。`start` のコピー (`clone()`) から `p` を作ってください。",
              en=f"`{name}` changed the tensor `start` it was given: `p` shares its memory. Make `p` from a copy of `start` (`clone()`).")
    t.expect(watch.backwards + watch.grads >= steps,
             ja=f"`{name}` で `backward()` が呼ばれたのは {watch.backwards} 回で、{steps} 回の更新に足りません。勾配は自分で書いた式ではなく、毎回 f を計算して `backward()` で求めてください。",
             en=f"`{name}` called `backward()` {watch.backwards} time(s) for {steps} updates: the gradient must come from `backward()` on f at every step, not from a formula you typed.")
    plain = t.shape(got, (2,), name=name)
    t.mistake(bool(torch.isfinite(wrong).all()) and t.close(plain, wrong, rtol=1e-3, atol=1e-4)
              and not t.close(wrong, expected, rtol=1e-3, atol=1e-4),
              ja=f"`{name}` は勾配を毎ステップ足し込んだときの結果になっています。勾配をゼロに戻し忘れていませんか (forgot to zero grad)。`.grad` は `backward()` のたびに足し込まれるので、更新のあとに毎回消す必要があります。",
              en=f"`{name}` is what you get when the gradients pile up step after step: you forgot to zero grad. `.grad` accumulates over `backward()` calls, so clear it after every update.")
    t.tensor(plain, expected.float(), name=name, atol=1e-4, rtol=1e-3)


@check(ja="f(x) = x^2 を手で: s0 = 2, a = 0.2 の経路", en="f(x) = x^2 by hand: the path from s0 = 2, a = 0.2")
def path_manual(t):
    _check_path(t, 2.0, 0.2, 3)


@check(ja="f(x) = x^2 を手で: ランダムな s0, a, steps", en="f(x) = x^2 by hand: random s0, a, steps")
def path_random(t):
    s0 = round(t.rng.choice([-1, 1]) * t.uniform(0.5, 5.0), 3)
    a = round(t.uniform(0.02, 0.45), 3)
    _check_path(t, s0, a, t.rng.randint(3, 8))


@check(ja="自動微分で: (4, 1) から a = 0.18 で 20 ステップ", en="with autograd: 20 steps from (4, 1) with a = 0.18")
def autograd_manual(t):
    _check_autograd(t, torch.tensor([4.0, 1.0]), 0.18, 20)


@check(ja="自動微分で: ランダムな初期値と学習率", en="with autograd: a random start and learning rate")
def autograd_random(t):
    start = (t.randn(2) * 3).clamp(-5, 5)
    _check_autograd(t, start, round(t.uniform(0.03, 0.19), 3), t.rng.randint(5, 25))


@check(ja="学習率による x2 方向の動き方", en="how x2 moves for a given learning rate")
def rate_kinds(t):
    cases = [(round(t.uniform(0.005, 0.095), 3), "monotone"),
             (round(t.uniform(0.105, 0.195), 3), "zigzag"),
             (round(t.uniform(0.205, 0.6), 3), "diverges")]
    t.rng.shuffle(cases)
    for a, expected in cases:
        name = f"classify_rate({a:g})"
        got = t.call("classify_rate", a)
        t.expect(got in ("monotone", "zigzag", "diverges"),
                 ja=f"`{name}` が {got!r} を返しました。\"monotone\"、\"zigzag\"、\"diverges\" のどれかを返してください。",
                 en=f"`{name}` returned {got!r}; return one of \"monotone\", \"zigzag\", \"diverges\".")
        t.mistake(got == "monotone" and expected != "monotone",
                  ja=f"`{name}` が \"monotone\" を返しましたが、x2 方向の勾配は 10 * x2 なので、1 ステップで x2 は (1 - 10a) 倍になります。x1 方向 (1 - a 倍) で考えていませんか。",
                  en=f"`{name}` returned \"monotone\", but in the x2 direction the gradient is 10 * x2, so one step multiplies x2 by (1 - 10a). Did you reason with the x1 direction (factor 1 - a)?")
        t.mistake(got == "diverges" and expected == "zigzag",
                  ja=f"`{name}` が \"diverges\" を返しました。符号が毎回入れ替わっても、倍率の絶対値が 1 より小さければ 0 に近づきます。",
                  en=f"`{name}` returned \"diverges\". Even when the sign flips every step, x2 goes to 0 as long as the factor's absolute value is below 1.")
        t.equal(got, expected, name=name)
