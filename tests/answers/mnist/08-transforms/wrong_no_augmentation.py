# expect: failed
# message: put in a random augmentation
"""Trains on the images as they are: the train transform is the test one."""

import torch
from torchvision.transforms import v2


def channel_stats(data):
    x = data.float() / 255
    return x.mean().item(), x.std().item()


def test_transform(mean, std):
    return v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize((mean,), (std,))])


def train_transform(mean, std):
    return v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize((mean,), (std,))])
