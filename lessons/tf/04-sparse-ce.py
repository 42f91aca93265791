"""演習 8.4 Keras の SparseCategoricalCrossentropy / Exercise 8.4: Keras's sparse categorical cross entropy

Keras の分類モデルは、ふつう最後にソフトマックス関数を置き、下のような損失で学習します。
同じ損失を、Keras の引数の順番と既定値のまま PyTorch で書いてください。
Keras classifiers usually end with a softmax and are trained with
    loss = tf.keras.losses.SparseCategoricalCrossentropy()      # from_logits=False
    loss(y_true, y_pred)                                          # labels FIRST
Write the same loss in PyTorch, with the Keras argument order and the Keras defaults.

sparse_categorical_crossentropy(y_true, y_pred, from_logits=False) -> torch.Tensor
    y_true は整数のクラスラベル (int64) で、形は (N,) か (N, 1) です (Keras はどちらも受け付けます)。
    y_pred は float32 の (N, C) で、from_logits=False (既定) のときは確率 (各行がソフトマックス
    関数の出力)、from_logits=True のときはロジットです。
    バッチについての -log p[n, y_n] の平均を 0 次元のテンソルで返してください。p は確率で、
    from_logits=True のときは y_pred のソフトマックスです。Keras と同じく、対数をとる前に
    確率を [1e-7, 1 - 1e-7] に切り詰めてください。確率 0 でも無限大ではなく
    -log(1e-7) ≈ 16.12 になります。結果は `backward()` できるテンソルのまま返します。
    y_true: integer class labels (int64), shape (N,) or (N, 1) (Keras accepts both).
    y_pred: float32 (N, C). With from_logits=False (the default) these are PROBABILITIES
            (each row is a softmax output); with from_logits=True they are logits.
    Return a 0-d tensor: the mean over the batch of  -log p[n, y_n],  where p are the
    probabilities (the softmax of y_pred when from_logits=True). Like Keras, clip the
    probabilities to [1e-7, 1 - 1e-7] before the log, so a probability of 0 gives
    -log(1e-7) ≈ 16.12 instead of infinity. The result must stay a tensor that
    `backward()` can go through.

Check it with: dltutor check 8.4
"""

import torch

EPSILON = 1e-7


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    # TODO: labels as a 1-D int64 tensor
    # TODO: log-probabilities: from logits, or from (clipped) probabilities
    # TODO: pick each sample's log-probability of its label, and average
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-sparse-ce.py
    probs = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    labels = torch.tensor([0, 2])
    print(sparse_categorical_crossentropy(labels, probs))   # (-log 0.7 - log 0.8) / 2 = 0.2899
    print(sparse_categorical_crossentropy(labels, torch.log(probs), from_logits=True))   # the same
