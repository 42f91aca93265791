# expect: failed
# message: flips the images
"""Augments digits with horizontal flips."""

import torch
from torchvision.transforms import v2


def channel_stats(data):
    x = data.float() / 255
    return x.mean().item(), x.std().item()


def test_transform(mean, std):
    return v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize((mean,), (std,))])


def train_transform(mean, std):
    return v2.Compose([v2.RandomHorizontalFlip(),
                       v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize((mean,), (std,))])
