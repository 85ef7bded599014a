"""Writes golden/*.npy: a tiny LeNet-like network's loss and every gradient, computed by PyTorch.

GoldenNetworkTest loads them, runs the same network with clpipe's kernels and compares. Layouts are
clpipe's: input NHWC, conv weights HWIO, dense weights [out, in] reading the flattened map in HWC
order. Regenerate (development only): /usr/bin/python3 src/test/resources/nn/make_golden.py
"""
import os
import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(1234)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
os.makedirs(out, exist_ok=True)
N = 4
x = torch.randn(N, 2, 8, 8, dtype=torch.float64)                  # NCHW for torch
labels = torch.tensor([0, 2, 1, 2])
conv_w = (torch.randn(4, 2, 3, 3, dtype=torch.float64) * 0.4).requires_grad_()
conv_b = (torch.randn(4, dtype=torch.float64) * 0.1).requires_grad_()
fc1_w = (torch.randn(5, 64, dtype=torch.float64) * 0.2).requires_grad_()
fc1_b = (torch.randn(5, dtype=torch.float64) * 0.1).requires_grad_()
fc2_w = (torch.randn(3, 5, dtype=torch.float64) * 0.5).requires_grad_()
fc2_b = (torch.randn(3, dtype=torch.float64) * 0.1).requires_grad_()
xg = x.clone().requires_grad_()

h = F.max_pool2d(F.relu(F.conv2d(xg, conv_w, conv_b, padding=1)), 2)  # [N, 4, 4, 4]
h = h.permute(0, 2, 3, 1).reshape(N, -1)                              # flatten in HWC order
logits = F.linear(torch.tanh(F.linear(h, fc1_w, fc1_b)), fc2_w, fc2_b)
loss = F.cross_entropy(logits, labels)
loss.backward()


def save(name, t):
    np.save(os.path.join(out, name + ".npy"), t.detach().numpy().astype(np.float32))


save("input", x.permute(0, 2, 3, 1))                  # NHWC
save("labels", labels.double())
save("loss", loss.reshape(1))
save("logits", logits)
save("input.grad", xg.grad.permute(0, 2, 3, 1))
for name, p in (("conv1.weight", conv_w), ("conv1.bias", conv_b), ("fc1.weight", fc1_w), ("fc1.bias", fc1_b),
                ("fc2.weight", fc2_w), ("fc2.bias", fc2_b)):
    value = p.permute(2, 3, 1, 0) if name == "conv1.weight" else p   # conv to HWIO
    grad = p.grad.permute(2, 3, 1, 0) if name == "conv1.weight" else p.grad
    save(name, value)
    save(name + ".grad", grad)
print("wrote", sorted(os.listdir(out)))
