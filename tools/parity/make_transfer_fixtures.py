#!/usr/bin/python3
"""Writes the style-transfer parity fixtures: what the PyTorch neural-style tutorial computes on a
small VGG-19, for src/test/java/org/stylesweep/transfer/TransferParityTest.java to reproduce.

Run with Debian's PyTorch (apt-get install python3-torch python3-torchvision), from the
repository root:

    /usr/bin/python3 tools/parity/make_transfer_fixtures.py

It writes into src/test/resources/parity/transfer/:

  vgg19_block12.safetensors  VGG-19 features.0..features.7 (conv1_1..conv2_2, real shapes) from
                             torchvision's own init (Kaiming normal, fan_out) after
                             torch.manual_seed(SEED), biases set non-zero so their loading shows
  content.png, style.png     32 x 24 and 32 x 32 RGB images (8-bit, so Java reads the same values)
  transfer.json              per case: the run parameters and, in float32 and in float64, the
                             total, weighted content and weighted style loss of every closure call

The closure is the tutorial's (https://pytorch.org/tutorials/advanced/neural_style_tutorial.html):
Normalization module, ContentLoss = F.mse_loss, StyleLoss = F.mse_loss of gram_matrix, loss =
style_weight * style + content_weight * content, input clamped in place at the start of each
closure (clamp "closure"), with LBFGS([input]) made with max_iter = max_eval = steps and called
once, as stylesweep counts steps as loss evaluations. Cases also vary what stylesweep adds
(clamp "end", avg pooling, gram_norm, content_loss sum, per-layer weights, TV, Adam,
strong Wolfe). The network and the tutorial's modules are tools/vgg_reference.py's, which the
benchmark's PyTorch reference (bench/torch_reference.py) runs too. CI only reads the committed files.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tools/
from vgg_reference import (  # noqa: E402
    ContentLoss, Normalization, StyleLoss, canonical_names, conv_index, vgg19_features, weighted_scores)

SEED = 20150826  # Gatys et al., arXiv 1508.06576
OUT = os.path.join("src", "test", "resources", "parity", "transfer")
CONV_INDICES = [conv_index(name) for name in ("conv1_1", "conv1_2", "conv2_1", "conv2_2")]  # 0, 2, 5, 7


def make_images():
    """Deterministic smooth-plus-texture 8-bit images (content 32 x 24, style 32 x 32)."""
    g = torch.Generator().manual_seed(SEED + 1)
    ys, xs = torch.meshgrid(torch.linspace(0, 1, 24), torch.linspace(0, 1, 32), indexing="ij")
    content = torch.stack([0.2 + 0.6 * xs, 0.3 + 0.5 * ys, 0.5 + 0.4 * torch.sin(6 * xs * ys)])
    content[:, 6:16, 8:18] = torch.tensor([0.9, 0.8, 0.2]).view(3, 1, 1)  # a yellow block: edges
    content = (content + 0.03 * torch.randn(content.shape, generator=g)).clamp(0, 1)
    ys, xs = torch.meshgrid(torch.linspace(0, 1, 32), torch.linspace(0, 1, 32), indexing="ij")
    stripes = torch.sin(24 * (xs + ys))
    style = torch.stack([0.5 + 0.45 * stripes, 0.5 - 0.3 * stripes, 0.3 + 0.2 * torch.cos(17 * xs)])
    style = (style + 0.1 * torch.randn(style.shape, generator=g)).clamp(0, 1)
    images = {}
    for name, image in (("content", content), ("style", style)):
        pixels = (image.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
        Image.fromarray(pixels, "RGB").save(os.path.join(OUT, name + ".png"))
        # what Java reads back: the 8-bit values / 255
        images[name] = torch.from_numpy(pixels).permute(2, 0, 1).unsqueeze(0).float() / 255
    return images


def make_features():
    """VGG-19 through pool2 (features[:10]) with torchvision's init after torch.manual_seed(SEED),
    biases made non-zero, in vgg_reference's network."""
    torch.manual_seed(SEED)
    init = torchvision.models.vgg19().features[:10]  # torchvision's init: Kaiming normal, zero bias
    with torch.no_grad():
        for i in CONV_INDICES:
            init[i].bias.uniform_(-0.05, 0.05)
    return vgg19_features(init.state_dict())[:10].eval()


def write_safetensors(path, tensors):
    """safetensors: 8-byte little-endian header length, JSON header, raw little-endian data."""
    header, blobs, offset = {"__metadata__": {"source": f"torchvision vgg19() init, seed {SEED}"}}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(encoded).to_bytes(8, "little"))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def get_model_and_losses(cnn, dtype, content_img, style_img, case):
    """The tutorial's get_style_model_and_losses with canonical layer names; taps after the named
    layer (conv before ReLU, as the tutorial); ReLU not in place; truncated after the last loss.
    Targets come from a copy without loss modules, since content and style differ in size here
    (the tutorial's images are both square)."""
    normalization = Normalization(dtype=dtype)
    model = nn.Sequential(normalization)
    plain = nn.Sequential(normalization)
    content_losses, style_losses = [], []
    for name, layer in canonical_names(cnn):
        if isinstance(layer, nn.ReLU):
            layer = nn.ReLU(inplace=False)
        elif isinstance(layer, nn.MaxPool2d) and case["pooling"] == "avg":
            layer = nn.AvgPool2d(kernel_size=2, stride=2)
        model.add_module(name, layer)
        plain.add_module(name, layer)
        if name in case["content_layers"]:
            target = plain(content_img).detach()
            loss = ContentLoss(target, case["content_loss"])
            model.add_module("content_loss_" + name, loss)
            content_losses.append(loss)
        if name in case["style_layers"]:
            target_feature = plain(style_img).detach()
            weights = case["style_layer_weights"] or [1.0] * len(case["style_layers"])
            loss = StyleLoss(target_feature, case["gram_norm"], weights[case["style_layers"].index(name)])
            model.add_module("style_loss_" + name, loss)
            style_losses.append(loss)
    for i in range(len(model) - 1, -1, -1):
        if isinstance(model[i], (ContentLoss, StyleLoss)):
            break
    return model[:i + 1], content_losses, style_losses


def total_variation(x):
    return ((x[:, :, :, 1:] - x[:, :, :, :-1]) ** 2).sum() + ((x[:, :, 1:, :] - x[:, :, :-1, :]) ** 2).sum()


def run_case(features, images, case, dtype):
    cnn = features.to(dtype)
    content = images["content"].to(dtype)
    style = images["style"].to(dtype)
    model, content_losses, style_losses = get_model_and_losses(cnn, dtype, content, style, case)
    model.eval()
    model.requires_grad_(False)
    input_img = content.clone()
    input_img.requires_grad_(True)
    steps = case["steps"]
    if case["optimizer"] == "lbfgs":
        optimizer = torch.optim.LBFGS([input_img], lr=case["lr"], max_iter=steps, max_eval=steps,
                                      line_search_fn="strong_wolfe" if case["line_search"] == "strong_wolfe" else None)
    else:
        optimizer = torch.optim.Adam([input_img], lr=case["lr"])
    history = {"total": [], "content": [], "style": []}

    def closure():
        if case["clamp"] == "closure":
            with torch.no_grad():
                input_img.clamp_(0, 1)
        optimizer.zero_grad()
        model(input_img)
        style_score, content_score = weighted_scores(
            style_losses, content_losses, case["style_weight"], case["content_weight"])
        loss = style_score + content_score
        if case["tv_weight"] != 0:
            loss = loss + case["tv_weight"] * total_variation(input_img)
        loss.backward()
        history["total"].append(loss.item())
        history["content"].append(float(content_score))
        history["style"].append(float(style_score))
        return loss

    if case["optimizer"] == "lbfgs":
        optimizer.step(closure)  # one call: max_iter = max_eval = steps
    else:
        for _ in range(steps):
            optimizer.step(closure)
    return history


CASES = [
    {   # the tutorial: conv_4 content, conv_1..conv_4 style, clamp inside the closure
        "name": "tutorial_clamp_closure", "steps": 20, "optimizer": "lbfgs", "line_search": "none", "lr": 1.0,
        "content_layers": ["conv2_2"], "style_layers": ["conv1_1", "conv1_2", "conv2_1", "conv2_2"],
        "style_layer_weights": [], "content_weight": 1.0, "style_weight": 1e6, "tv_weight": 0.0,
        "gram_norm": "chw", "content_loss": "mean", "pooling": "max", "clamp": "closure",
    },
    {   # stylesweep's default clamp (once, at the end) and its other options
        "name": "clamp_end_avg_hw_sum_tv", "steps": 20, "optimizer": "lbfgs", "line_search": "none", "lr": 1.0,
        "content_layers": ["relu2_1"], "style_layers": ["conv1_1", "relu1_2", "pool1", "conv2_2"],
        "style_layer_weights": [1.0, 0.5, 2.0, 0.25], "content_weight": 0.01, "style_weight": 1e4,
        "tv_weight": 0.05, "gram_norm": "hw", "content_loss": "sum", "pooling": "avg", "clamp": "end",
    },
    {
        "name": "strong_wolfe_gram_none", "steps": 15, "optimizer": "lbfgs", "line_search": "strong_wolfe",
        "lr": 1.0, "content_layers": ["conv2_1"], "style_layers": ["conv1_1", "conv2_1"],
        "style_layer_weights": [], "content_weight": 1.0, "style_weight": 1e-3, "tv_weight": 0.0,
        "gram_norm": "none", "content_loss": "mean", "pooling": "max", "clamp": "end",
    },
    {
        "name": "adam", "steps": 20, "optimizer": "adam", "line_search": "none", "lr": 0.02,
        "content_layers": ["conv2_2"], "style_layers": ["conv1_1", "conv1_2", "conv2_1", "conv2_2"],
        "style_layer_weights": [], "content_weight": 1.0, "style_weight": 1e6, "tv_weight": 0.0,
        "gram_norm": "chw", "content_loss": "mean", "pooling": "max", "clamp": "end",
    },
]


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)  # reduction order as deterministic as torch allows
    images = make_images()
    features = make_features()
    weights = {}
    for i in CONV_INDICES:
        weights[f"features.{i}.weight"] = features[i].weight
        weights[f"features.{i}.bias"] = features[i].bias
    write_safetensors(os.path.join(OUT, "vgg19_block12.safetensors"), weights)
    cases = []
    for case in CASES:
        record = dict(case)
        for dtype, key in ((torch.float32, "float32"), (torch.float64, "float64")):
            record[key] = run_case(make_features(), images, case, dtype)
        f32, f64 = record["float32"]["total"], record["float64"]["total"]
        drift = max(abs(a - b) / abs(b) for a, b in zip(f32, f64)) if len(f32) == len(f64) else float("nan")
        print(f"{case['name']}: {len(f32)} evaluations, loss {f32[0]:.6g} -> {f32[-1]:.6g};"
              f" float32 vs float64 max relative difference {drift:.2e}")
        cases.append(record)
    with open(os.path.join(OUT, "transfer.json"), "w") as f:
        json.dump({"torch": torch.__version__, "torchvision": torchvision.__version__, "seed": SEED,
                   "weights": "vgg19_block12.safetensors", "content": "content.png", "style": "style.png",
                   "normalization": "imagenet", "image_size": 32, "style_scale": 1.0, "init": "content",
                   "cases": cases}, f, indent=1)
    print(f"wrote {OUT} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
