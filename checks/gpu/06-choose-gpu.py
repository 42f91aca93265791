"""Hidden checks for exercise 7.6 (choose a free GPU on a shared server).

Plain functions on made-up servers. The servers are built so that the usual
wrong criteria give another answer than "most free bytes": a small idle card
has the best free fraction and the least memory in use, while a big busy card
still has the most free bytes.
"""

from tutor.checkkit import check

from _gpu import call, describe

MIB = 1024 * 1024
GIB = 1024 * MIB
TOTALS_MIB = [8192, 10240, 12288, 16384, 24576, 40960, 49152, 81920]


def _text(readings_mib):
    return "".join(f"{i}, {free}, {total}\n" for i, (free, total) in enumerate(readings_mib))


def _as_pairs(t, got, text):
    t.expect(isinstance(got, (list, tuple)),
             ja=f"`{text}` が {type(got).__name__} を返しています。(空きバイト数, 全バイト数) の組のリストを返してください。",
             en=f"`{text}` should return a list of pairs (free_bytes, total_bytes) but returned a {type(got).__name__}.")
    pairs = []
    for i, item in enumerate(got):
        t.mistake(isinstance(item, (list, tuple)) and len(item) == 3,
                  ja="組に GPU の番号まで入っています。番号はリストの位置で分かるので、(空きバイト数, 全バイト数) の 2 つだけにしてください。",
                  en="Your pairs include the GPU's index: the position in the list already tells it, so keep only (free_bytes, total_bytes).")
        t.expect(isinstance(item, (list, tuple)) and len(item) == 2,
                 ja=f"`{text}[{i}]` が {item!r} になっています。(空きバイト数, 全バイト数) の組にしてください。",
                 en=f"`{text}[{i}]` should be a pair (free_bytes, total_bytes) but is {item!r}.")
        pairs.append(tuple(item))
    return pairs


@check(ja="`parse_smi`: nvidia-smi の出力をバイト単位の (空き, 全体) にする", en="`parse_smi`: nvidia-smi's output to (free, total) in bytes")
def parses_smi(t):
    n = t.rng.randint(2, 8)
    mib = []
    for _ in range(n):
        total = t.rng.choice(TOTALS_MIB)
        mib.append((t.rng.randint(0, total), total))
    text = _text(mib)
    got, exc = call(t, "parse_smi", text)
    if exc is not None:
        t.mistake(isinstance(exc, ValueError) and "''" in str(exc),
                  ja=f"最後の改行のあとの空の行で `int('')` がエラーになっています ({describe(exc)})。`text.splitlines()` を使うか、空の行を読み飛ばしてください。",
                  en=f"The empty line after the last newline makes `int('')` fail ({describe(exc)}): use `text.splitlines()` or skip empty lines.")
        t.fail(ja=f"`parse_smi(text)` がエラーになりました: {describe(exc)}", en=f"`parse_smi(text)` raised {describe(exc)}")
    pairs = _as_pairs(t, got, "parse_smi(text)")
    expected = [(free * MIB, total * MIB) for free, total in mib]
    t.expect(len(pairs) == n,
             ja=f"`parse_smi(text)` の結果が {len(pairs)} 個です。テキストの 1 行 (GPU 1 台) ごとに (free, total) の組を 1 つ記録して、{n} 台分を返してください。",
             en=f"`parse_smi(text)` gave {len(pairs)} readings: record one (free, total) pair per line of the text (one per GPU), {n} in all.")
    t.mistake(pairs == [(f, tot) for f, tot in mib],
              ja="値が MiB のままです。nvidia-smi の `nounits` の数値は MiB 単位なので、1024 * 1024 を掛けてバイトにしてください。",
              en="The values are still MiB: nvidia-smi's numbers (with `nounits`) are in MiB, so multiply by 1024 * 1024 to get bytes.")
    t.mistake(pairs == [(f * 1000 * 1000, tot * 1000 * 1000) for f, tot in mib],
              ja="1 MiB を 1000 * 1000 バイトとして計算しています。1 MiB は 1024 * 1024 = 1048576 バイトです (1000 * 1000 バイトは 1 MB)。",
              en="You counted 1 MiB as 1000 * 1000 bytes: 1 MiB is 1024 * 1024 = 1048576 bytes (1000 * 1000 bytes is 1 MB).")
    t.mistake(pairs == [(tot, f) for f, tot in expected] and expected != [(tot, f) for f, tot in expected],
              ja="組の順番が逆です。(空きバイト数, 全バイト数) の順にしてください。行は「番号, 空き, 全体」の順に並んでいます。",
              en="The pairs are the wrong way round: return (free_bytes, total_bytes). Each line reads \"index, free, total\".")
    t.equal([tuple(int(v) if isinstance(v, float) and v.is_integer() else v for v in p) for p in pairs], expected,
            name="parse_smi(text)")


def _mib(t, low, high):
    return t.rng.randint(int(low * 1024), int(high * 1024)) * MIB


def _fraction(readings):
    return max(range(len(readings)), key=lambda i: (readings[i][0] / readings[i][1], -i))


def _least_used(readings):
    return min(range(len(readings)), key=lambda i: (readings[i][1] - readings[i][0], i))


def _judge(t, readings, min_free, expected):
    text = "choose_gpu(readings, min_free)"
    got, exc = call(t, "choose_gpu", [tuple(r) for r in readings], min_free)
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    t.mistake(isinstance(got, int) and not isinstance(got, bool) and 0 <= got < len(readings) and got != expected
              and got == _fraction(readings) and expected is not None,
              ja=f"GPU {got} は空きの「割合」がいちばん大きい GPU ですが、空きの「バイト数」がいちばん多いのは GPU {expected} です。小さな GPU は、ほとんど空いていても、大きな GPU の空きより少ないことがあります。学習に要るのはバイト数です。",
              en=f"GPU {got} has the largest free fraction, but GPU {expected} has the most free bytes. A small card can be nearly idle and still have less free memory than a big one: your job needs bytes.")
    t.mistake(isinstance(got, int) and not isinstance(got, bool) and 0 <= got < len(readings) and got != expected
              and got == _least_used(readings) and expected is not None,
              ja=f"GPU {got} は使用中のメモリがいちばん少ない GPU ですが、空きバイト数がいちばん多いのは GPU {expected} です。全メモリの大きさが GPU ごとに違うので、使用量の少なさでは選べません。空き (free) で比べてください。",
              en=f"GPU {got} has the least memory in use, but GPU {expected} has the most free bytes. The cards differ in total memory, so the least used is not the most free: compare the free bytes.")
    if expected is None:
        is_index = isinstance(got, int) and not isinstance(got, bool) and 0 <= got < len(readings)
        t.mistake(is_index and got == max(range(len(readings)), key=lambda i: (readings[i][0], -i)),
                  ja=f"どの GPU も空きが `min_free` ({min_free / GIB:.2f} GiB) に足りないのに、いちばん空いている GPU {got} を返しています。`min_free` より空きが少ない GPU は候補から外し、候補がなければ `None` を返してください。",
                  en=f"No GPU has `min_free` ({min_free / GIB:.2f} GiB) free, yet it returned the most free one, GPU {got}: leave out the GPUs with less than `min_free` free, and return `None` when none is left.")
        t.mistake(got is not None and got in (0, -1, False),
                  ja=f"足りる GPU がないときに {got!r} を返しています。`None` を返してください (0 は GPU 0 の意味になってしまいます)。",
                  en=f"With no GPU free enough it returned {got!r}: return `None` (0 would mean GPU 0).")
        t.mistake(is_index,
                  ja=f"どの GPU も空きが `min_free` ({min_free / GIB:.2f} GiB) に足りないのに、GPU {got} を返しています。候補がなければ `None` を返してください。",
                  en=f"No GPU has `min_free` ({min_free / GIB:.2f} GiB) free, yet it returned GPU {got}: return `None` when no GPU qualifies.")
    t.equal(got, expected, name=f"{text} for readings (GiB free/total) "
            + ", ".join(f"{f / GIB:.1f}/{tot / GIB:.0f}" for f, tot in readings) + f", min_free {min_free / GIB:.2f} GiB")
    return got


def _shuffled(t, cards, target):
    order = list(range(len(cards)))
    t.rng.shuffle(order)
    return [cards[i] for i in order], order.index(target)


@check(ja="空きの割合ではなく、空きバイト数で選ぶ", en="chooses by free bytes, not by free fraction")
def most_free_not_fraction(t):
    # A: 24 GiB, nearly idle (best free fraction); B: 8 GiB, the least in use;
    # C: 80 GiB, half used, yet the most free bytes.
    cards = [(24 * GIB - _mib(t, 0.45, 0.6), 24 * GIB),
             (8 * GIB - _mib(t, 0.25, 0.4), 8 * GIB),
             (int(80 * GIB * t.uniform(0.35, 0.65)), 80 * GIB)]
    for _ in range(t.rng.randint(1, 3)):
        cards.append((_mib(t, 0.5, 3.5), 24 * GIB))
    readings, expected = _shuffled(t, cards, 2)
    _judge(t, readings, t.rng.randint(1, 4) * GIB, expected)


@check(ja="使用量の少なさではなく、空きバイト数で選ぶ", en="chooses by free bytes, not by the least memory in use")
def most_free_not_least_used(t):
    big_total = t.rng.choice([40, 48, 80]) * GIB
    small_total = t.rng.choice([8, 10, 12]) * GIB
    cards = [(big_total - _mib(t, 3, 6), big_total), (small_total - _mib(t, 0.5, 1.5), small_total)]
    for _ in range(t.rng.randint(1, 3)):
        total = t.rng.choice([16, 24]) * GIB
        cards.append((_mib(t, 0.5, 6), total))
    readings, expected = _shuffled(t, cards, 0)
    _judge(t, readings, t.rng.randint(1, 4) * GIB, expected)


@check(ja="`min_free` に足りる GPU がなければ None", en="None when no GPU has `min_free` free")
def none_when_full(t):
    n = t.rng.randint(2, 6)
    readings = [(_mib(t, 0.2, 3.8), t.rng.choice([16, 24]) * GIB) for _ in range(n)]
    _judge(t, readings, 4 * GIB, None)
    _judge(t, [], t.rng.randint(1, 4) * GIB, None)


@check(ja="ちょうど `min_free` 空いていれば足りる", en="exactly `min_free` free is enough")
def boundary(t):
    need = t.rng.randint(2, 8) * GIB
    n = t.rng.randint(2, 5)
    cards = [(need - _mib(t, 0.1, 1.5), 24 * GIB) for _ in range(n - 1)] + [(need, 24 * GIB)]
    readings, expected = _shuffled(t, cards, n - 1)
    got = _judge_boundary(t, readings, need, expected)
    return got


def _judge_boundary(t, readings, need, expected):
    text = "choose_gpu(readings, min_free)"
    got, exc = call(t, "choose_gpu", readings, need)
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    t.mistake(got is None,
              ja=f"GPU {expected} の空きはちょうど `min_free` ({need / GIB:.0f} GiB) で、足りています。`free > min_free` ではなく `free >= min_free` で比べてください。",
              en=f"GPU {expected} has exactly `min_free` ({need / GIB:.0f} GiB) free, which is enough: compare with `free >= min_free`, not `>`.")
    t.equal(got, expected, name=f"{text} when only GPU {expected} has exactly min_free free")
    return got


@check(ja="空きが同じなら番号の小さい GPU", en="on a tie, the lower number")
def tie(t):
    n = t.rng.randint(3, 6)
    best = _mib(t, 12, 20)
    readings = [(_mib(t, 1, 10), 24 * GIB) for _ in range(n)]
    first, second = sorted(t.rng.sample(range(n), 2))
    readings[first] = readings[second] = (best, 24 * GIB)
    text = "choose_gpu(readings, min_free)"
    got, exc = call(t, "choose_gpu", readings, GIB)
    if exc is not None:
        t.fail(ja=f"`{text}` がエラーになりました: {describe(exc)}", en=f"`{text}` raised {describe(exc)}")
    t.mistake(got == second,
              ja=f"GPU {first} と GPU {second} の空き (free) が同じときに、番号の大きい GPU {second} を選んでいます。番号の小さい方を選んでください (比べるときに `>=` ではなく `>` を使うと、先に見つけた方が残ります)。",
              en=f"GPU {first} and GPU {second} have the same free memory and it picked the higher number, {second}: pick the lower one (compare with `>`, not `>=`, and the first one found stays).")
    t.equal(got, first, name=f"{text} with a tie between GPU {first} and GPU {second}")
