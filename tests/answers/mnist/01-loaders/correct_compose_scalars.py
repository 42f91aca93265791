# expect: passed
"""Another correct answer: Normalize with plain numbers, keyword arguments, nn.Flatten for flatten."""

from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from tutor.data import mnist_root

_flat = nn.Flatten()


def make_transform():
    steps = [transforms.ToTensor()]
    steps.append(transforms.Normalize(mean=0.5, std=1.0))
    return transforms.Compose(steps)


def make_loaders(batch_size):
    root = mnist_root()
    loaders = []
    for train in (True, False):
        data = datasets.MNIST(root, train=train, transform=make_transform(), download=False)
        loaders.append(DataLoader(data, batch_size, shuffle=train))
    return loaders[0], loaders[1]


def flatten(images):
    return _flat(images)
