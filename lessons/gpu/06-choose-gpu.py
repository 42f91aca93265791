"""演習 7.6 共用サーバで空いている GPU を選ぶ / Exercise 7.6: choose a free GPU on a shared server

関数を 2 つ書いてください。
Write two functions.

parse_smi(text) -> list of (int, int)
    text は下のコマンドの出力です (1 行に GPU 1 枚、メモリは MiB 単位)。
    例: "0, 1200, 24576\n1, 23000, 24576\n"。GPU ごとに (空きバイト数, 全バイト数)
    の組を、行の順に、バイト単位 (1 MiB = 1024 * 1024 バイト) の Python の int で
    返します。
    text: what this command prints (one line per GPU, memory in MiB):
        nvidia-smi --query-gpu=index,memory.free,memory.total --format=csv,noheader,nounits
    for example "0, 1200, 24576\n1, 23000, 24576\n". Return one pair
    (free_bytes, total_bytes) per GPU, in the order of the lines, in BYTES
    (1 MiB = 1024 * 1024 bytes), as Python ints.

choose_gpu(readings, min_free) -> int or None
    readings は GPU ごとの (空きバイト数, 全バイト数) のリストで、リストの位置が
    GPU の番号です (parse_smi の結果や、`[torch.cuda.mem_get_info(i) for i in
    range(torch.cuda.device_count())]` と同じ形です)。min_free は自分の学習に
    必要なバイト数です。空きが `min_free` バイト以上ある GPU のうち、空きバイト数
    がいちばん多い GPU の番号を返します。同じならば番号の小さい方を、足りる GPU
    がなければ (リストが空のときも) `None` を返します。
    readings: a list of (free_bytes, total_bytes), one per GPU, the list index
    being the GPU's number (what parse_smi returns, or
    `[torch.cuda.mem_get_info(i) for i in range(torch.cuda.device_count())]`).
    min_free: the bytes your job needs.
    Return the number of the GPU with the MOST FREE BYTES among those with at
    least `min_free` free bytes; on a tie the lower number; `None` when no GPU
    has enough (or the list is empty).

どちらも普通の Python の関数なので、GPU は要りません。サーバの状態はチェックが
作ります。
Both are plain Python: no GPU is needed. The checks make up the servers.

Check it with: dltutor check 7.6
"""


def parse_smi(text):
    # TODO: one (free_bytes, total_bytes) per non-empty line; the values are MiB
    raise NotImplementedError


def choose_gpu(readings, min_free):
    # TODO: the index with the most free bytes among those with free >= min_free, or None
    raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 06-choose-gpu.py
    text = "0, 1200, 24576\n1, 23000, 24576\n2, 9800, 10240\n"
    readings = parse_smi(text)
    print(readings)
    print(choose_gpu(readings, 4 * 2**30))        # a job that needs 4 GiB
    # On a real server:
    #   import subprocess
    #   out = subprocess.run(["nvidia-smi", "--query-gpu=index,memory.free,memory.total",
    #                         "--format=csv,noheader,nounits"], capture_output=True, text=True).stdout
    #   print(choose_gpu(parse_smi(out), 4 * 2**30))
