# expect: passed
"""Another correct answer: padding and a random crop, the constants with numpy."""

import torch
from torchvision.transforms import v2


def channel_stats(data):
    x = data.numpy().astype("float64") / 255
    return float(x.mean()), float(x.std())


def _finish(mean, std):
    return [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=[mean], std=[std])]


def test_transform(mean, std):
    return v2.Compose(_finish(mean, std))


def train_transform(mean, std):
    return v2.Compose([v2.RandomCrop(28, padding=2), v2.RandomRotation(8)] + _finish(mean, std))
