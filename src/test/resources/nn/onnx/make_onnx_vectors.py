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
Run: /usr/bin/python3 src/test/resources/nn/onnx/make_onnx_vectors.py [full DIR | ops | upsample]
"""
import os
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


torch.manual_seed(0)
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
