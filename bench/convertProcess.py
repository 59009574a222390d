"""The chapter's convert cells over a folder, as a whole process, for bench/convertProcess.ts.

    python3 bench/convertProcess.py WEIGHTS IN_DIR OUT_DIR

Works without torchvision (the pyenv PyTorch 2.x has none that loads): Resize(256) on a PIL
image is PIL's bilinear resize of the shorter side to 256 (the longer one truncated, as
torchvision computes it), ToTensor and ToPILImage are the same arithmetic on arrays.
"""
import pathlib
import sys
import types

import numpy as np
import torch
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
try:
    import torchvision  # noqa: F401
except Exception:  # the generator class below never touches it
    sys.modules["torchvision"] = types.SimpleNamespace(transforms=None)
from fixtures.convert import ResNetGenerator  # noqa: E402


def resize(img, size=256):
    w, h = img.size
    if w <= h:
        return img.resize((size, int(size * h / w)), Image.BILINEAR)
    return img.resize((int(size * w / h), size), Image.BILINEAR)


def main(weights, in_dir, out_dir):
    netG = ResNetGenerator()
    netG.load_state_dict(torch.load(weights))
    netG.eval()
    pathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)
    for path in sorted(pathlib.Path(in_dir).glob("*.jpg")):
        img = resize(Image.open(path).convert("RGB"))
        batch = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1).contiguous().unsqueeze(0)  # as ToTensor: a strided input is ~4× slower
        with torch.no_grad():
            batch_out = netG(batch)
        out_t = (batch_out.squeeze(0) + 1.0) / 2.0
        arr = out_t.mul(255).byte().permute(1, 2, 0).numpy()
        Image.fromarray(arr).save(pathlib.Path(out_dir) / (path.stem + ".png"))


if __name__ == "__main__":
    main(*sys.argv[1:4])
