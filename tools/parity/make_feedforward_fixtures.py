#!/usr/bin/python3
"""Makes the fixtures for the feed-forward blocks: what PyTorch computes, for Java to match.

DJL has no instance normalisation, no reflection padding and no nearest upsampling layer; the
feedforward package builds them from tensor ops. This script runs PyTorch's own modules on tiny
random inputs and writes, forward and backward (the gradient of sum(output * weights) with respect
to the input and to the affine parameters), to

  src/test/resources/fixtures/feedforward_blocks.safetensors
      instance_norm.{x, gamma, beta, upstream, out, grad_x, grad_gamma, grad_beta}
          torch.nn.InstanceNorm2d(4, affine=True) (eps 1e-5, no running stats)
      reflection_pad.{x, upstream, out, grad_x}   torch.nn.ReflectionPad2d(2)
      upsample.{x, upstream, out, grad_x}         torch.nn.functional.interpolate(scale 2, nearest)
  src/test/resources/fixtures/feedforward_net.safetensors
      a narrow TransformerNet of pytorch/examples fast_neural_style (channels 4, 8, 8; 2 residual
      blocks) with its state_dict keys, plus net.input and net.output

Run with Debian's PyTorch: /usr/bin/python3 tools/parity/make_feedforward_fixtures.py
CI only reads the committed files.
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from export_vgg19 import write_safetensors  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "fixtures")


# pytorch/examples fast_neural_style/neural_style/transformer_net.py, with the widths as arguments
class ConvLayer(torch.nn.Module):
    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel // 2)
        self.conv2d = torch.nn.Conv2d(cin, cout, kernel, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = ConvLayer(c, c, 3, 1)
        self.in1 = torch.nn.InstanceNorm2d(c, affine=True)
        self.conv2 = ConvLayer(c, c, 3, 1)
        self.in2 = torch.nn.InstanceNorm2d(c, affine=True)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        out = self.relu(self.in1(self.conv1(x)))
        return self.in2(self.conv2(out)) + x


class UpsampleConvLayer(torch.nn.Module):
    def __init__(self, cin, cout, kernel, stride, upsample):
        super().__init__()
        self.upsample = upsample
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel // 2)
        self.conv2d = torch.nn.Conv2d(cin, cout, kernel, stride)

    def forward(self, x):
        x = torch.nn.functional.interpolate(x, mode="nearest", scale_factor=self.upsample)
        return self.conv2d(self.reflection_pad(x))


class TransformerNet(torch.nn.Module):
    def __init__(self, c1, c2, c3, blocks):
        super().__init__()
        self.conv1 = ConvLayer(3, c1, 9, 1)
        self.in1 = torch.nn.InstanceNorm2d(c1, affine=True)
        self.conv2 = ConvLayer(c1, c2, 3, 2)
        self.in2 = torch.nn.InstanceNorm2d(c2, affine=True)
        self.conv3 = ConvLayer(c2, c3, 3, 2)
        self.in3 = torch.nn.InstanceNorm2d(c3, affine=True)
        for i in range(blocks):
            self.add_module(f"res{i + 1}", ResidualBlock(c3))
        self.blocks = blocks
        self.deconv1 = UpsampleConvLayer(c3, c2, 3, 1, 2)
        self.in4 = torch.nn.InstanceNorm2d(c2, affine=True)
        self.deconv2 = UpsampleConvLayer(c2, c1, 3, 1, 2)
        self.in5 = torch.nn.InstanceNorm2d(c1, affine=True)
        self.deconv3 = ConvLayer(c1, 3, 9, 1)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        y = self.relu(self.in1(self.conv1(x)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        for i in range(self.blocks):
            y = getattr(self, f"res{i + 1}")(y)
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        return self.deconv3(y)


def grads(module_fn, x, params, upstream):
    x = x.clone().requires_grad_(True)
    out = module_fn(x)
    (out * upstream).sum().backward()
    return out.detach(), x.grad, [p.grad for p in params]


def main():
    torch.manual_seed(2016)
    t = {}
    norm = torch.nn.InstanceNorm2d(4, affine=True)
    with torch.no_grad():
        norm.weight.uniform_(0.5, 1.5)
        norm.bias.uniform_(-0.5, 0.5)
    x = torch.randn(2, 4, 5, 6) * 3 + 1
    up = torch.randn(2, 4, 5, 6)
    out, gx, (gw, gb) = grads(norm, x, [norm.weight, norm.bias], up)
    t.update({"instance_norm.x": x, "instance_norm.gamma": norm.weight.detach(),
              "instance_norm.beta": norm.bias.detach(), "instance_norm.upstream": up,
              "instance_norm.out": out, "instance_norm.grad_x": gx,
              "instance_norm.grad_gamma": gw, "instance_norm.grad_beta": gb})

    pad = torch.nn.ReflectionPad2d(2)
    x = torch.randn(2, 3, 5, 4)
    up = torch.randn(2, 3, 9, 8)
    out, gx, _ = grads(pad, x, [], up)
    t.update({"reflection_pad.x": x, "reflection_pad.upstream": up, "reflection_pad.out": out,
              "reflection_pad.grad_x": gx})

    x = torch.randn(2, 3, 4, 5)
    up = torch.randn(2, 3, 8, 10)
    out, gx, _ = grads(lambda v: torch.nn.functional.interpolate(v, scale_factor=2, mode="nearest"),
                       x, [], up)
    t.update({"upsample.x": x, "upsample.upstream": up, "upsample.out": out, "upsample.grad_x": gx})

    os.makedirs(OUT, exist_ok=True)
    meta = {"torch": torch.__version__, "script": "tools/parity/make_feedforward_fixtures.py"}
    write_safetensors(os.path.join(OUT, "feedforward_blocks.safetensors"),
                      {k: v.contiguous().numpy().astype("<f4") for k, v in t.items()}, meta)

    net = TransformerNet(4, 8, 8, 2)
    with torch.no_grad():  # affine parameters away from 1 / 0 so a swapped one shows
        for name, p in net.named_parameters():
            if name.split(".")[0].startswith("in") or ".in" in name:
                p.uniform_(0.5, 1.5) if name.endswith("weight") else p.uniform_(-0.2, 0.2)
    x = torch.rand(1, 3, 16, 20)
    with torch.no_grad():
        y = net(x)
    arrays = {k: v.contiguous().numpy().astype("<f4") for k, v in net.state_dict().items()}
    arrays["net.input"] = x.numpy().astype("<f4")
    arrays["net.output"] = y.numpy().astype("<f4")
    write_safetensors(os.path.join(OUT, "feedforward_net.safetensors"), arrays, meta)
    print(f"wrote fixtures to {os.path.normpath(OUT)}; net output sum {y.sum().item():.6f}")


if __name__ == "__main__":
    main()
