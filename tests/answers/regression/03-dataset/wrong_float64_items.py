# expect: failed
# message: NumPy arrays are float64 by default
"""Keeps the table as float64 with torch.from_numpy."""

import torch
from torch.utils.data import DataLoader, Dataset, random_split


class AdDataset(Dataset):
    def __init__(self, table):
        self.x = torch.from_numpy(table[:, :3])
        self.y = torch.from_numpy(table[:, 3:4])

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def split_dataset(dataset, seed):
    return random_split(dataset, [0.8, 0.1, 0.1], generator=torch.Generator().manual_seed(seed))


def make_loaders(train, val, test, batch_size):
    return (DataLoader(train, batch_size=batch_size, shuffle=True),
            DataLoader(val, batch_size=batch_size, shuffle=False),
            DataLoader(test, batch_size=batch_size, shuffle=False))
