"""PyTorch reference for `clpipe bench folder` (development only, never a dependency).

LeNet-5 (same shapes as pipelines/models/lenet5.yaml) trained from a labelled PNG folder with
torchvision's ImageFolder + DataLoader(num_workers=2, shuffle), the transforms clpipe applies
(grey, 28x28, x/255, normalise 0.286/0.353), batch 128, SGD momentum 0.9, 2 threads; the same
evenly spread subset of train/ as the clpipe bench (7680 images by default). Prints images per
second of each epoch: PyTorch has no decoded-sample cache, so every epoch decodes.
Run: /usr/bin/python3 src/test/resources/nn/torch_folder_bench.py [FOLDER] [IMAGES] [EPOCHS]
(default data/fashion-mnist-png 30720 3)
"""
import sys
import time
import torch
import torch.nn as nn
import torchvision
from torchvision import transforms

folder = sys.argv[1] if len(sys.argv) > 1 else "data/fashion-mnist-png"
images = int(sys.argv[2]) if len(sys.argv) > 2 else 30720
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
torch.set_num_threads(2)
torch.manual_seed(0)
tf = transforms.Compose([transforms.Grayscale(1), transforms.Resize((28, 28)), transforms.ToTensor(), transforms.Normalize((0.286,), (0.353,))])
full = torchvision.datasets.ImageFolder(folder + "/train", transform=tf)
subset = torch.utils.data.Subset(full, [i * len(full) // images for i in range(images)])
loader = torch.utils.data.DataLoader(subset, batch_size=128, shuffle=True, num_workers=2, drop_last=True)
model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(epochs):
    t0 = time.perf_counter()
    n = 0
    for x, y in loader:
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
        n += len(y)
    dt = time.perf_counter() - t0
    print(f"pytorch ImageFolder+DataLoader(num_workers=2) lenet5 epoch {epoch + 1}: {n / dt:8.0f} images/s ({n} images, {dt:.1f} s)")
