"""PyTorch reference for the ResNet rows of `clpipe bench train` (development only, never a dependency).

Builds each model from its clpipe YAML (pipelines/models/*.yaml: conv with bias, batchnorm, relu,
max/avg pool, dropout, dense, residual bodies y = x + body(x)), so the architecture is the one
clpipe trains. Channels-last tensors, torch.set_num_threads(2), SGD lr 0.05 momentum 0.9 weight
decay 5e-4, the batch sizes of TrainBench: training steps (forward, cross-entropy, backward, step)
and inference batches on random data, images per second (best of 3 after a warm-up).
Run: /usr/bin/python3 src/test/resources/nn/torch_resnet_bench.py [TEXT [STEPS]]   (TEXT: models whose name
contains it; STEPS: timed steps instead of TrainBench's, e.g. 3 as `clpipe bench train --quick`)
For a fair anchor run it without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE in the environment.
"""
import os
import sys
import time

import torch
import torch.nn as nn
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../../.."))
# (model file, batch, timed steps): the same as TrainBench's workloads.
WORKLOADS = [("resnet-mnist.yaml", 64, 40), ("resnet20-32px.yaml", 64, 20), ("resnet18-112px.yaml", 32, 10)]


class Residual(nn.Module):
    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return x + self.body(x)


def build(layers, shape):
    """nn.Sequential of the YAML layers; shape = (channels, height, width) in, updated as layers go."""
    mods = []
    for l in layers:
        t = l["type"]
        c, h, w = shape
        if t == "conv":
            k, s, p = l["kernel"], l.get("stride", 1), l.get("pad", 0)
            mods.append(nn.Conv2d(c, l["filters"], k, s, p))
            shape = (l["filters"], (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1)
        elif t == "batchnorm":
            mods.append(nn.BatchNorm2d(c, eps=l.get("eps", 1e-5), momentum=l.get("momentum", 0.1)))
        elif t == "relu":
            mods.append(nn.ReLU())
        elif t in ("maxpool", "avgpool"):
            k, s, p = l["size"], l.get("stride", l["size"]), l.get("pad", 0)
            mods.append(nn.MaxPool2d(k, s, p) if t == "maxpool" else nn.AvgPool2d(k, s, p))
            shape = (c, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1)
        elif t == "dropout":
            mods.append(nn.Dropout(l["p"]))
        elif t == "flatten":
            mods.append(nn.Flatten())
            shape = (c * h * w, 1, 1)
        elif t == "dense":
            if h * w > 1 or not any(isinstance(m, nn.Flatten) for m in mods):
                # clpipe flattens in HWC order; the order only permutes the dense weights' rows
                mods.append(nn.Flatten())
            mods.append(nn.Linear(c * h * w, l["units"]))
            shape = (l["units"], 1, 1)
        elif t == "residual":
            body, out = build(l["layers"], shape)
            assert out == shape, "residual body must keep the shape"
            mods.append(Residual(body))
        else:
            raise ValueError("layer type not covered by this script: " + t)
    return nn.Sequential(*mods), shape


def bench(file, batch, steps):
    spec = yaml.safe_load(open(os.path.join(ROOT, "pipelines/models", file)))
    i = spec["input"]
    model, _ = build(spec["layers"], (i["channels"], i["height"], i["width"]))
    model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(steps, batch, i["channels"], i["height"], i["width"])
    x = [x[s].contiguous(memory_format=torch.channels_last) for s in range(steps)]
    y = torch.randint(0, spec["classes"], (steps, batch))

    def train():
        model.train()
        for s in range(steps):
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x[s]), y[s]).backward()
            opt.step()

    def infer():
        model.eval()
        with torch.no_grad():
            for s in range(steps):
                model(x[s])

    for name, fn in (("train step", train), ("inference", infer)):
        fn()
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        print(f"pytorch {spec['name']} {name:10s} batch {batch}: {batch * steps / min(times):8.0f} images/s "
              f"({min(times) / steps * 1e3:.2f} ms/batch)", flush=True)


if __name__ == "__main__":  # build() is also imported by onnx/make_onnx_vectors.py
    torch.set_num_threads(2)
    torch.manual_seed(0)
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    for f, b, n in WORKLOADS:
        if only in f:
            bench(f, b, steps or n)
