"""PyTorch's half of bench/engine.ts and bench/convert.ts (run with /usr/bin/python3: torch 1.13).

    /usr/bin/python3 bench/engine.py setup OUT                 # weights, photos (seeded)
    /usr/bin/python3 bench/engine.py forward OUT THREADS RUNS H W [H W …]
    /usr/bin/python3 bench/engine.py convert OUT THREADS IN_DIR OUT_DIR [SIZE]   # the book's pipeline

`setup` writes OUT/netG-random.pth (the book's ResNetGenerator, 3→3, ngf 64, 9 blocks, seeded
random weights, zip format) and OUT/photos/*.jpg (seeded synthetic photos, sizes like the
article's horse). `forward` prints one JSON line: median seconds per forward pass at each size,
after a warm-up. THREADS 0 keeps PyTorch's default. `convert` is what a user would write after reading the chapter.
"""
import json
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def setup(out):
    import numpy as np
    import torch
    from PIL import Image
    from fixtures.convert import ResNetGenerator

    out = pathlib.Path(out)
    (out / "photos").mkdir(parents=True, exist_ok=True)
    torch.manual_seed(2019)
    torch.save(ResNetGenerator().eval().state_dict(), out / "netG-random.pth")
    rng = np.random.default_rng(2019)
    for i, (w, h) in enumerate([(1500, 1220), (1024, 768), (800, 1200), (1600, 1066), (640, 480)]):
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        base = np.stack([np.sin(x / 37 + i), np.cos(y / 23), np.sin((x + y) / 51)], -1) * 90 + 128
        pixels = np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)
        Image.fromarray(pixels, "RGB").save(out / "photos" / f"photo{i}.jpg", quality=90)


def forward(out, threads, runs, sizes):
    import torch
    from fixtures.convert import ResNetGenerator

    torch.set_num_threads(threads)
    net = ResNetGenerator()
    net.load_state_dict(torch.load(pathlib.Path(out) / "netG-random.pth"))
    net.eval()
    result = {"threads": torch.get_num_threads(), "seconds": {}, "cpu_seconds": {}}
    for h, w in sizes:
        x = torch.rand(1, 3, h, w)
        with torch.no_grad():
            net(x)
            times, cpu = [], []
            for _ in range(runs):
                t0, c0 = time.perf_counter(), time.process_time()
                net(x)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)  # all threads' CPU time: robust to a shared machine
        result["seconds"][f"{h}x{w}"] = statistics.median(times)
        result["cpu_seconds"][f"{h}x{w}"] = statistics.median(cpu)
    print(json.dumps(result))


def convert(out, threads, in_dir, out_dir, size=256):
    # The chapter's cells, over a folder.
    import torch
    from PIL import Image
    from torchvision import transforms
    from fixtures.convert import ResNetGenerator

    t0 = time.perf_counter()
    if threads > 0:
        torch.set_num_threads(threads)
    netG = ResNetGenerator()
    netG.load_state_dict(torch.load(pathlib.Path(out) / "netG-random.pth"))
    netG.eval()
    preprocess = transforms.Compose([transforms.Resize(size), transforms.ToTensor()])
    first = None
    pathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)
    for path in sorted(pathlib.Path(in_dir).glob("*.jpg")):
        img = Image.open(path)
        batch = torch.unsqueeze(preprocess(img), 0)
        with torch.no_grad():
            batch_out = netG(batch)
        out_t = (batch_out.data.squeeze() + 1.0) / 2.0
        transforms.ToPILImage()(out_t).save(pathlib.Path(out_dir) / (path.stem + ".png"))
        first = first or time.perf_counter() - t0
    print(json.dumps({"threads": torch.get_num_threads(), "first_output": first, "in_process": time.perf_counter() - t0}))


if __name__ == "__main__":
    cmd, out, *rest = sys.argv[1:]
    if cmd == "setup":
        setup(out)
    elif cmd == "forward":
        threads, runs, *dims = (int(v) for v in rest)
        forward(out, threads, runs, list(zip(dims[0::2], dims[1::2])))
    elif cmd == "convert":
        convert(out, int(rest[0]), rest[1], rest[2], *(int(v) for v in rest[3:]))
