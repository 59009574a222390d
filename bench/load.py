"""PyTorch's half of bench/load.ts (run with /usr/bin/python3, which has torch 1.13).

Writes the book's generator with seeded random weights (11.4 M float32 parameters, 48 keys,
45 MB) into OUT_DIR in both formats, then prints one JSON line: per file, PyTorch's torch.load
time (median of RUNS, after one warm-up), and the statistics `stripes inspect --json` must match.

    /usr/bin/python3 bench/load.py OUT_DIR RUNS
"""
import json
import pathlib
import statistics
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
from fixtures.models import ResNetGenerator  # noqa: E402  (the book's generator)


def main(out, runs):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(2019)
    sd = ResNetGenerator().state_dict()
    files = {"netG-load.zip.pth": True, "netG-load.legacy.pth": False}
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "files": {}}
    for name, zip_format in files.items():
        path = out / name
        torch.save(sd, path, _use_new_zipfile_serialization=zip_format)
        times = []
        for i in range(runs + 1):
            start = time.perf_counter()
            loaded = torch.load(path)
            if i:
                times.append(time.perf_counter() - start)
        result["files"][name] = {
            "bytes": path.stat().st_size,
            "seconds": statistics.median(times),
            "keys": len(loaded),
            "params": sum(t.numel() for t in loaded.values()),
            "tensors": {k: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "sum": t.double().sum().item()} for k, t in loaded.items()},
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
