"""演習 7.4 別のデバイスで保存したモデルを読み込む / Exercise 7.4: load what was saved on another device

関数を 2 つ書いてください。
Write two functions.

load_to(path, device) -> dict
    path は `torch.save(model.state_dict(), path)` で保存したファイルです (GPU
    サーバで保存したものかもしれませんし、ノート PC で保存したものかもしれません)。
    device は torch.device です。保存したときのデバイスに関係なく、すべての
    テンソルが `device` にある state_dict (テンソルの辞書) を返します。
    path: a file written by `torch.save(model.state_dict(), path)`, perhaps on
    a GPU server, perhaps on a laptop. device: a torch.device.
    Return the state_dict (a dict of tensors) with every tensor on `device`,
    whatever device it was saved from.

load_into(model, path, device) -> nn.Module
    model は保存したモデルと同じ形の、作ったばかりのモデル (パラメータは CPU) です。
    保存した重みを読み込み、パラメータが `device` にあって値が保存したとおりに
    なった、そのモデル自身を返します。
    model: a freshly built model (parameters on the CPU) of the same kind as the
    saved one. Load the saved weights into it and return the same model, with
    its parameters on `device` and the saved values.

`torch.load(...)` を使い (チェックは渡した `map_location` を見ています)、関数の
中には "cuda" も "cpu" も書かずに `device` を使ってください。チェックは、GPU が
なくても、研究室のサーバの 8 枚目の GPU (cuda:7) の CUDA テンソルとして記録された
ファイルを作ります。また、`meta` デバイスへの読み込みも試します。
Use `torch.load(...)` (the checks watch which `map_location` you pass) and do
not write "cuda" or "cpu" in the functions: use `device`. The checks make files
whose tensors are recorded as CUDA tensors of a lab server's eighth GPU
(cuda:7) without needing a GPU, and they also load with the `meta` device.

Check it with: dltutor check 7.4
"""

import torch
from torch import nn


def load_to(path, device):
    # TODO: load the file so that every tensor lands on `device`
    raise NotImplementedError


def load_into(model, path, device):
    # TODO: move the model to `device`, load the weights into it, return it
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 04-save-load.py
    import os
    import tempfile

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    path = os.path.join(tempfile.mkdtemp(), "model.pt")
    trained = nn.Linear(3, 2).to(device)
    torch.save(trained.state_dict(), path)        # torch.save of GPU tensors works
    print({k: v.device for k, v in load_to(path, torch.device("cpu")).items()})
    fresh = load_into(nn.Linear(3, 2), path, device)
    print(fresh.weight.device, torch.equal(fresh.weight, trained.weight))
