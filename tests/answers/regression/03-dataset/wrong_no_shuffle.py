# expect: failed
# message: same order in two epochs in a row
"""The training DataLoader does not shuffle."""

import torch
from torch.utils.data import DataLoader, Dataset, random_split


class AdDataset(Dataset):
    def __init__(self, table):
        self.x = torch.tensor(table[:, :3], dtype=torch.float32)
        self.y = torch.tensor(table[:, 3:4], dtype=torch.float32)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def split_dataset(dataset, seed):
    return random_split(dataset, [0.8, 0.1, 0.1], generator=torch.Generator().manual_seed(seed))


def make_loaders(train, val, test, batch_size):
    return (DataLoader(train, batch_size=batch_size),
            DataLoader(val, batch_size=batch_size),
            DataLoader(test, batch_size=batch_size))
