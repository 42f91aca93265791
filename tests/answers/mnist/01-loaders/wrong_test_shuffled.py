# expect: failed
# message: `test_loader` has `shuffle=True`
"""Shuffles the test loader too."""

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from tutor.data import mnist_root


def make_transform():
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])


def make_loaders(batch_size):
    trans = make_transform()
    train_set = datasets.MNIST(root=mnist_root(), train=True, download=False, transform=trans)
    test_set = datasets.MNIST(root=mnist_root(), train=False, download=False, transform=trans)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=batch_size, shuffle=True)
    return train_loader, test_loader


def flatten(images):
    return images.view(-1, 28 * 28)
