"""PyTorch's half of bench/forward.ts (run with /usr/bin/python3, which has torch 1.13).

Writes into bench/out/: a full-size generator with seeded random weights (zip .pth), inputs at
the article's size and an odd one, PyTorch's outputs, and prints a JSON line with PyTorch's
forward times (median of `runs`, after one warm-up; wall clock and process CPU time) and its
thread count.

    /usr/bin/python3 bench/forward.py OUT_DIR RUNS SIZE [SIZE …]    # SIZE = NxCxHxW
"""
import json
import pathlib
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from fixtures.models import ResNetGenerator  # noqa: E402  (the book's generator, as the fixtures use it)


def main(out, runs, sizes):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(2019)
    net = ResNetGenerator().eval()
    torch.save(net.state_dict(), out / "netG-full.pth")
    result = {"threads": torch.get_num_threads(), "torch": torch.__version__, "sizes": {}}
    for size in sizes:
        shape = [int(v) for v in size.split("x")]
        x = torch.rand(*shape) * 2 - 1
        with torch.no_grad():
            y = net(x)  # warm-up, and the reference output
            times, cpu = [], []
            for _ in range(runs):
                t0, c0 = time.perf_counter(), time.process_time()
                net(x)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        x.numpy().astype("<f4").tofile(out / f"x-{size}.bin")
        y.numpy().astype("<f4").tofile(out / f"y-{size}.bin")
        result["sizes"][size] = {"seconds": statistics.median(times), "cpu_seconds": statistics.median(cpu), "out_shape": list(y.shape)}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
