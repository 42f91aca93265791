"""演習 7.1 デバイスを選ぶ / Exercise 7.1: choose the device

関数を 1 つ書いてください。
Write one function.

pick_device(want="auto") -> torch.device
    want は "auto"、"cpu"、"cuda" のどれかです (dltutor の `--device` と同じです)。
    - "auto": `torch.cuda.is_available()` が True なら GPU (`torch.device("cuda")`)、
      そうでなければ CPU (`torch.device("cpu")`) を返します。
    - "cpu": GPU があっても、いつも CPU を返します。
    - "cuda": GPU を返します。GPU が使えないときは、自分で考えたメッセージを付けて
      RuntimeError を送出します (黙って CPU に切り替えないこと)。
    `torch.cuda.is_available()` は、ファイルを読み込んだときに 1 回だけではなく、
    関数が呼ばれるたびに確かめてください。返すのは文字列ではなく `torch.device` です。
    want: "auto", "cpu" or "cuda" (like dltutor's own `--device` option).
    - "auto": the GPU (`torch.device("cuda")`) when `torch.cuda.is_available()`
      is True, otherwise the CPU (`torch.device("cpu")`).
    - "cpu": always the CPU, even when a GPU is available.
    - "cuda": the GPU; when no GPU is available, raise RuntimeError with a
      message of your own (do not fall back to the CPU in silence).
    Ask `torch.cuda.is_available()` every time the function is called (not once
    at import), and return a `torch.device`, not a string.

チェックは、GPU があるふり・ないふりをして (`torch.cuda.is_available` を一時的に
差し替えて) pick_device を呼ぶので、GPU のないマシンでも取り組めます。
The checks call pick_device while pretending that a GPU is, or is not, there
(they replace `torch.cuda.is_available` for a moment), so this exercise works on
a machine without a GPU.

Check it with: dltutor check 7.1
"""

import torch


def pick_device(want="auto"):
    # TODO: "cpu" -> the CPU
    # TODO: "auto" -> the GPU if torch.cuda.is_available(), else the CPU
    # TODO: "cuda" -> the GPU, or RuntimeError when there is none
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 01-pick-device.py
    device = pick_device()
    print(device)                              # cpu or cuda
    x = torch.ones(2, 3).to(device)
    print(x.device)
