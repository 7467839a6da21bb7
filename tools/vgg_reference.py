"""VGG-19 and the PyTorch neural-style tutorial's modules, written once for stylesweep's Python references.

Imported by
  * bench/torch_reference.py              the benchmark's reference (c): the tutorial's run, timed;
  * tools/parity/make_transfer_fixtures.py the parity fixtures TransferParityTest reproduces.
Both put this folder (tools/) on sys.path, found from their own location, so they run from any
working directory. Needs torch and numpy (Debian's python3-torch: run with /usr/bin/python3).

What is here:
  * VGG-19's `features` (torchvision's layout: 3x3 convolutions with padding 1, ReLU, 2x2 max pooling),
    built by hand so that torchvision is not needed, with weights under torchvision's key names
    `features.<i>.weight|bias`;
  * stylesweep's layer names (conv1_1 .. conv5_4, relu1_1 .., pool1 ..) and the tutorial's (conv_1 ..);
  * the tutorial's modules (https://pytorch.org/tutorials/advanced/neural_style_tutorial.html):
    Normalization, gram_matrix, ContentLoss, StyleLoss. The options stylesweep adds (Gram
    normalization, summed content loss, per-layer style weights, float64) are parameters whose
    defaults are the tutorial's behaviour, so the tutorial's calls run its code unchanged.
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# (convolutions, output channels) of each of VGG-19's five blocks.
BLOCKS = [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)]

# stylesweep's canonical conv names in VGG-19 order: conv1_1, conv1_2, conv2_1, ... conv5_4.
CONV_NAMES = [f"conv{block}_{i}" for block, (count, _) in enumerate(BLOCKS, start=1) for i in range(1, count + 1)]

# ImageNet statistics the tutorial (and `normalization: imagenet`) normalizes with.
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def vgg19_features(state=None):
    """torchvision's vgg19().features built by hand, with the convolutions `state` holds.

    `state` maps torchvision's keys to arrays or tensors: `features.<i>.weight|bias` as in a whole
    model's state dict (or `<i>.weight|bias` as in that of `features` alone). Convolutions it
    lacks keep PyTorch's default initialization; a shape that does not fit is an error.
    """
    layers, in_channels = [], 3
    for count, out_channels in BLOCKS:
        for _ in range(count):
            layers += [nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            in_channels = out_channels
        layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    features = nn.Sequential(*layers)
    own = {}
    for index, module in enumerate(features):
        if isinstance(module, nn.Conv2d):
            for part in ("weight", "bias"):
                for key in (f"features.{index}.{part}", f"{index}.{part}"):
                    if state is not None and key in state:
                        value = state[key]
                        if not isinstance(value, torch.Tensor):
                            value = torch.from_numpy(np.ascontiguousarray(value))
                        own[f"{index}.{part}"] = value
                        break
    features.load_state_dict(own, strict=False)
    return features


def conv_index(name):
    """conv2_1 -> 5: the index of a conv in vgg19().features (its weights are features.5.*)."""
    if name not in CONV_NAMES:
        raise ValueError(f"'{name}' is not a VGG-19 conv name (conv1_1..conv5_4)")
    position = CONV_NAMES.index(name)
    block = int(name[len("conv")]) - 1
    return 2 * position + block  # a conv and a ReLU per conv, a pool after each earlier block


def canonical_names(features):
    """(name, module) for each layer of vgg19().features (or a prefix of it), in order, under
    stylesweep's names: conv<block>_<i>, relu<block>_<i> (the ReLU after that conv), pool<block>."""
    block, index = 1, 0
    for layer in features.children():
        if isinstance(layer, nn.Conv2d):
            index += 1
            yield f"conv{block}_{index}", layer
        elif isinstance(layer, nn.ReLU):
            yield f"relu{block}_{index}", layer
        elif isinstance(layer, nn.MaxPool2d):
            yield f"pool{block}", layer
            block, index = block + 1, 0
        else:
            raise RuntimeError(f"not a layer of VGG-19's features: {layer.__class__.__name__}")


def tutorial_name(layer):
    """conv4_2 -> conv_10, the tutorial's name (which is accepted unchanged)."""
    if layer in CONV_NAMES:
        return f"conv_{CONV_NAMES.index(layer) + 1}"
    if layer.startswith(("conv_", "relu_", "pool_")):
        return layer
    sys.exit(f"error: layer '{layer}' is neither a VGG-19 conv name (conv1_1..conv5_4) nor a tutorial name (conv_N)")


# ---- the tutorial's modules (comments trimmed), with stylesweep's options as parameters ----

class Normalization(nn.Module):
    """(img - mean) / std per channel; the statistics are made in `dtype` on `device` (default:
    float32 on the CPU, as the tutorial's)."""

    def __init__(self, mean=IMAGENET_MEAN, std=IMAGENET_STD, dtype=None, device=None):
        super().__init__()
        self.mean = torch.tensor(mean, dtype=dtype, device=device).view(-1, 1, 1)
        self.std = torch.tensor(std, dtype=dtype, device=device).view(-1, 1, 1)

    def forward(self, img):
        return (img - self.mean) / self.std


def gram_matrix(input, norm="chw"):
    """F F^T of the (C, H*W) features, over C*H*W ("chw", the tutorial's), H*W ("hw") or 1 ("none")."""
    a, b, c, d = input.size()
    features = input.view(a * b, c * d)
    G = torch.mm(features, features.t())
    if norm == "chw":
        return G.div(a * b * c * d)
    if norm == "hw":
        return G.div(c * d)
    return G


class ContentLoss(nn.Module):
    """Passes its input through and keeps its loss: mean squared error ("mean", the tutorial's)
    or the sum of squares ("sum")."""

    def __init__(self, target, kind="mean"):
        super().__init__()
        self.target = target.detach()
        self.kind = kind

    def forward(self, input):
        if self.kind == "mean":
            self.loss = F.mse_loss(input, self.target)
        else:
            self.loss = ((input - self.target) ** 2).sum()
        return input


class StyleLoss(nn.Module):
    """Passes its input through and keeps its loss: the mean squared error of the Gram matrices,
    times a per-layer weight (1, the tutorial's, unless given)."""

    def __init__(self, target_feature, norm="chw", weight=1.0):
        super().__init__()
        self.norm = norm
        self.weight = weight
        self.target = gram_matrix(target_feature, norm).detach()

    def forward(self, input):
        self.loss = F.mse_loss(gram_matrix(input, self.norm), self.target)
        if self.weight != 1.0:
            self.loss = self.loss * self.weight
        return input


def weighted_scores(style_losses, content_losses, style_weight, content_weight):
    """The tutorial closure's sums after ``model(input_img)``: (style_weight * sum of the style
    losses, content_weight * sum of the content losses), in its order of operations."""
    style_score = 0
    content_score = 0
    for sl in style_losses:
        style_score += sl.loss
    for cl in content_losses:
        content_score += cl.loss
    style_score *= style_weight
    content_score *= content_weight
    return style_score, content_score
