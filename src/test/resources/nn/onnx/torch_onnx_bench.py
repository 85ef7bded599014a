"""PyTorch anchor for `clpipe bench onnx` (development only, never a dependency): torchvision ResNet-18
and MobileNetV2 inference, eval mode, channels-last, torch.set_num_threads(2), random input,
batches 8 and 32 at 224x224: ms per batch, best of 3 timed runs of 3 batches after a warm-up
(as OnnxBench times); one JSON line per batch ({"model", "batch", "ms_per_batch", "images_per_s"}).
src/test/sh/onnx-bench.sh runs it beside `clpipe bench onnx`. Run: /usr/bin/python3 src/test/resources/nn/onnx/torch_onnx_bench.py [BATCHES [MODEL]]
(BATCHES e.g. 8,32; MODEL resnet18 or mobilenetv2 to run one)
"""
import json
import sys
import time

import torch
import torchvision

torch.set_num_threads(2)
torch.manual_seed(0)
batches = [int(b) for b in sys.argv[1].split(",")] if len(sys.argv) > 1 else [8, 32]
only = sys.argv[2] if len(sys.argv) > 2 else ""
for name, make in (("resnet18", torchvision.models.resnet18), ("mobilenetv2", torchvision.models.mobilenet_v2)):
    if only not in name:
        continue
    model = make().eval().to(memory_format=torch.channels_last)
    for batch in batches:
        x = torch.randn(batch, 3, 224, 224).contiguous(memory_format=torch.channels_last)
        with torch.no_grad():
            model(x)
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                for _ in range(3):
                    model(x)
                best = min(best, (time.perf_counter() - t0) / 3)
        print(json.dumps({"anchor": "pytorch channels-last", "model": name, "batch": batch, "shape": "3x224x224",
                          "ms_per_batch": round(best * 1e3, 3), "images_per_s": round(batch / best, 2)}), flush=True)
