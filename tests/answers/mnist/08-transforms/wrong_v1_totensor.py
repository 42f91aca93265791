# expect: failed
# message: holds transforms of the old `torchvision.transforms`
"""Uses the old transforms.ToTensor and Normalize."""

import torch
from torchvision import transforms
from torchvision.transforms import v2


def channel_stats(data):
    x = data.float() / 255
    return x.mean().item(), x.std().item()


def test_transform(mean, std):
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize((mean,), (std,))])


def train_transform(mean, std):
    return v2.Compose([v2.RandomAffine(degrees=10, translate=(0.1, 0.1)),
                       v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize((mean,), (std,))])
