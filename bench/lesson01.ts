/**
 * Lesson 01 at full size: a legacy-format checkpoint of the article's architecture (random weights,
 * written by PyTorch) and a photo, through the lesson notebook on the tslab kernel — with
 * `stripes run`, and with real Jupyter (`nbconvert --execute`) when it is installed — compared
 * with PyTorch's zebra for the same weights (PSNR) and timed against PyTorch's cells.
 *
 *     npx ts-node bench/lesson01.ts [PHOTO]      # default: STRIPES_IMAGE, else the fetched horse.jpg
 *
 * Settings, one per line:
 */
const OUT = "bench/out/lesson01"; // git-ignored
const TIMEOUT = 900; // seconds per cell
/*
 * Prints, per runner: wall time of the whole notebook (kernel start included), PSNR against
 * PyTorch's output, and whether the module tree equals PyTorch's; then PyTorch's time for the
 * article's cells, the same work as the notebook's cells minus kernel start-up.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import sharp from "sharp";
import { fetchArticleFile } from "../src/fetch/fetch";
import { findJupyterPython, installKernels } from "../src/jupyter/install";
import { joinLines, readNotebook, type Notebook } from "../src/jupyter/nbformat";
import { runNotebook } from "../src/jupyter/run";

const LESSON = "notebooks/01-horse-to-zebra.ipynb";

async function rgb(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function psnr(a: string, b: string): Promise<string> {
  const [x, y] = await Promise.all([rgb(a), rgb(b)]);
  if (x.width !== y.width || x.height !== y.height) return `sizes differ: ${x.width}x${x.height} vs ${y.width}x${y.height}`;
  let se = 0;
  let max = 0;
  for (let i = 0; i < x.data.length; i++) {
    const d = x.data[i] - y.data[i];
    se += d * d;
    max = Math.max(max, Math.abs(d));
  }
  const mse = se / x.data.length;
  const db = mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
  return `${db === Infinity ? "∞ (identical)" : db.toFixed(2)} dB, max diff ${max} levels, ${x.width}x${x.height}`;
}

function evalText(nb: Notebook): string {
  const cell = nb.cells.find((c) => c.id === "eval");
  return (cell?.outputs ?? []).map((o) => (o.output_type === "stream" && o.name === "stdout" ? joinLines(o.text) : "")).join("");
}

async function main() {
  const photo = path.resolve(process.argv[2] ?? process.env.STRIPES_IMAGE ?? (await fetchArticleFile("image")));
  const said = execFileSync("/usr/bin/python3", ["bench/lesson01.py", OUT, photo], { encoding: "utf8" }).trim();
  console.log(`PyTorch, the article's cells: ${said}`);
  const weights = path.resolve(OUT, "netG-random-legacy.pth");
  const tree = fs.readFileSync(path.join(OUT, "netG-eval.txt"), "utf8");
  const env = { ...process.env, STRIPES_WEIGHTS: weights, STRIPES_IMAGE: photo };

  // stripes run
  const dir = path.join(OUT, "stripes-run");
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(LESSON, path.join(dir, path.basename(LESSON)));
  const nb0 = readNotebook(LESSON);
  let began = Date.now();
  const cells: string[] = [];
  const nb = await runNotebook(path.join(dir, path.basename(LESSON)), {
    env,
    timeout: TIMEOUT,
    onCell: (e) => cells.push(`${nb0.cells[e.index].id} ${e.seconds.toFixed(2)}`),
  });
  console.log(`stripes run, seconds per cell: ${cells.join(", ")}`);
  console.log(`stripes run: ${((Date.now() - began) / 1000).toFixed(1)} s; zebra vs PyTorch: ${await psnr(path.join(dir, "zebra.png"), path.join(OUT, "zebra-pytorch.png"))}; module tree ${evalText(nb) === tree ? "equals" : "DIFFERS FROM"} PyTorch's`);

  // jupyter nbconvert --execute, with the kernel registered by `stripes kernel install --prefix`
  let python: string;
  try {
    python = findJupyterPython();
  } catch (err) {
    console.log(`jupyter nbconvert: skipped (${(err as Error).message})`);
    return;
  }
  const prefix = path.resolve(OUT, "jupyter");
  installKernels({ prefix });
  const jdir = path.join(OUT, "jupyter-run");
  fs.mkdirSync(jdir, { recursive: true });
  fs.copyFileSync(LESSON, path.join(jdir, path.basename(LESSON)));
  began = Date.now();
  const r = spawnSync(
    python,
    ["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.timeout=${TIMEOUT}`, "--output", "executed.ipynb", path.basename(LESSON)],
    { cwd: jdir, env: { ...env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") }, encoding: "utf8" },
  );
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.log(`jupyter nbconvert: FAILED after ${seconds} s (exit ${r.status}): ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`);
    process.exitCode = 1;
    return;
  }
  const executed = readNotebook(path.join(jdir, "executed.ipynb"));
  console.log(`jupyter nbconvert --execute: ${seconds} s; zebra vs PyTorch: ${await psnr(path.join(jdir, "zebra.png"), path.join(OUT, "zebra-pytorch.png"))}; module tree ${evalText(executed) === tree ? "equals" : "DIFFERS FROM"} PyTorch's`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
