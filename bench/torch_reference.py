#!/usr/bin/python3
"""The PyTorch neural-style tutorial's run, timed: the reference (c) of `stylesweep bench`.

This is the code of https://pytorch.org/tutorials/advanced/neural_style_tutorial.html (Normalization,
gram_matrix, ContentLoss, StyleLoss, get_style_model_and_losses, run_style_transfer with
torch.optim.LBFGS and its closure), unchanged except that:

  * VGG-19, the layer names and the tutorial's modules (Normalization, gram_matrix, ContentLoss,
    StyleLoss) come from tools/vgg_reference.py, shared with the parity fixtures; their defaults
    are the tutorial's code, and Normalization makes its statistics on the images' device;

  * the inputs come from an .npz that the benchmark writes: VGG-19 `features.<i>.weight|bias`
    (the same weights the Java run uses, e.g. random:0), and the already resized `content` and
    `style` images as (1, 3, H, W) float32 in [0, 1], so both sides see identical tensors;
  * layers are given by stylesweep's names (conv4_2, conv1_1, ...) and mapped to the tutorial's
    (conv_10, conv_1, ...);
  * the closure clamps the image only when --clamp closure (the tutorial's own behaviour);
    stylesweep's default, clamp once at the end, is --clamp end;
  * it stops after exactly --steps loss evaluations (the tutorial's `while run[0] <= num_steps`
    loop may overshoot by up to 20) and prints timings as one JSON line;
  * --floor-passes also times the floor on the torch side: forward and backward of vgg19.features
    cut at the deepest conv, with nothing else, to tell the engine's speed from the code's.

Usage (Debian's python3-torch; the plain `python3` of a virtualenv may lack torch):
  /usr/bin/python3 bench/torch_reference.py --inputs in.npz --steps 20 --threads 2 [--warmup 3]
Prints one JSON line: {"ms_per_eval": ..., "cpu_ms_per_eval": ..., "evaluations": ..., "setup_ms": ...,
"final_loss": ..., "torch": ..., "blas": ..., ["floor_ms": ..., "floor_cpu_ms": ...]}. Per-evaluation times run from
the end of the first evaluation to the end of the last, wall (perf_counter) and CPU of the whole process
(process_time, all threads), as the Java side measures its own.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

# tools/ of the same checkout: the shared VGG-19 and the tutorial's modules.
TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools")
sys.path.insert(0, TOOLS)
try:
    from vgg_reference import (
        ContentLoss, IMAGENET_MEAN, IMAGENET_STD, Normalization, StyleLoss, tutorial_name, vgg19_features,
        weighted_scores)
except ModuleNotFoundError as missing:
    if missing.name != "vgg_reference":
        raise
    sys.exit(f"error: {os.path.join(TOOLS, 'vgg_reference.py')} is missing; this script imports it from the"
             " tools/ folder next to its own bench/ folder, so run it from a stylesweep checkout")


# ---- the tutorial's code (comments trimmed) ----

def get_style_model_and_losses(cnn, normalization_mean, normalization_std, style_img, content_img,
                               content_layers, style_layers):
    normalization = Normalization(normalization_mean, normalization_std, device=style_img.device).to(style_img.device)
    content_losses = []
    style_losses = []
    model = nn.Sequential(normalization)
    i = 0
    for layer in cnn.children():
        if isinstance(layer, nn.Conv2d):
            i += 1
            name = 'conv_{}'.format(i)
        elif isinstance(layer, nn.ReLU):
            name = 'relu_{}'.format(i)
            layer = nn.ReLU(inplace=False)
        elif isinstance(layer, nn.MaxPool2d):
            name = 'pool_{}'.format(i)
        elif isinstance(layer, nn.BatchNorm2d):
            name = 'bn_{}'.format(i)
        else:
            raise RuntimeError('Unrecognized layer: {}'.format(layer.__class__.__name__))
        model.add_module(name, layer)
        if name in content_layers:
            target = model(content_img).detach()
            content_loss = ContentLoss(target)
            model.add_module("content_loss_{}".format(i), content_loss)
            content_losses.append(content_loss)
        if name in style_layers:
            target_feature = model(style_img).detach()
            style_loss = StyleLoss(target_feature)
            model.add_module("style_loss_{}".format(i), style_loss)
            style_losses.append(style_loss)
    for i in range(len(model) - 1, -1, -1):
        if isinstance(model[i], ContentLoss) or isinstance(model[i], StyleLoss):
            break
    model = model[:(i + 1)]
    return model, style_losses, content_losses


def run_style_transfer(cnn, normalization_mean, normalization_std, content_img, style_img, input_img,
                       num_steps, style_weight, content_weight, content_layers, style_layers, clamp_in_closure):
    start = time.perf_counter()
    model, style_losses, content_losses = get_style_model_and_losses(
        cnn, normalization_mean, normalization_std, style_img, content_img, content_layers, style_layers)
    input_img.requires_grad_(True)
    model.eval()
    model.requires_grad_(False)
    optimizer = torch.optim.LBFGS([input_img])
    setup = time.perf_counter() - start

    run = [0]
    last = [float("nan")]
    marks = []  # (wall, cpu) at the end of every evaluation, as the Java side's listener takes them
    start = time.perf_counter()
    while run[0] < num_steps:
        def closure():
            if clamp_in_closure:
                with torch.no_grad():
                    input_img.clamp_(0, 1)
            optimizer.zero_grad()
            model(input_img)
            style_score, content_score = weighted_scores(style_losses, content_losses, style_weight, content_weight)
            loss = style_score + content_score
            loss.backward()
            run[0] += 1
            value = style_score + content_score
            if input_img.is_cuda:
                torch.cuda.synchronize()
            marks.append((time.perf_counter(), time.process_time()))
            return value
        # The tutorial steps with max_iter 20 per call; the last call is cut to end at num_steps.
        optimizer.param_groups[0]["max_iter"] = min(20, num_steps - run[0])
        optimizer.param_groups[0]["max_eval"] = min(25, num_steps - run[0])
        last[0] = float(optimizer.step(closure))
    with torch.no_grad():
        input_img.clamp_(0, 1)
    return run[0], setup, marks, last[0]


def floor_passes(cnn, image, deepest_conv, passes):
    """The floor: forward through vgg19.features up to the deepest conv a run needs, backward to the input."""
    convs = [i for i, m in enumerate(cnn) if isinstance(m, nn.Conv2d)]
    truncated = cnn[:convs[deepest_conv - 1] + 1]
    marks = []
    for _ in range(passes + 1):
        leaf = image.clone().requires_grad_(True)
        out = truncated(leaf)
        out.backward(torch.ones_like(out))
        float(leaf.grad.view(-1)[0])  # waits for a GPU
        marks.append((time.perf_counter(), time.process_time()))
    return marks


def loaded_blas():
    """The BLAS library this process loaded (torch.mm, and so the tutorial's Gram matrices, run on
    it): Debian's python3-torch links libblas.so.3, which the alternatives system points at the
    reference netlib BLAS or at OpenBLAS, a ~30x difference for a Gram product. "unknown" where
    /proc/self/maps cannot tell."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "/libblas" in line or "/libopenblas" in line
                            or "/libmkl" in line})
    except OSError:
        return "unknown"
    libblas = [p for p in paths if "/libblas" in p]
    return os.path.realpath(libblas[0]) if libblas else (paths[0] if paths else "unknown")


def per_eval(marks):
    """(wall ms, cpu ms) per evaluation between the first and the last mark."""
    n = len(marks) - 1
    return ((marks[-1][0] - marks[0][0]) * 1000.0 / n, (marks[-1][1] - marks[0][1]) * 1000.0 / n)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", required=True, help="npz with features.<i>.weight|bias, content, style")
    parser.add_argument("--steps", type=int, default=20, help="loss evaluations to time (at least 2)")
    parser.add_argument("--floor-passes", type=int, default=0,
                        help="also time this many raw forward+backward passes of the truncated VGG (0: none)")
    parser.add_argument("--warmup", type=int, default=3, help="evaluations of an untimed run first (0: none)")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    parser.add_argument("--content-layers", default="conv4_2")
    parser.add_argument("--style-layers", default="conv1_1,conv2_1,conv3_1,conv4_1,conv5_1")
    parser.add_argument("--content-weight", type=float, default=1.0)
    parser.add_argument("--style-weight", type=float, default=1e6)
    parser.add_argument("--clamp", choices=["end", "closure"], default="end")
    args = parser.parse_args()
    if args.steps < 2:
        sys.exit(f"error: --steps must be at least 2 (timing runs from the first evaluation to the last), got {args.steps}")
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)

    data = np.load(args.inputs)
    for key in ("content", "style"):
        if key not in data.files:
            sys.exit(f"error: {args.inputs} lacks '{key}' (a (1, 3, H, W) float32 image); keys: {data.files}")
    cnn = vgg19_features({k: data[k] for k in data.files if k.startswith("features.")}).to(device).eval()
    content_img = torch.from_numpy(np.ascontiguousarray(data["content"])).to(device)
    style_img = torch.from_numpy(np.ascontiguousarray(data["style"])).to(device)
    content_layers = [tutorial_name(n) for n in args.content_layers.split(",") if n]
    style_layers = [tutorial_name(n) for n in args.style_layers.split(",") if n]
    mean = IMAGENET_MEAN
    std = IMAGENET_STD

    def one(steps):
        return run_style_transfer(cnn, mean, std, content_img, style_img, content_img.clone(), steps,
                                  args.style_weight, args.content_weight, content_layers, style_layers,
                                  args.clamp == "closure")

    if args.warmup > 0:
        one(args.warmup)
    evaluations, setup, marks, loss = one(args.steps)
    wall, cpu = per_eval(marks)
    result = {
        "ms_per_eval": wall,
        "cpu_ms_per_eval": cpu,
        "evaluations": evaluations,
        "setup_ms": setup * 1000.0,
        "final_loss": loss,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas": loaded_blas(),
        "device": str(device),
        "size": list(content_img.shape[2:]),
    }
    if args.floor_passes > 0:
        deepest = max(int(name.split("_")[1]) for name in content_layers + style_layers if name.startswith("conv_"))
        floor_passes(cnn, content_img, deepest, 1)
        result["floor_ms"], result["floor_cpu_ms"] = per_eval(floor_passes(cnn, content_img, deepest, args.floor_passes))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
