"""演習 8.3 tape.gradient のような勾配関数 / Exercise 8.3: a gradient function like tape.gradient

TensorFlow では計算をテープに記録し、あとからテープに勾配を求めてもらいます (下のコード)。
この考え方を PyTorch で、1 つの関数として書いてください。
In TensorFlow you record a computation on a tape and ask the tape for gradients:

    with tf.GradientTape() as tape:
        z = f(x1, x2)
    g1, g2 = tape.gradient(z, [x1, x2])

Write the PyTorch version of this idea as one function.

gradient(f, sources) -> list
    f は len(sources) 個のテンソルを受け取ってテンソル (ターゲット) を返す関数で、
    `with tf.GradientTape() as tape:` の中のコードの役をします。sources は float32 の
    テンソルのリストで、勾配を追跡しているもの (requires_grad=True、tf.Variable のような
    もの) も、していないもの (tf.constant のようなもの) もあります。
    tape.gradient と同じく、ソースごとに次のものを並べたリストを返してください。
      - そのソースについてのターゲットの勾配 (ソースと同じ形)。ターゲットの要素が複数
        あるときは、その和の勾配
      - ターゲットがそのソースを使っていないときは None
    tape.gradient と同じく、何も残さないでください。ソースの `.grad` は None のまま、
    `requires_grad` も変えません。
    f:       a function of len(sources) tensors that returns a tensor (the target);
             it plays the part of the code inside `with tf.GradientTape() as tape:`.
    sources: a list of float32 tensors. Some may track gradients (requires_grad=True,
             like a tf.Variable), some may not (like a tf.constant).
    Return a list with one entry per source, as tape.gradient does:
      - the gradient of the target with respect to that source (same shape as the source);
        if the target has several elements, the gradient of their sum;
      - None if the target does not depend on that source.
    Like tape.gradient, leave nothing behind: the sources' `.grad` stays None and
    their `requires_grad` is unchanged.

教材の計算例 / Worked numbers (the lab manual's TF v1 example):
    f = lambda x1, x2: ((x1 ** 2 + 2 * x2) ** 3).sum() + 4
    x1 = [[1, 2], [3, 4]], x2 = [[1, -2], [-3, -4]]  ->  z = 570
    gradients: [[54, 0], [162, 1536]] and [[54, 0], [54, 384]]

Check it with: dltutor check 8.3
"""

import torch


def gradient(f, sources):
    # TODO: make tracking copies of the sources (do not change the caller's tensors)
    # TODO: compute the target with f, then its gradients without touching .grad
    # TODO: None for a source that f does not use; the sum for a target with several elements
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 03-tape.py
    x1 = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    x2 = torch.tensor([[1.0, -2.0], [-3.0, -4.0]])
    print(gradient(lambda a, b: ((a ** 2 + 2 * b) ** 3).sum() + 4, [x1, x2]))
    print(x1.grad, x1.requires_grad)   # None False: nothing left behind
