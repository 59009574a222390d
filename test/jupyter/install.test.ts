/**
 * `stripes kernel install` writes the kernelspecs itself. Every test installs into scratch
 * folders, with HOME, JUPYTER_DATA_DIR and JUPYTER_PATH pointed at them and a PATH without
 * `jupyter`, so this machine's own kernels are never touched. Real Jupyter (Debian's
 * `/usr/bin/python3` with jupyter_client) then lists what was written.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernels, kernelsDestination, stripesKernelEntry } from "../../src/jupyter/install";
import { Kernel, tslabBinary } from "../../src/jupyter/client";
import { KernelError } from "../../src/jupyter/errors";
import { pythonHas } from "../../src/jupyter/python";
import { cli } from "../helpers/cli";

const test = suite("installKernels");

const scratch = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "stripes-kernels-"));
/**
 * An environment that sees no Jupyter and keeps every default folder inside `root`, the system's
 * too (jupyter_core's platformdirs mode reads them from XDG_DATA_DIRS): a stripes kernel this
 * machine has installed system-wide (`stripes kernel install` as root) is not seen.
 */
const isolated = (root: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: path.join(root, "no-bin"),
  HOME: path.join(root, "home"),
  JUPYTER_PLATFORM_DIRS: "1",
  XDG_DATA_DIRS: path.join(root, "system"),
  ...extra,
});
const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

test("--prefix: stripes, tslab and jslab under <prefix>/share/jupyter/kernels, argv by absolute path; a second install changes nothing", () => {
  const root = scratch();
  try {
    const prefix = path.join(root, "prefix");
    const env = isolated(root);
    const first = installKernels({ prefix, env });
    const kernels = path.join(prefix, "share", "jupyter", "kernels");
    assert.equal(first.map((k) => k.dir), ["stripes", "tslab", "jslab"].map((n) => path.join(kernels, n)));
    assert.equal(read(path.join(kernels, "stripes", "kernel.json")), {
      argv: [process.execPath, stripesKernelEntry(), "{connection_file}"],
      display_name: "TypeScript (stripes)",
      language: "typescript",
      interrupt_mode: "message",
      metadata: {},
    });
    assert.ok(path.isAbsolute(stripesKernelEntry()) && stripesKernelEntry().endsWith(path.join("dist", "kernel", "main.js")));
    const ts = read(path.join(kernels, "tslab", "kernel.json"));
    assert.equal(ts.argv, [process.execPath, tslabBinary(), "kernel", "--config-path", "{connection_file}"]);
    assert.is(ts.display_name, "TypeScript");
    assert.equal(read(path.join(kernels, "jslab", "kernel.json")).argv.slice(-1), ["--js"]);
    const snapshot = () => ["stripes", "tslab", "jslab"].map((n) => [fs.readdirSync(path.join(kernels, n)), fs.readFileSync(path.join(kernels, n, "kernel.json"), "utf8")]);
    const before = snapshot();
    installKernels({ prefix, env });
    assert.equal(snapshot(), before);
    assert.equal(fs.readdirSync(kernels).sort(), ["jslab", "stripes", "tslab"]);
    assert.equal(installKernels({ prefix: path.join(root, "only"), env, tslab: false }).map((k) => k.name), ["stripes"]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("--user: $JUPYTER_DATA_DIR/kernels, else ~/.local/share/jupyter/kernels; no option: the user's folder unless root", () => {
  const root = scratch();
  try {
    const home = path.join(root, "home");
    const k = installKernels({ user: true, env: isolated(root), tslab: false });
    assert.is(k[0].dir, path.join(home, ".local", "share", "jupyter", "kernels", "stripes"));
    assert.ok(k[0].found, "Jupyter's default path includes the user's folder");
    assert.ok(fs.existsSync(path.join(k[0].dir, "kernel.json")));
    const dataDir = path.join(root, "data");
    const j = installKernels({ user: true, env: isolated(root, { JUPYTER_DATA_DIR: dataDir }), tslab: false });
    assert.is(j[0].dir, path.join(dataDir, "kernels", "stripes"));
    assert.ok(j[0].found);
    assert.is(kernelsDestination({ env: isolated(root), asRoot: false }).dir, path.join(home, ".local", "share", "jupyter", "kernels"));
    assert.is(kernelsDestination({ env: isolated(root), asRoot: true }).dir, path.join(root, "system", "jupyter", "kernels")); // not written
    assert.is(kernelsDestination({ env: { HOME: home }, asRoot: true }).dir, "/usr/local/share/jupyter/kernels"); // not written
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("--sys-prefix: the activated environment's prefix ($VIRTUAL_ENV, $CONDA_PREFIX), or a Python's sys.prefix; none: one line", () => {
  const root = scratch();
  try {
    const venv = path.join(root, "venv");
    const k = installKernels({ sysPrefix: true, env: isolated(root, { VIRTUAL_ENV: venv }), tslab: false });
    assert.is(k[0].dir, path.join(venv, "share", "jupyter", "kernels", "stripes"));
    assert.ok(fs.existsSync(path.join(k[0].dir, "kernel.json")));
    assert.is(kernelsDestination({ sysPrefix: true, env: isolated(root, { CONDA_PREFIX: venv }) }).dir, path.join(venv, "share", "jupyter", "kernels"));
    const sysPrefix = spawnSync("/usr/bin/python3", ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).stdout.trim();
    if (sysPrefix) assert.is(kernelsDestination({ sysPrefix: true, python: "/usr/bin/python3", env: isolated(root) }).dir, path.join(sysPrefix, "share", "jupyter", "kernels"));
    assert.throws(() => kernelsDestination({ sysPrefix: true, env: isolated(root) }), (e: Error) =>
      e instanceof KernelError && /^--sys-prefix: no Python environment found \(VIRTUAL_ENV and CONDA_PREFIX are unset and no jupyter is on PATH\); activate one, or use --prefix <folder>$/.test(e.message));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("JUPYTER_PATH: a --prefix on it is found, off it gets a note, behind another copy it is reported shadowed", () => {
  const root = scratch();
  try {
    const prefix = path.join(root, "prefix");
    const data = path.join(prefix, "share", "jupyter");
    const on = installKernels({ prefix, env: isolated(root, { JUPYTER_PATH: data }), tslab: false });
    assert.ok(on[0].found);
    const lines: string[] = [];
    const off = installKernels({ prefix, env: isolated(root), tslab: false, onLine: (l) => lines.push(l) });
    assert.not.ok(off[0].found);
    assert.ok(lines.some((l) => l === `note: Jupyter (computed) does not look in ${data}; add it to JUPYTER_PATH (export JUPYTER_PATH=${data})`), lines.join("\n"));
    const other = path.join(root, "other");
    installKernels({ prefix: other, env: isolated(root), tslab: false });
    const behind = installKernels({ prefix, env: isolated(root, { JUPYTER_PATH: [path.join(other, "share", "jupyter"), data].join(path.delimiter) }), tslab: false });
    assert.not.ok(behind[0].found);
    assert.is(behind[0].shadowedBy, path.join(other, "share", "jupyter", "kernels", "stripes"));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a `jupyter` on PATH is asked for its data path (jupyter --paths --json)", () => {
  const root = scratch();
  try {
    const bin = path.join(root, "bin");
    const elsewhere = path.join(root, "elsewhere");
    fs.mkdirSync(bin);
    // A stand-in that answers as jupyter_core does, with a data folder only it knows about.
    fs.writeFileSync(path.join(bin, "jupyter"), `#!/bin/sh\necho '{"runtime": [], "config": [], "data": ["${elsewhere}"]}'\n`, { mode: 0o755 });
    const lines: string[] = [];
    const k = installKernels({ prefix: path.join(elsewhere, "..", "p"), env: isolated(root, { PATH: bin }), tslab: false, onLine: (l) => lines.push(l) });
    assert.not.ok(k[0].found);
    assert.ok(lines.some((l) => l.startsWith(`note: Jupyter (${path.join(bin, "jupyter")} --paths) does not look in`)), lines.join("\n"));
    const found = installKernels({ user: true, env: isolated(root, { PATH: bin, JUPYTER_DATA_DIR: elsewhere }), tslab: false });
    assert.ok(found[0].found);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("bad options and unwritable folders: one line naming the problem", () => {
  const root = scratch();
  try {
    assert.throws(() => installKernels({ user: true, prefix: "/tmp/x" }), /^choose one of --user, --sys-prefix and --prefix$/);
    const file = path.join(root, "a-file");
    fs.writeFileSync(file, "");
    assert.throws(() => installKernels({ prefix: file, env: isolated(root) }), (e: Error) =>
      e instanceof KernelError && e.message.startsWith(`${path.join(file, "share", "jupyter", "kernels", "stripes", "kernel.json")}: cannot write the kernelspec: `) && !e.message.includes("\n"));
    const r = cli("kernel", "install", "--user", "--prefix", root);
    assert.is(r.status, 1);
    assert.is(r.stderr, "stripes: choose one of --user, --sys-prefix and --prefix\n");
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// Real Jupyter: Debian's jupyter_client lists what we wrote, from JUPYTER_PATH alone.
const debianJupyter = pythonHas("/usr/bin/python3", ["jupyter_client"]).ok;
if (!debianJupyter) console.log("  (no jupyter_client in /usr/bin/python3: the real-Jupyter listing is not checked here)");
test("real Jupyter (python3 -m jupyter_client.kernelspecapp list --json) finds the kernels from JUPYTER_PATH", () => {
  if (!debianJupyter) return;
  const root = scratch();
  try {
    const prefix = path.join(root, "prefix");
    const env = isolated(root, { JUPYTER_PATH: path.join(prefix, "share", "jupyter"), JUPYTER_DATA_DIR: path.join(root, "data") });
    const r0 = cli("kernel", "install", "--prefix", prefix);
    assert.is(r0.status, 0, r0.stderr);
    const k = installKernels({ prefix, env, python: "/usr/bin/python3" });
    assert.ok(k.every((x) => x.found), "found by `python3 -m jupyter --paths --json`'s data path");
    // jupyter_client's own `jupyter kernelspec list` (its module: Debian's jupyter-client package,
    // which adds the `jupyter-kernelspec` command, is not always installed beside python3-jupyter-client).
    const r = spawnSync("/usr/bin/python3", ["-m", "jupyter_client.kernelspecapp", "list", "--json"], { env: { ...env, PATH: "/usr/bin:/bin" }, encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
    const specs = JSON.parse(r.stdout).kernelspecs;
    assert.is(specs.stripes.resource_dir, path.join(prefix, "share", "jupyter", "kernels", "stripes"));
    assert.is(specs.stripes.spec.display_name, "TypeScript (stripes)");
    assert.is(specs.stripes.spec.language, "typescript");
    assert.is(specs.stripes.spec.interrupt_mode, "message");
    assert.equal(specs.stripes.spec.argv, [process.execPath, stripesKernelEntry(), "{connection_file}"]);
    assert.is(specs.tslab.spec.display_name, "TypeScript");
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

for (const name of ["stripes", "tslab"] as const) {
  test(`the registered ${name} command starts a kernel that runs TypeScript, with nothing on PATH`, async () => {
    if (name === "stripes" && !fs.existsSync(stripesKernelEntry())) assert.unreachable(`${stripesKernelEntry()} is not built (npm run build)`);
    const root = scratch();
    try {
      const [spec] = installKernels({ prefix: root, env: isolated(root) }).filter((k) => k.name === name);
      const kernel = await Kernel.start({ cwd: root, argv: spec.spec.argv, env: { ...process.env, PATH: "/nonexistent" } });
      try {
        let text = "";
        let result: string | undefined;
        const reply = await kernel.execute("const n: number = 6 * 7; n", {
          onIopub: (m) => {
            if (m.header.msg_type === "stream") text += m.content.text;
            if (m.header.msg_type === "execute_result") result = m.content.data["text/plain"];
          },
        });
        assert.is(reply.status, "ok");
        // tslab prints the last value to stdout (coloured when FORCE_COLOR is set); stripes sends an execute_result
        if (name === "tslab") assert.is(text.replace(/\x1b\[[0-9;]*m/g, ""), "42\n");
        else assert.is(result, "42");
      } finally {
        await kernel.shutdown();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}

test.run();
