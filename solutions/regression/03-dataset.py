"""Reference solution for exercise 2.3 (Dataset, DataLoader and random_split)."""

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
    generator = torch.Generator().manual_seed(seed)
    return random_split(dataset, [0.8, 0.1, 0.1], generator=generator)


def make_loaders(train, val, test, batch_size):
    train_loader = DataLoader(train, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val, batch_size=batch_size, shuffle=False)
    test_loader = DataLoader(test, batch_size=batch_size, shuffle=False)
    return train_loader, val_loader, test_loader
