"""PyTorch's half of bench/threads.ts: the book's generator forward and lesson 03's training step
at a given thread count, wall-clock and process CPU time, one JSON line.

    python3 bench/threads.py THREADS RUNS STEPS SIZE      # SIZE = NxCxHxW, e.g. 1x3x256x314
"""
import json
import pathlib
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from fixtures.models import ResNetGenerator, NLayerDiscriminator  # noqa: E402


def timed(f, runs):
    f()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"seconds": statistics.median(wall), "cpu_seconds": statistics.median(cpu)}


def main(threads, runs, steps, size):
    torch.set_num_threads(threads)
    torch.manual_seed(2019)
    net = ResNetGenerator().eval()
    x = torch.rand(*[int(v) for v in size.split("x")]) * 2 - 1

    def forward():
        with torch.no_grad():
            net(x)

    GA, GB = ResNetGenerator(3, 3, 8, 3), ResNetGenerator(3, 3, 8, 3)
    DA, DB = NLayerDiscriminator(3, 8, 2), NLayerDiscriminator(3, 8, 2)
    optG = torch.optim.Adam(list(GA.parameters()) + list(GB.parameters()), lr=2e-4, betas=(0.5, 0.999))
    optD = torch.optim.Adam(list(DA.parameters()) + list(DB.parameters()), lr=2e-4, betas=(0.5, 0.999))
    mse, l1 = nn.MSELoss(), nn.L1Loss()
    a, b = torch.rand(1, 3, 32, 32) * 2 - 1, torch.rand(1, 3, 32, 32) * 2 - 1

    def step():
        optG.zero_grad()
        fb, fa = GA(a), GB(b)
        pb, pa = DB(fb), DA(fa)
        loss = mse(pb, torch.ones_like(pb)) + mse(pa, torch.ones_like(pa)) + 10 * (l1(GB(fb), a) + l1(GA(fa), b)) + 5 * (l1(GA(b), b) + l1(GB(a), a))
        loss.backward()
        optG.step()
        optD.zero_grad()
        ra, rb, qa, qb = DA(a), DB(b), DA(fa.detach()), DB(fb.detach())
        d = 0.5 * (mse(ra, torch.ones_like(ra)) + mse(qa, torch.zeros_like(qa))) + 0.5 * (mse(rb, torch.ones_like(rb)) + mse(qb, torch.zeros_like(qb)))
        d.backward()
        optD.step()

    def steps_():
        for _ in range(steps):
            step()

    s = timed(steps_, 1) if steps > 0 else None  # STEPS=0: the forward only
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "forward": timed(forward, runs),
                      "step": s and {"seconds": s["seconds"] / steps, "cpu_seconds": s["cpu_seconds"] / steps}}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
