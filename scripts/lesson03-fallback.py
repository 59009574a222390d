"""Lesson 03's pretrained fallback: the lesson's tiny CycleGAN, trained much longer, in PyTorch.

    nice -n 5 /usr/bin/python3 scripts/lesson03-fallback.py [--steps 2700] [--snapshot-every 300] [--seed 1] [--out data/lesson03] [--snapshots DIR]

The defaults made the committed pair (data/README.md gives the run).

Same model as notebooks/03-tiny-cyclegan.ipynb: the book's ResNetGenerator(3, 3, NGF, N_BLOCKS,
norm_layer=nn.BatchNorm2d, input_skip=True) and CycleGAN's NLayerDiscriminator(3, NDF, N_LAYERS) (scripts/fixtures/models.py, whose
state-dict keys are stripes' own), the same images (written by scripts/lesson03-data.ts from the
lesson's own plainShapes / stripedShapes), the same losses, weights, optimiser, learning-rate
schedule, image pool and batch; only longer. It differs from a live run in its random numbers
(PyTorch's initial weights and pool draws instead of tfjs's) and in the number of steps.

Snapshots: every --snapshot-every steps the pair is saved, and at the end each snapshot is scored
by the lesson's own measures and check (scripts/lesson03-measures.ts) on four sets of 16
validation pairs that the lesson never shows (seeds 8 to 11; the lesson reports on seed 7's). The
latest snapshot that passes the check on every set with each threshold's margin to spare (one
image in 16 on a share, 0.05 on a colour error or IoU, 1 dB on a PSNR: `margin` in
src/lessons/tinyCycleGan/translationMeasures.ts THRESHOLDS) is kept; else the one that misses fewest, the latest
of those. Four sets, not one, because a share on 16 pairs moves by a few images from one set of 16
to the next (measured: the step-2,700 pair of the first committed run, kept on seed 8 alone where
G_AB striped 14 of 16, striped 12 of 16 of the lesson's, exactly on the bound), and a margin because
the lesson's check on its own 16 should not pass by luck. Measured here, long runs drift towards
copying their input (seed 0: after 9,000 steps `G_BA` gave back its striped input unchanged; after
4,500, every snapshot past 1,350 missed the check; seed 1 at 4,500: `G_AB`'s stripes fading after
2,700), so the end of a run is not always its best point.

Seeded (torch.manual_seed, numpy RandomState) and single-threaded, so a rerun with the same
PyTorch and BLAS gives the same weights (measured: two starts here agreed exactly; the run of
2026-12-02, same code and images, gave other weights: another BLAS or build, as far as we can tell). Writes OUT/G_AB.pth and
OUT/G_BA.pth (torch.save of each state dict, 309 kB each) and OUT/provenance.json (recipe, steps,
CPU and wall time, PyTorch version, every snapshot's validation results); --snapshots DIR keeps
every snapshot's pair there. data/README.md records the run that made the committed files.
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
    """CycleGAN's init (networks.py init_weights, 'normal', gain 0.02), as src/lessons/tinyCycleGan/initWeights.ts."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)


class ImagePool:
    """CycleGAN's image pool (util/image_pool.py), as src/lessons/tinyCycleGan/imagePool.ts."""

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


def train(steps, seed=0, log=print, snapshot_every=0, snapshot=None):
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
        if snapshot_every and step % snapshot_every == 0:
            snapshot(step, G_AB, G_BA)
        if step % 1000 == 0:
            log(f"step {step}: cycle {cycle.item():.3f}, identity {identity.item():.3f}, adversarial {adversarial.item():.3f}, D {d.item():.3f}, "
                f"{time.process_time() - cpu0:.0f} s CPU")
    G_AB.eval()  # BatchNorm's running statistics, as the lesson uses them
    G_BA.eval()
    return G_AB, G_BA, time.process_time() - cpu0, time.time() - wall0


# Four sets of 16 validation pairs, none of them the lesson's (seed 7) or its training sets' (101, 303).
VALIDATION_SEEDS = (8, 9, 10, 11)


def score(ab_file, ba_file):
    """The lesson's measures and missed thresholds (plain and with margins) for one snapshot, per validation set."""
    seeds = ",".join(map(str, VALIDATION_SEEDS))
    out = subprocess.run(["npx", "ts-node", "-T", "scripts/lesson03-measures.ts", str(ab_file), str(ba_file), "--seed", seeds, "--json"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    sets = [json.loads(line) for line in out.strip().splitlines() if line.startswith("{")]
    assert [s["seed"] for s in sets] == list(VALIDATION_SEEDS), out
    return sets


def summary(step, sets):
    """One snapshot's line in provenance.json: means over the validation sets, and what any set missed."""
    mean = lambda get: sum(get(s["measures"]) for s in sets) / len(sets)  # noqa: E731
    union = lambda key: [w for w in dict.fromkeys(w for s in sets for w in s[key])]  # noqa: E731
    return dict(step=step, missed=union("missed"), short_of_margin=union("shortOfMargin"),
                striped=[mean(lambda m: m["ab"]["striped"]), mean(lambda m: m["ba"]["striped"])],
                colour_error=[round(mean(lambda m: m["ab"]["colourError"]), 3), round(mean(lambda m: m["ba"]["colourError"]), 3)],
                psnr=[round(mean(lambda m: m["cycleA"]), 1), round(mean(lambda m: m["cycleB"]), 1)],
                by_set=[dict(seed=s["seed"], striped=[s["measures"]["ab"]["striped"], s["measures"]["ba"]["striped"]],
                             short_of_margin=s["shortOfMargin"]) for s in sets])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=2700)
    p.add_argument("--snapshot-every", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=str(ROOT / "data" / "lesson03"))
    p.add_argument("--snapshots", help="keep every snapshot's pair in this folder (default: a temporary one)")
    a = p.parse_args()
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if a.snapshots:
            tmp = pathlib.Path(a.snapshots)
            tmp.mkdir(parents=True, exist_ok=True)
        snaps = []

        def snapshot(step, G_AB, G_BA):
            files = (pathlib.Path(tmp) / f"G_AB.{step}.pth", pathlib.Path(tmp) / f"G_BA.{step}.pth")
            torch.save(G_AB.state_dict(), files[0])
            torch.save(G_BA.state_dict(), files[1])
            snaps.append((step, files))

        G_AB, G_BA, cpu, wall = train(a.steps, a.seed, snapshot_every=a.snapshot_every, snapshot=snapshot)
        results = []
        for step, (ab, ba) in snaps:
            r = summary(step, score(ab, ba))
            results.append(r)
            print(f"snapshot {step}: striped {r['striped'][0]:.3f} / {r['striped'][1]:.3f}, missed {r['missed'] or 'none'}, "
                  f"short of the margin {r['short_of_margin'] or 'none'}", flush=True)
        # the latest with every margin on every set; else fewest misses, then fewest short of a margin, the latest of those
        best = min(results, key=lambda r: (len(r["short_of_margin"]) > 0, len(r["missed"]), len(r["short_of_margin"]), -r["step"]))
        chosen = dict(snaps)[best["step"]]
        for name, src in zip(("G_AB", "G_BA"), chosen):
            tmpfile = out / f"{name}.pth.tmp"
            tmpfile.write_bytes(src.read_bytes())
            tmpfile.replace(out / f"{name}.pth")
    provenance = dict(script="scripts/lesson03-fallback.py", steps=a.steps, seed=a.seed, recipe=RECIPE, cpu_seconds=round(cpu),
                      wall_seconds=round(wall), torch=torch.__version__, threads=1, validation_seeds=list(VALIDATION_SEEDS),
                      kept_step=best["step"], snapshots=results)
    (out / "provenance.json").write_text(json.dumps(provenance, indent=1) + "\n")
    print(f"trained {a.steps} steps ({cpu:.0f} s CPU, {wall:.0f} s wall); kept step {best['step']} "
          f"(missed: {best['missed'] or 'none'}; short of the margin: {best['short_of_margin'] or 'none'}) in {out}/G_AB.pth and G_BA.pth")


if __name__ == "__main__":
    main()
