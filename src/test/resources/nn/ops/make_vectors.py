#!/usr/bin/env python3
"""Writes PyTorch reference vectors for clpipe's convolution kernels (dev-time only).

Run from anywhere:  /usr/bin/python3 src/test/resources/nn/ops/make_vectors.py
Writes <case>_{x,w,b,y,dy,dx,dw,db}.npy (float32) next to this script, in clpipe's layouts:
activations NHWC, weights HWIO ([kh][kw][cin/groups][cout]). Conv2dTorchVectorsTest reads them;
the shapes there must match CASES here.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(1234)
HERE = os.path.dirname(os.path.abspath(__file__))

# name: (batch, cin, h, w, cout, kh, kw, stride(h,w), pad(top,bottom,left,right), dilation(h,w), groups)
CASES = {
    "conv3x3": (2, 3, 7, 6, 4, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1), 1),
    "strided_dilated_grouped": (1, 4, 9, 8, 6, 3, 2, (2, 1), (2, 1, 1, 0), (2, 1), 2),
    "depthwise": (2, 5, 6, 7, 5, 3, 3, (2, 2), (1, 1, 1, 1), (1, 1), 5),
}


def save(name, part, tensor):
    np.save(os.path.join(HERE, f"{name}_{part}.npy"), np.ascontiguousarray(tensor.detach().numpy().astype(np.float32)))


def main():
    for name, (n, cin, h, w, cout, kh, kw, stride, pad, dil, groups) in CASES.items():
        x = torch.randn(n, cin, h, w, dtype=torch.float64, requires_grad=True)
        wt = torch.randn(cout, cin // groups, kh, kw, dtype=torch.float64, requires_grad=True)
        b = torch.randn(cout, dtype=torch.float64, requires_grad=True)
        top, bottom, left, right = pad
        y = F.conv2d(F.pad(x, (left, right, top, bottom)), wt, b, stride=stride, dilation=dil, groups=groups)
        dy = torch.randn_like(y)
        y.backward(dy)
        save(name, "x", x.permute(0, 2, 3, 1))
        save(name, "w", wt.permute(2, 3, 1, 0))
        save(name, "b", b)
        save(name, "y", y.permute(0, 2, 3, 1))
        save(name, "dy", dy.permute(0, 2, 3, 1))
        save(name, "dx", x.grad.permute(0, 2, 3, 1))
        save(name, "dw", wt.grad.permute(2, 3, 1, 0))
        save(name, "db", b.grad)
        print(name, "y", tuple(y.shape))


if __name__ == "__main__":
    main()
