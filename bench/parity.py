"""PyTorch's half of bench/parity.ts: where stripes' forward pass departs from PyTorch's.

A full-size generator (PyTorch's default init, then every bias ~N(0, 0.5²): "hard weights",
whose wide means once cost InstanceNorm2d its float32 precision), an image through Resize(256) +
ToTensor, and the output of every top-level layer in float32 with 1 and 2 threads and in float64
(the exact answer, to tell whose error it is).

    /usr/bin/python3 bench/parity.py OUT_DIR IMAGE      # e.g. bench/out/parity ~/horse.jpg
"""
import json
import pathlib
import sys

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from fixtures.models import ResNetGenerator  # noqa: E402


def layers(net, x):
    acts, y = [], x
    for m in net.model:
        y = m(y)
        acts.append(y.clone())  # ReLU(True) would overwrite the norm's output in place
    return acts


def main(out, image):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(12)
    net = ResNetGenerator().eval()
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.endswith("bias"):
                p.normal_(0, 0.5)
    torch.save(net.state_dict(), out / "netG-wide-bias.pth")
    x = transforms.Compose([transforms.Resize(256), transforms.ToTensor()])(Image.open(image).convert("RGB")).unsqueeze(0)
    x.numpy().astype("<f4").tofile(out / "input.bin")
    info = {"input": list(x.shape), "torch": torch.__version__, "shapes": []}
    with torch.no_grad():
        net64 = ResNetGenerator().eval()
        net64.load_state_dict(net.state_dict())
        for i, a in enumerate(layers(net64.double(), x.double())):
            a.numpy().astype("<f8").tofile(out / f"f64.{i}.bin")
            info["shapes"].append(list(a.shape))
        for threads in [1, 2]:
            torch.set_num_threads(threads)
            for i, a in enumerate(layers(net, x)):
                a.numpy().astype("<f4").tofile(out / f"t{threads}.{i}.bin")
    final = len(info["shapes"]) - 1
    f = lambda name: np.fromfile(out / name, "<f4" if not name.startswith("f64") else "<f8").astype(np.float64)
    info["torch_1_vs_2_threads"] = float(np.abs(f(f"t1.{final}.bin") - f(f"t2.{final}.bin")).max())
    info["torch_vs_float64"] = float(np.abs(f(f"t1.{final}.bin") - f(f"f64.{final}.bin")).max())
    (out / "info.json").write_text(json.dumps(info))
    print(json.dumps({k: v for k, v in info.items() if k != "shapes"}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
