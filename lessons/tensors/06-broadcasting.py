"""演習 1.6 ブロードキャストの規則 / Exercise 1.6: the rules of broadcasting

次の 5 つの小さな関数を書いてください。
Write five small functions.

broadcast_shape(a, b) -> tuple of int
    a, b は (3, 1) や (4,) のような、int のタプルで表した 2 つの形です。ブロードキャスト
    でできる形を int のタプルで返し、ブロードキャストできないときは ValueError を
    送出します。規則は自分で書いてください (torch.broadcast_shapes や
    np.broadcast_shapes は使わないこと)。
    a, b: two shapes, tuples of ints such as (3, 1) and (4,). Return the shape
    broadcasting gives, as a tuple of ints, and raise ValueError when the two
    cannot be broadcast. Write the rule yourself: do not call
    torch.broadcast_shapes or np.broadcast_shapes.

residuals(pred, y) -> torch.Tensor
    pred はモデルの出力 (形 (N, 1) の float32)、y は正解 (形 (N,) の float32) です。
    サンプルごとの y - pred を形 (N, 1) で返します。
    pred: a model's output, float32 (N, 1); y: the targets, float32 (N,).
    Return y - pred for each sample, of shape (N, 1).

centre_rows(x) -> torch.Tensor
    x は形 (N, D) の float32 です。各行から、その行自身の平均を引きます (結果の各行の
    平均が 0 になります)。形は (N, D) です。x を書き換えないでください。
    x: float32 (N, D). Subtract from every row its own mean, so that each row of
    the result has mean 0. Shape (N, D). Do not change x.

repeat_rows(v, n) -> torch.Tensor
    v は形 (D,) のテンソルです。どの行も v である形 (n, D) のテンソルを、コピーせずに
    返します。結果は v と同じメモリを使うもの (ビュー) にしてください。
    v: a tensor (D,). Return a tensor of shape (n, D) whose every row is v,
    WITHOUT copying: the result must share v's memory (a view).

pairwise_sq_dist(x, y) -> torch.Tensor
    x は形 (N, D)、y は形 (M, D) の float32 です。[i, j] の要素が x[i] と y[j] の距離の
    2 乗 (D 個の特徴についての (x[i] - y[j])**2 の和) である、形 (N, M) のテンソルを
    返します。ブロードキャストを使い、Python のループや torch.cdist は使わないでください。
    x: float32 (N, D), y: float32 (M, D). Return the (N, M) tensor whose entry
    [i, j] is the squared distance between x[i] and y[j], the sum over the D
    features of (x[i] - y[j])**2. Use broadcasting; no Python loop, no torch.cdist.

チェックは毎回新しい形と値を選びます。正方形 (N == D) の入力も含みます。
ブロードキャストを間違えてもエラーにならず、値だけがおかしくなるのがこの場合です。
The checks draw new shapes and values on every run, square ones (N == D) among
them: that is where a wrong broadcast gives no error, only wrong numbers.

Check it with: dltutor check 1.6
"""

import torch


def broadcast_shape(a, b):
    # TODO: line the shapes up from the right; a missing dimension counts as 1;
    #       two sizes fit when they are equal or one of them is 1
    raise NotImplementedError


def residuals(pred, y):
    # TODO: make y a column (N, 1) first, then subtract
    raise NotImplementedError


def centre_rows(x):
    # TODO: the row means, kept as a column (keepdim=True), subtracted from x
    raise NotImplementedError


def repeat_rows(v, n):
    # TODO: a view of v with a new first dimension of size n (expand, not repeat)
    raise NotImplementedError


def pairwise_sq_dist(x, y):
    # TODO: x as (N, 1, D) against y as (1, M, D), square, sum over the last dimension
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 06-broadcasting.py
    print(broadcast_shape((3, 1), (4,)))                 # (3, 4)
    pred = torch.tensor([[1.0], [2.0], [3.0]])
    y = torch.tensor([1.0, 2.0, 4.0])
    print((y - pred).shape, residuals(pred, y).shape)    # torch.Size([3, 3]) torch.Size([3, 1])
    print(centre_rows(torch.tensor([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]])))
    print(repeat_rows(torch.arange(3.0), 2))
    print(pairwise_sq_dist(torch.zeros(2, 2), torch.tensor([[3.0, 4.0]])))   # [[25.], [25.]]
