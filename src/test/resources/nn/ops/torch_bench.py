#!/usr/bin/env python3
"""PyTorch (CPU, 2 threads) timings of the shapes `clpipe bench kernels` measures, for comparison.

Dev-time only:  /usr/bin/python3 src/test/resources/nn/ops/torch_bench.py
Prints one line per op: name, ms, GFLOP/s (same FLOP counts as clpipe: 2 x MACs of the forward).
On a loaded machine compare CPU time with one thread on both sides:
  TORCH_BENCH_THREADS=1 TORCH_BENCH_CLOCK=cpu /usr/bin/python3 torch_bench.py   versus
  POCL_MAX_PTHREAD_COUNT=1 CLPIPE_JAVA_OPTS=-Dclpipe.bench.clock=cpu ./clpipe bench kernels
"""
import os
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("TORCH_BENCH_THREADS", "2")))
clock = time.process_time if os.environ.get("TORCH_BENCH_CLOCK") == "cpu" else time.perf_counter

# name: (batch, cin, h, w, cout, k, pad, groups)
CONVS = {
    "conv3x3": (32, 64, 56, 56, 64, 3, 1, 1),
    "lenet-conv1": (256, 1, 32, 32, 6, 5, 0, 1),
    "lenet-conv2": (256, 6, 14, 14, 16, 5, 0, 1),
    "depthwise3x3": (8, 32, 112, 112, 32, 3, 1, 32),
    "conv1x1": (8, 32, 112, 112, 64, 1, 0, 1),
}


def timed(fn, budget=1.5):
    fn()
    fn()
    start = clock()
    reps = 0
    while clock() - start < budget or reps < 3:
        fn()
        reps += 1
    return (clock() - start) / reps * 1e3


def main():
    for n in (1024, 2048):
        a, b = torch.randn(n, n), torch.randn(n, n)
        ms = timed(lambda: a @ b)
        print(f"torch gemm {n}x{n}x{n:<6} {ms:10.3f} ms {2 * n ** 3 / ms / 1e6:8.1f} GFLOP/s")
    for name, (n, cin, h, w, cout, k, pad, groups) in CONVS.items():
        x = torch.randn(n, cin, h, w).contiguous(memory_format=torch.channels_last)
        wt = torch.randn(cout, cin // groups, k, k)
        y = F.conv2d(x, wt, padding=pad, groups=groups)
        flops = 2.0 * y.numel() * k * k * (cin // groups)
        dy = torch.randn_like(y)
        passes = {
            "forward": lambda: F.conv2d(x, wt, padding=pad, groups=groups),
            "backward-data": lambda: torch.nn.grad.conv2d_input(x.shape, wt, dy, padding=pad, groups=groups),
            "backward-weights": lambda: torch.nn.grad.conv2d_weight(x, wt.shape, dy, padding=pad, groups=groups),
        }
        for pass_name, fn in passes.items():
            with torch.no_grad():
                ms = timed(fn)
            print(f"torch {name} {pass_name:<17} {ms:10.3f} ms {flops / ms / 1e6:8.1f} GFLOP/s")


if __name__ == "__main__":
    main()
