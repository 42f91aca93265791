"""Hidden checks for experiment 9.1 (課題1: an MLP on MNIST and how its accuracy depends on its design)."""

from tutor.checkkit import check, study_checks

study_checks()


@check(ja="隠れ層のユニット数・層の数・活性化関数・エポック数のうち 2 つ以上を変えている",
       en="the design varies two or more of hidden units, layers, activation and epochs")
def mlp_factors(t):
    rows = t.study["rows"] if t.study else []
    factors = set(t.study.get("factors") or []) if t.study else set()
    named = factors & {"hidden", "layers", "activation", "epochs"}
    t.expect(len(named) >= 2,
             ja=f"課題1 では `hidden` (ユニット数)、`layers` (層の数)、`activation` (活性化関数)、`epochs` (エポック数) のうち 2 つ以上を設定の間で変えます。いま変えているのは {', '.join(sorted(factors)) or 'なし'} です (設定 {len(rows)} 個)。",
             en=f"Assignment 1 varies two or more of `hidden` (units), `layers`, `activation` and `epochs` between settings; yours vary {', '.join(sorted(factors)) or 'nothing'} ({len(rows)} settings).")
