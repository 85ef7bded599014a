"""PyTorch reference for `clpipe bench train` (development only, never a dependency).

LeNet-5 (ReLU, max pooling; same shapes as pipelines/models/lenet5.yaml), batch 256, 2 threads:
training steps (forward, cross-entropy, backward, Adam) and inference batches, images per second.
Run: /usr/bin/python3 src/test/resources/nn/torch_lenet_bench.py
"""
import time
import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
opt = torch.optim.Adam(model.parameters(), 1e-3)
loss_fn = nn.CrossEntropyLoss()
B, STEPS = 256, 40
x = torch.randn(STEPS, B, 1, 28, 28)
y = torch.randint(0, 10, (STEPS, B))


def train():
    for s in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x[s]), y[s]).backward()
        opt.step()


def infer():
    with torch.no_grad():
        for s in range(STEPS):
            model(x[s])


for name, fn in (("train", train), ("inference", infer)):
    fn()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    print(f"pytorch lenet5 {name:9s} batch {B}: {B * STEPS / min(times):8.0f} images/s ({min(times) / STEPS * 1e3:.2f} ms/batch)")
