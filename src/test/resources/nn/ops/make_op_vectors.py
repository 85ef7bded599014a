"""Writes fixed op cases computed by PyTorch as .npy files next to this script.

Development tool only (needs torch and numpy; run with /usr/bin/python3 make_op_vectors.py).
TorchVectorsTest reads the files; regenerate them here when an op's definition changes.
File names: <case>_<tensor>.npy. Written with torch 1.13 (Debian python3-torch), float32, CPU.
"""
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(1234)
here = Path(__file__).parent


def save(name, t):
    a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    np.save(here / f"{name}.npy", a.astype(np.int64) if a.dtype.kind in "iu" else a.astype(np.float32))


def grad_case(name, x, fn):
    """Saves x, y = fn(x), a random dy, and dx = (dy . dy/dx)."""
    x = x.clone().requires_grad_(True)
    y = fn(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    save(f"{name}_x", x)
    save(f"{name}_y", y)
    save(f"{name}_dy", dy)
    save(f"{name}_dx", x.grad)


# Pooling: 3x3 window, stride 2, padding 1 on odd sizes.
grad_case("maxpool", torch.randn(2, 3, 7, 9), lambda x: F.max_pool2d(x, 3, 2, 1))
grad_case("avgpool", torch.randn(2, 3, 7, 9), lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=True))

# Resize to a non-integer and an integer factor, align_corners=False.
grad_case("bilinear", torch.randn(2, 3, 5, 7), lambda x: F.interpolate(x, size=(8, 11), mode="bilinear", align_corners=False))
grad_case("bilinear2x", torch.randn(1, 2, 4, 6), lambda x: F.interpolate(x, size=(8, 12), mode="bilinear", align_corners=False))
grad_case("nearest", torch.randn(2, 3, 5, 7), lambda x: F.interpolate(x, size=(10, 14), mode="nearest"))

# Batch norm, one training step from running stats (0, 1), eps 1e-5, momentum 0.1.
bn = torch.nn.BatchNorm2d(3, eps=1e-5, momentum=0.1)
with torch.no_grad():
    bn.weight.copy_(torch.rand(3) + 0.5)
    bn.bias.copy_(torch.randn(3))
save("batchnorm_gamma", bn.weight)
save("batchnorm_beta", bn.bias)
grad_case("batchnorm", torch.randn(4, 3, 5, 5) * 2 + 1, bn.train())
save("batchnorm_running_mean", bn.running_mean)
save("batchnorm_running_var", bn.running_var)
save("batchnorm_dgamma", bn.weight.grad)
save("batchnorm_dbeta", bn.bias.grad)

# Softmax cross-entropy (mean) with large logits.
logits = (torch.randn(6, 10) * 20).requires_grad_(True)
labels = torch.randint(0, 10, (6,))
loss = F.cross_entropy(logits, labels)
loss.backward()
save("xent_logits", logits)
save("xent_labels", labels)
save("xent_loss", loss.reshape(1))
save("xent_dlogits", logits.grad)
save("softmax_y", torch.softmax(logits.detach(), dim=1))


def optimizer_case(name, make):
    """Three steps from p0 with gradients g0..g2; saves p0, the gradients and the final p."""
    p = torch.nn.Parameter(torch.randn(37))
    save(f"{name}_p0", p)
    opt = make([p])
    for s in range(3):
        g = torch.randn(37)
        save(f"{name}_g{s}", g)
        p.grad = g.clone()
        opt.step()
    save(f"{name}_p3", p)


optimizer_case("sgd", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=1e-2, nesterov=True))
optimizer_case("adam", lambda ps: torch.optim.Adam(ps, lr=0.05, betas=(0.9, 0.99), eps=1e-8, weight_decay=1e-2))
optimizer_case("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.05, betas=(0.9, 0.99), eps=1e-8, weight_decay=1e-1))
