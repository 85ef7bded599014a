"""PyTorch -> ONNX golden vectors for OnnxGoldenTest (development only, never a dependency or a CI step).

Exports, with a fixed seed and random weights (batch-norm statistics randomised too, so folding is
tested), small variants of torchvision's ResNet-18 (every conv and the classifier 8x narrower, built
by torchvision's own code and then narrowed module by module, so forward() is torchvision's) and
MobileNetV2 (width_mult 0.25), and the zoo's own nets from their clpipe YAML (LeNet-5, resnet-mnist,
resnet20-32px) by torch.onnx.export at opsets 13 and 17 with a dynamic batch axis. Next to each
NAME.onnx: NAME.input.npy (NCHW batch of 2) and NAME.output.npy (PyTorch's logits, eval mode).
Full-size ResNet-18 and MobileNetV2 (~45 and ~14 MB) are not committed: `full DIR` writes them to DIR
for the dev-only check in docs/onnx.md.
`ops` writes only ops-mix17 (HardSwish, HardSigmoid, non-square MaxPool/AveragePool windows and
strides, channel Concat, Softmax; opset 17).
`upsample` writes only upsample17 (ConvTranspose2d with strides, pads, output_padding and a dilation;
nn.Upsample nearest; F.interpolate bilinear by scale_factor and by size, nearest by size; opset 17).
`seeded` writes full-size torchvision ResNet-18 and MobileNetV2 (1000 classes) whose every parameter
and batch-norm statistic comes from `seeded_uniform` (a counter hash both this script and the Java
test's SeededWeights implement bit for bit), so only the graph is committed: NAME-seeded.onnx keeps
its initializers as external data in NAME-seeded.weights, which the test regenerates; the input
batch (2x3x224x224) comes from the same generator, PyTorch's logits are NAME-seeded.output.npy.
It needs the test classes built (mvn -o test-compile): SeededWeights checks every initializer of
torch's export against its own generator before it writes the graph without them.
Run: /usr/bin/python3 src/test/resources/nn/onnx/make_onnx_vectors.py [full DIR | ops | upsample | seeded]
"""
import math
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../../.."))
sys.path.insert(0, os.path.dirname(HERE))
from torch_resnet_bench import build  # noqa: E402  (the zoo's YAML -> nn.Sequential)


def narrow(model, factor):
    """Every Conv2d/BatchNorm2d/Linear of `model` with 1/factor of its channels (the image's 3 kept)."""
    for name, m in list(model.named_children()):
        if isinstance(m, nn.Conv2d):
            cin = m.in_channels if m.in_channels == 3 else m.in_channels // factor
            setattr(model, name, nn.Conv2d(cin, m.out_channels // factor, m.kernel_size, m.stride, m.padding,
                                           groups=m.groups, bias=m.bias is not None))
        elif isinstance(m, nn.BatchNorm2d):
            setattr(model, name, nn.BatchNorm2d(m.num_features // factor))
        elif isinstance(m, nn.Linear):
            setattr(model, name, nn.Linear(m.in_features // factor, m.out_features))
        else:
            narrow(m, factor)
    return model


def yaml_net(file):
    """nn.Sequential of a clpipe model YAML, built as the ResNet training anchor builds it."""
    spec = yaml.safe_load(open(os.path.join(ROOT, "pipelines/models", file)))
    i = spec["input"]
    chw = (i["channels"], i["height"], i["width"])
    return build(spec["layers"], chw)[0], chw


def randomise_batch_norm(model):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    return model


def export(model, chw, name, opset, out_dir, batch=2):
    model = randomise_batch_norm(model).eval()
    x = torch.randn(batch, *chw)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    np.save(os.path.join(out_dir, name + ".input.npy"), x.numpy())
    np.save(os.path.join(out_dir, name + ".output.npy"), y.numpy())
    print(f"{name}: opset {opset}, {os.path.getsize(path)} bytes, output {tuple(y.shape)}")


class OpsMix(nn.Module):
    """The operators the zoo's nets do not use: HardSwish, HardSigmoid, non-square pooling, Concat, Softmax."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.pool = nn.MaxPool2d((3, 2), stride=(2, 1))
        self.a = nn.Conv2d(8, 4, 1)
        self.b = nn.Conv2d(8, 6, 3, padding=1)
        self.avg = nn.AvgPool2d((2, 3), stride=(1, 2))
        self.fc = nn.Linear(10, 7)

    def forward(self, x):
        x = self.pool(nn.functional.hardswish(self.stem(x)))
        x = torch.cat([torch.relu(self.a(x)), nn.functional.hardsigmoid(self.b(x))], dim=1)
        x = nn.functional.adaptive_avg_pool2d(self.avg(x), 1)
        return torch.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class UpsampleNet(nn.Module):
    """A small decoder: transposed convolutions and every Resize form torch.onnx writes for Upsample/interpolate."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.up1 = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1)
        self.up2 = nn.ConvTranspose2d(6, 5, (2, 3), stride=(1, 2), padding=(0, 1), dilation=(2, 1), output_padding=(0, 1))
        self.near = nn.Upsample(scale_factor=2, mode="nearest")
        self.head = nn.Conv2d(5, 4, 1)

    def forward(self, x):
        x = torch.relu(self.up1(torch.relu(self.stem(x))))
        x = self.up2(x)
        size = (24, 48)  # twice up2's 12x24 for a 5x6 input: torch writes Shape, Slice and Concat for it
        a = self.near(x)
        b = nn.functional.interpolate(x, size=size, mode="bilinear", align_corners=False)
        c = nn.functional.interpolate(nn.functional.interpolate(x, scale_factor=1.5, mode="bilinear", align_corners=False),
                                      size=size, mode="nearest")
        return self.head(a + b + c)


SEED = 20


def fnv1a(name):
    h = 0x811C9DC5
    for b in name.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def seeded_uniform(name, n, center, half):
    """float32 center + half * (2u - 1), u = lowbias32(i + base) >> 8 / 2^24; base from the tensor's name and SEED."""
    base = ((fnv1a(name) ^ SEED) * 0x9E3779B9) & 0xFFFFFFFF
    x = ((np.arange(n, dtype=np.uint64) + np.uint64(base)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    u = (x >> np.uint32(8)).astype(np.float32) * np.float32(1.0 / 16777216)
    return np.float32(center) + np.float32(half) * (np.float32(2) * u - np.float32(1))


def seeded_range(name, shape):
    """(center, half-width) per tensor: He-uniform convolutions, sane batch-norm statistics (SeededWeights.range)."""
    if name.endswith("running_mean"):
        return 0.0, 0.1
    if name.endswith("running_var"):
        return 1.0, 0.5
    if len(shape) == 1:
        return (1.0, 0.2) if name.endswith("weight") else (0.0, 0.1)
    fan_in = int(np.prod(shape[1:]))
    return 0.0, math.sqrt((6.0 if len(shape) == 4 else 3.0) / fan_in)


def seeded(model):
    with torch.no_grad():
        for k, v in model.state_dict().items():
            if v.dtype == torch.float32:
                c, h = seeded_range(k, list(v.shape))
                v.copy_(torch.from_numpy(seeded_uniform(k, v.numel(), c, h).reshape(v.shape)))
    return model.eval()


def export_seeded(model, name, tmp):
    x = torch.from_numpy(seeded_uniform("input", 2 * 3 * 224 * 224, 0.0, 2.0).reshape(2, 3, 224, 224))
    with torch.no_grad():
        y = model(x)
    full = os.path.join(tmp, name + ".onnx")
    torch.onnx.export(model, x, full, opset_version=17, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False,
                      input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    np.save(os.path.join(HERE, name + ".output.npy"), y.numpy())
    cp = subprocess.run(["mvn", "-q", "-o", "dependency:build-classpath", "-Dmdep.outputFile=/dev/stdout"], cwd=ROOT,
                        capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["java", "-cp", os.path.join(ROOT, "target/test-classes") + ":" + os.path.join(ROOT, "target/classes") + ":" + cp,
                    "dev.clpipe.nn.onnx.SeededWeights", "externalize", full, os.path.join(HERE, name + ".onnx"), str(SEED)], check=True)
    print(f"{name}: output {tuple(y.shape)}, |y| max {y.abs().max().item():.3g}")


torch.manual_seed(0)
if len(sys.argv) > 1 and sys.argv[1] == "seeded":
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        export_seeded(seeded(torchvision.models.resnet18()), "resnet18-seeded", tmp)
        export_seeded(seeded(torchvision.models.mobilenet_v2()), "mobilenetv2-seeded", tmp)
    sys.exit(0)
if len(sys.argv) > 1 and sys.argv[1] == "upsample":
    export(UpsampleNet(), (3, 5, 6), "upsample17", 17, HERE)
    sys.exit(0)
if len(sys.argv) > 1 and sys.argv[1] == "ops":
    export(OpsMix(), (3, 13, 11), "ops-mix17", 17, HERE)
    sys.exit(0)
if len(sys.argv) > 2 and sys.argv[1] == "full":
    os.makedirs(sys.argv[2], exist_ok=True)
    export(torchvision.models.resnet18(), (3, 224, 224), "resnet18", 17, sys.argv[2], batch=8)
    export(torchvision.models.mobilenet_v2(), (3, 224, 224), "mobilenetv2", 17, sys.argv[2], batch=8)
    sys.exit(0)
export(narrow(torchvision.models.resnet18(num_classes=10), 8), (3, 64, 64), "resnet18-narrow", 17, HERE)
export(torchvision.models.mobilenet_v2(num_classes=10, width_mult=0.25), (3, 64, 64), "mobilenetv2-w025", 13, HERE)
for f, opset in (("lenet5.yaml", 13), ("resnet-mnist.yaml", 17), ("resnet20-32px.yaml", 14)):
    net, chw = yaml_net(f)
    export(net, chw, f[:-5], opset, HERE)
