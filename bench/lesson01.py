#!/usr/bin/python3
"""PyTorch's half of bench/lesson01.ts: a full-size book generator with random weights, saved in the
legacy format like horse2zebra_0.4.0.pth, and PyTorch's zebra for a photo through the article's cells.

    /usr/bin/python3 bench/lesson01.py OUT_DIR PHOTO

Writes OUT_DIR/netG-random-legacy.pth (once), OUT_DIR/zebra-pytorch.png and the module tree
OUT_DIR/netG-eval.txt (in the article's PyTorch 0.4 style); prints the seconds the
article's cells took (from Image.open to ToPILImage) as `pytorch_seconds=…`.
"""
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import torch  # noqa: E402
from PIL import Image  # noqa: E402
from torchvision import transforms  # noqa: E402

from fixtures.models import ResNetGenerator  # noqa: E402
from fixtures.nn import repr04  # noqa: E402


def main(out, photo):
    out.mkdir(parents=True, exist_ok=True)
    weights = out / "netG-random-legacy.pth"
    if not weights.exists():
        torch.manual_seed(0)
        torch.save(ResNetGenerator().state_dict(), weights, _use_new_zipfile_serialization=False)
    began = time.perf_counter()
    netG = ResNetGenerator()
    netG.load_state_dict(torch.load(weights))
    netG.eval()
    preprocess = transforms.Compose([transforms.Resize(256), transforms.ToTensor()])
    img = Image.open(photo)
    batch_t = torch.unsqueeze(preprocess(img), 0)
    with torch.no_grad():
        batch_out = netG(batch_t)
    out_img = transforms.ToPILImage()((batch_out.data.squeeze() + 1.0) / 2.0)
    seconds = time.perf_counter() - began
    out_img.save(out / "zebra-pytorch.png")
    (out / "netG-eval.txt").write_text(repr04(repr(netG)) + "\n")
    print(f"pytorch_seconds={seconds:.3f} threads={torch.get_num_threads()} size={out_img.size[0]}x{out_img.size[1]}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]), sys.argv[2])
