#!/usr/bin/python3
"""Writes the test fixtures under test/fixtures/ with real PyTorch.

Run with Debian's PyTorch (apt-get install -y python3-torch python3-torchvision):

    /usr/bin/python3 scripts/make-fixtures.py            # every area
    /usr/bin/python3 scripts/make-fixtures.py torch nn   # some areas

Each area is a module in scripts/fixtures/ with a `make(out_dir)` function that writes into
test/fixtures/<area>/ and returns nothing; `check(out_dir)`, where present, runs after the
TypeScript side has written files for PyTorch to read back (see the area's module).
The fixtures are committed, so tests never need PyTorch.
"""
import importlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def main(argv):
    import torch

    torch.manual_seed(0)
    areas = argv or sorted(p.stem for p in (ROOT / "scripts" / "fixtures").glob("*.py") if p.stem != "__init__")
    for area in areas:
        module = importlib.import_module(f"fixtures.{area}")
        out = ROOT / "test" / "fixtures" / area
        out.mkdir(parents=True, exist_ok=True)
        print(f"[{area}] writing {out.relative_to(ROOT)}", flush=True)
        module.make(out)


if __name__ == "__main__":
    main(sys.argv[1:])
