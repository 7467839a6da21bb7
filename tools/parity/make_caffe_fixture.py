#!/usr/bin/python3
"""Makes the fixture for `model.normalization: caffe`: what PyTorch computes, for Java to match.

neural-style-pt feeds its Caffe VGG-19 an image that is RGB->BGR, scaled to 0-255, with the BGR
mean [103.939, 116.779, 123.68] subtracted (std 1). This script applies exactly that to a tiny
random image and runs it through VGG-19's first two convolutions with random (seeded) weights, then
writes, next to this repository's test resources:

  fixtures/caffe_vgg_conv1_2.safetensors   the weights (features.0 and features.2; written by
                                           tools/export_vgg19.py's safetensors writer)
  fixtures/caffe_normalization.safetensors image (1,3,8,8) in [0,1], caffe_input (the normalized
                                           image), imagenet_input, conv1_1 and relu1_2 of the
                                           caffe input

Run with Debian's PyTorch: /usr/bin/python3 tools/parity/make_caffe_fixture.py
CI only reads the committed files.
"""
import os
import sys

import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from export_vgg19 import features_only, write_safetensors  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "fixtures")
CAFFE_MEAN_BGR = torch.tensor([103.939, 116.779, 123.68]).view(1, 3, 1, 1)
IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def main():
    torch.manual_seed(20151)
    features = torchvision.models.vgg19().features.eval()  # torchvision's init: Kaiming normal, zero bias
    with torch.no_grad():
        # Non-zero biases so a wrong bias load shows too.
        features[0].bias.uniform_(-0.5, 0.5)
        features[2].bias.uniform_(-0.5, 0.5)
    image = torch.rand(1, 3, 8, 8)
    caffe_input = image[:, [2, 1, 0]] * 255.0 - CAFFE_MEAN_BGR  # neural-style-pt's preprocess
    imagenet_input = (image - IMAGENET_MEAN) / IMAGENET_STD
    with torch.no_grad():
        conv1_1 = features[0](caffe_input)
        relu1_2 = features[:4](caffe_input)

    os.makedirs(OUT, exist_ok=True)
    weights = features_only({"features." + k: v for k, v in features.state_dict().items()}, "conv1_2")
    write_safetensors(os.path.join(OUT, "caffe_vgg_conv1_2.safetensors"), weights,
                      {"source": "torchvision vgg19() init, torch.manual_seed(20151)", "up_to": "conv1_2"})
    tensors = {name: t.contiguous().numpy().astype("<f4") for name, t in [
        ("image", image), ("caffe_input", caffe_input), ("imagenet_input", imagenet_input),
        ("conv1_1", conv1_1), ("relu1_2", relu1_2)]}
    write_safetensors(os.path.join(OUT, "caffe_normalization.safetensors"), tensors,
                      {"torch": torch.__version__, "script": "tools/parity/make_caffe_fixture.py"})
    print(f"wrote fixtures to {os.path.normpath(OUT)} (torch {torch.__version__});"
          f" relu1_2 sum {relu1_2.sum().item():.6f}")


if __name__ == "__main__":
    main()
