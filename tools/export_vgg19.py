#!/usr/bin/python3
"""Write VGG-19 `features` weights in a file stylesweep reads (safetensors or npz).

stylesweep needs only the 16 convolutions of VGG-19's `features`, under torchvision's key names
`features.<i>.weight|bias`. This script writes them from:

  torchvision  torchvision's ImageNet VGG-19 (`vgg19(weights=IMAGENET1K_V1)`, the tutorial's
               network; use `normalization: imagenet`). torchvision downloads its .pth (548 MiB)
               into torch's hub cache on first use.
  caffe        a Caffe-converted VGG-19 .pth, such as `vgg19-d01eb7cb.pth` that neural-style-pt's
               `models/download_models.py` fetches (a state dict with torchvision's layout; many find
               it gives better style transfer). Use `normalization: caffe` with it.
  show         lists the keys and shapes of a .safetensors/.npz file and checks them against VGG-19.

Examples:
  /usr/bin/python3 tools/export_vgg19.py torchvision ~/.cache/stylesweep/vgg19-torchvision.safetensors
  /usr/bin/python3 tools/export_vgg19.py caffe models/vgg19-d01eb7cb.pth vgg19-caffe.safetensors
  /usr/bin/python3 tools/export_vgg19.py show vgg19-caffe.safetensors

The output (about 77 MiB) holds only `features`; point `model.weights` at it. Needs PyTorch (and
torchvision for the first form); Debian's python3-torch works. safetensors is written by a small
writer below (the format is a length, a JSON header and raw little-endian data), so the
`safetensors` package is not needed; `.npz` output needs only numpy. CI does not run this script.
"""
import argparse
import json
import struct
import sys

import numpy as np

# VGG-19 convolutions: (name, index in torchvision's `features`, out channels, in channels).
VGG19_CONVS = []
_index, _in = 0, 3
for _block, (_count, _out) in enumerate([(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)], start=1):
    for _i in range(1, _count + 1):
        VGG19_CONVS.append((f"conv{_block}_{_i}", _index, _out, _in))
        _index, _in = _index + 2, _out  # conv, relu
    _index += 1  # pool
CONV_NAMES = [c[0] for c in VGG19_CONVS]


def expected_shapes(up_to="conv5_4"):
    """Key -> shape for the convolutions up to and including `up_to`."""
    shapes = {}
    for name, index, out, inp in VGG19_CONVS[: CONV_NAMES.index(up_to) + 1]:
        shapes[f"features.{index}.weight"] = (out, inp, 3, 3)
        shapes[f"features.{index}.bias"] = (out,)
    return shapes


def features_only(state_dict, up_to):
    """The `features.<i>.weight|bias` tensors VGG-19 needs, as float32 numpy arrays; errors name the key."""
    wanted = expected_shapes(up_to)
    out = {}
    for key, shape in wanted.items():
        # Accept a bare `vgg19().features` state dict (`0.weight`) as well as a whole model's.
        tensor = state_dict.get(key, state_dict.get(key[len("features."):]))
        if tensor is None:
            sys.exit(f"error: the weights lack {key} (expected shape {shape}); keys found: "
                     f"{', '.join(list(state_dict)[:6])} ...")
        if tuple(tensor.shape) != shape:
            sys.exit(f"error: {key} has shape {tuple(tensor.shape)}, expected {shape}: not VGG-19?")
        out[key] = tensor.detach().cpu().float().contiguous().numpy().astype("<f4")
    return out


def write_safetensors(path, arrays, metadata):
    """Writes float32 arrays as safetensors: u64 header length, JSON header, then the data."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    offset = 0
    for key, array in arrays.items():
        header[key] = {"dtype": "F32", "shape": list(array.shape),
                       "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the reference implementation pads the header to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for array in arrays.values():
            f.write(array.tobytes(order="C"))


def read_shapes(path):
    """Key -> shape of a .safetensors or .npz file, from its headers."""
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"PK":
        with np.load(path) as npz:
            return {k: tuple(npz[k].shape) for k in npz.files}
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    header.pop("__metadata__", None)
    return {k: tuple(v["shape"]) for k, v in header.items()}


def check(path, up_to="conv5_4"):
    """Prints the problems of a weights file against VGG-19; returns True when there are none."""
    found = read_shapes(path)
    problems = []
    for key, shape in expected_shapes(up_to).items():
        have = found.get(key, found.get(key[len("features."):]))
        if have is None:
            problems.append(f"missing {key} (expected {shape})")
        elif have != shape:
            problems.append(f"{key} has shape {have}, expected {shape}")
    for p in problems:
        print(f"  problem: {p}", file=sys.stderr)
    return not problems


def save(arrays, out, fmt, metadata):
    fmt = fmt or ("npz" if out.endswith(".npz") else "safetensors")
    if fmt == "npz":
        np.savez(out, **arrays)
    else:
        write_safetensors(out, arrays, metadata)
    megabytes = sum(a.nbytes for a in arrays.values()) / 2**20
    print(f"wrote {len(arrays)} tensors ({megabytes:.1f} MiB) to {out}")
    if not check(out, metadata["up_to"]):
        sys.exit(f"error: {out} does not read back as VGG-19")


def load_state_dict(path):
    import torch
    loaded = torch.load(path, map_location="cpu")
    if hasattr(loaded, "state_dict"):  # a pickled nn.Module rather than a state dict
        loaded = loaded.state_dict()
    if not isinstance(loaded, dict):
        sys.exit(f"error: {path} holds a {type(loaded).__name__}, expected a state dict")
    return loaded


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="source", required=True)
    tv = sub.add_parser("torchvision", help="torchvision's ImageNet VGG-19 (IMAGENET1K_V1)")
    tv.add_argument("out", help="output .safetensors or .npz")
    caffe = sub.add_parser("caffe", help="a Caffe-converted VGG-19 .pth (neural-style-pt's vgg19-d01eb7cb.pth)")
    caffe.add_argument("pth", help="the .pth state dict")
    caffe.add_argument("out", help="output .safetensors or .npz")
    for p in (tv, caffe):
        p.add_argument("--format", choices=["safetensors", "npz"], help="default: from the output's extension")
        p.add_argument("--up-to", default="conv5_4", choices=CONV_NAMES,
                       help="deepest convolution to keep (default conv5_4: all of them)")
    show = sub.add_parser("show", help="list a weights file's keys and shapes and check them")
    show.add_argument("file")
    args = parser.parse_args()

    if args.source == "show":
        found = read_shapes(args.file)
        for key, shape in found.items():
            print(f"{key:28s} {shape}")
        # A file may hold only the first convolutions; check up to the deepest one it has.
        present = [name for name, index, _, _ in VGG19_CONVS
                   if f"features.{index}.weight" in found or f"{index}.weight" in found]
        if not present:
            sys.exit("error: no VGG-19 features.<i>.weight keys in " + args.file)
        ok = check(args.file, present[-1])
        print(f"VGG-19 convolutions conv1_1 .. {present[-1]} ({len(present)} of 16): "
              + ("ok" if ok else "PROBLEMS (see above)"))
        sys.exit(0 if ok else 1)
    if args.source == "torchvision":
        import torchvision
        model = torchvision.models.vgg19(weights=torchvision.models.VGG19_Weights.IMAGENET1K_V1)
        arrays = features_only(model.state_dict(), args.up_to)
        metadata = {"source": "torchvision vgg19 IMAGENET1K_V1", "normalization": "imagenet", "up_to": args.up_to}
    else:
        arrays = features_only(load_state_dict(args.pth), args.up_to)
        metadata = {"source": f"caffe {args.pth}", "normalization": "caffe", "up_to": args.up_to}
    save(arrays, args.out, args.format, metadata)


if __name__ == "__main__":
    main()
