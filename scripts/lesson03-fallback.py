"""Lesson 03's pretrained fallback: the lesson's tiny CycleGAN, trained much longer, in PyTorch.

    nice -n 10 /usr/bin/python3 scripts/lesson03-fallback.py [--steps N] [--out data/lesson03]

Same model as notebooks/03-tiny-cyclegan.ipynb: the book's ResNetGenerator(3, 3, NGF, N_BLOCKS,
norm_layer=nn.BatchNorm2d, input_skip=True) and CycleGAN's NLayerDiscriminator(3, NDF, N_LAYERS) (scripts/fixtures/models.py, whose
state-dict keys are stripes' own), the same images (written by scripts/lesson03-data.ts from the
lesson's own plainShapes / stripedShapes), the same losses, weights, optimiser, learning-rate
schedule, image pool and batch; only longer. It differs from a live run in its random numbers
(PyTorch's initial weights and pool draws instead of tfjs's) and in the number of steps.

Seeded (torch.manual_seed, numpy RandomState) and single-threaded, so a rerun on the same
PyTorch gives the same checkpoints. Writes OUT/G_AB.pth and OUT/G_BA.pth (torch.save of each
state dict, about 280 kB each) and OUT/provenance.json (recipe, steps, CPU and wall time, PyTorch
version, the measures' inputs). data/README.md records the run that made the committed files.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from fixtures.models import NLayerDiscriminator, ResNetGenerator  # noqa: E402

# The lesson's recipe (notebooks/src/03-tiny-cyclegan.md, first cell): keep the two in step.
RECIPE = dict(SIZE=32, NGF=8, N_BLOCKS=3, INPUT_SKIP=True, NORM="batch", NDF=8, N_LAYERS=2, LR=1e-3, BETA1=0.5,
              LAMBDA=10, LAMBDA_ID=1.0, POOL_SIZE=50, N_TRAIN=512, BATCH=4)


def lesson_images(size, n_train, n_test=8):
    """The lesson's four image sets, made by its own TypeScript code."""
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "shapes.f32"
        subprocess.run(["npx", "ts-node", "-T", "scripts/lesson03-data.ts", str(out), str(size), str(n_train), str(n_test)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        data = np.fromfile(out, dtype="<f4")
    counts = [n_train, n_train, n_test, n_test]
    parts, at = [], 0
    for n in counts:
        k = n * 3 * size * size
        parts.append(torch.from_numpy(data[at:at + k].reshape(n, 3, size, size).copy()))
        at += k
    return parts


def init_weights(m):
    """CycleGAN's init (networks.py init_weights, 'normal', gain 0.02), as src/lessons/initWeights.ts."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)


class ImagePool:
    """CycleGAN's image pool (util/image_pool.py), as src/lessons/imagePool.ts."""

    def __init__(self, size, seed):
        self.size, self.images, self.random = size, [], np.random.RandomState(seed)

    def query(self, images):
        if self.size == 0:
            return images.detach()
        out = []
        for image in images.detach():
            if len(self.images) < self.size:
                self.images.append(image)
                out.append(image)
            elif self.random.rand() > 0.5:
                k = self.random.randint(self.size)
                out.append(self.images[k])
                self.images[k] = image
            else:
                out.append(image)
        return torch.stack(out)


def train(steps, seed=0, log=print):
    r = RECIPE
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    trainA, trainB, testA, testB = lesson_images(r["SIZE"], r["N_TRAIN"])
    norm = {"batch": nn.BatchNorm2d, "instance": nn.InstanceNorm2d}[r["NORM"]]
    G_AB, G_BA = (ResNetGenerator(3, 3, r["NGF"], r["N_BLOCKS"], norm_layer=norm, input_skip=r["INPUT_SKIP"]) for _ in range(2))
    D_A, D_B = NLayerDiscriminator(3, r["NDF"], r["N_LAYERS"]), NLayerDiscriminator(3, r["NDF"], r["N_LAYERS"])
    for net in (G_AB, G_BA, D_A, D_B):
        net.apply(init_weights)
    optG = torch.optim.Adam([*G_AB.parameters(), *G_BA.parameters()], r["LR"], betas=(r["BETA1"], 0.999))
    optD = torch.optim.Adam([*D_A.parameters(), *D_B.parameters()], r["LR"], betas=(r["BETA1"], 0.999))
    poolA, poolB = ImagePool(r["POOL_SIZE"], 1), ImagePool(r["POOL_SIZE"], 2)
    mse = lambda x, t: ((x - t) ** 2).mean()  # noqa: E731  LSGAN
    l1 = lambda x, y: (x - y).abs().mean()  # noqa: E731
    pick = np.random.RandomState(seed + 11)
    cpu0, wall0 = time.process_time(), time.time()
    for step in range(1, steps + 1):
        # linear decay to 0 over the second half, as CycleGAN's 'linear' policy
        lr = r["LR"] * min(1.0, 2.0 * (steps - step + 1) / steps)
        for opt in (optG, optD):
            for g in opt.param_groups:
                g["lr"] = lr
        realA = trainA[pick.randint(r["N_TRAIN"], size=r["BATCH"])]
        realB = trainB[pick.randint(r["N_TRAIN"], size=r["BATCH"])]
        fakeB, fakeA = G_AB(realA), G_BA(realB)
        adversarial = mse(D_B(fakeB), 1) + mse(D_A(fakeA), 1)
        cycle = r["LAMBDA"] * (l1(G_BA(fakeB), realA) + l1(G_AB(fakeA), realB))
        identity = r["LAMBDA"] * r["LAMBDA_ID"] * (l1(G_AB(realB), realB) + l1(G_BA(realA), realA))
        optG.zero_grad()
        (adversarial + cycle + identity).backward()
        optG.step()
        pooledA, pooledB = poolA.query(fakeA), poolB.query(fakeB)
        d = 0.5 * (mse(D_A(realA), 1) + mse(D_A(pooledA), 0)) + 0.5 * (mse(D_B(realB), 1) + mse(D_B(pooledB), 0))
        optD.zero_grad()
        d.backward()
        optD.step()
        if step % 1000 == 0:
            log(f"step {step}: cycle {cycle.item():.3f}, identity {identity.item():.3f}, adversarial {adversarial.item():.3f}, D {d.item():.3f}, "
                f"{time.process_time() - cpu0:.0f} s CPU")
    G_AB.eval()  # BatchNorm's running statistics, as the lesson uses them
    G_BA.eval()
    return G_AB, G_BA, time.process_time() - cpu0, time.time() - wall0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=10000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(ROOT / "data" / "lesson03"))
    a = p.parse_args()
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    G_AB, G_BA, cpu, wall = train(a.steps, a.seed)
    for name, net in (("G_AB", G_AB), ("G_BA", G_BA)):
        tmp = out / f"{name}.pth.tmp"
        torch.save(net.state_dict(), tmp)
        tmp.replace(out / f"{name}.pth")
    provenance = dict(script="scripts/lesson03-fallback.py", steps=a.steps, seed=a.seed, recipe=RECIPE, cpu_seconds=round(cpu),
                      wall_seconds=round(wall), torch=torch.__version__, threads=1)
    (out / "provenance.json").write_text(json.dumps(provenance, indent=1) + "\n")
    print(f"wrote {out}/G_AB.pth and G_BA.pth after {a.steps} steps: {cpu:.0f} s CPU, {wall:.0f} s wall")


if __name__ == "__main__":
    main()
