# expect: passed
"""Another correct answer: rows converted in __getitem__, a split by torch.randperm and Subset,
and loaders built in a loop."""

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Subset


class AdDataset(Dataset):
    def __init__(self, table):
        self.table = np.asarray(table, dtype=np.float32)

    def __len__(self):
        return self.table.shape[0]

    def __getitem__(self, i):
        row = self.table[i]
        return torch.from_numpy(row[:3].copy()), torch.from_numpy(row[3:].copy())


def split_dataset(dataset, seed):
    n = len(dataset)
    n_val = n_test = int(n * 0.1)
    n_train = n - n_val - n_test
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()
    return (Subset(dataset, order[:n_train]),
            Subset(dataset, order[n_train:n_train + n_val]),
            Subset(dataset, order[n_train + n_val:]))


def make_loaders(train, val, test, batch_size):
    return tuple(DataLoader(part, batch_size=batch_size, shuffle=(k == 0)) for k, part in enumerate((train, val, test)))
