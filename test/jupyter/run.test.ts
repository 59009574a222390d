/**
 * The kernel client and `stripes run` on tslab's kernel (which stripes keeps working for
 * notebooks whose kernelspec names it; the stripes kernel has its own tests in test/kernel/), with tiny notebooks written by
 * the test into a scratch folder under the repository (so `import … from "stripes"` resolves the
 * way it does for the lessons).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kernel, TimeoutError, tslabArgv, type Message } from "../../src/jupyter/client";
import { CellError, errorSummary, runNotebook } from "../../src/jupyter/run";
import { serializeNotebook, splitLines, type Cell, type Notebook } from "../../src/jupyter/nbformat";
import { KernelError, NotebookError } from "../../src/jupyter/errors";
import { cliWith } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
const SCRATCH = path.join(ROOT, ".cache");

function scratchDir(): string {
  fs.mkdirSync(SCRATCH, { recursive: true });
  return fs.mkdtempSync(path.join(SCRATCH, "test-notebook-"));
}

function code(source: string): Cell {
  return { cell_type: "code", metadata: {}, source, outputs: [], execution_count: null };
}

function notebook(cells: Cell[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript" } },
    cells: cells.map((c, i) => ({ id: `cell-${i}`, ...c })),
  };
}

function writeScratch(dir: string, name: string, nb: Notebook): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, serializeNotebook(nb));
  return file;
}

// A 1×1 PNG's bytes, as the kernel should send them back (base64).
const PNG_BYTES = [137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82];

const kernel = suite("Kernel");
let k: Kernel;
let dir: string;

kernel.before(async () => {
  dir = scratchDir();
  k = await Kernel.start({ cwd: dir, argv: tslabArgv(), kernelName: "tslab" });
});

kernel.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

kernel("execute: stdout arrives as a stream between busy and idle", async () => {
  const msgs: Message[] = [];
  const reply = await k.execute('console.log("hello from tslab")', { onIopub: (m) => msgs.push(m) });
  assert.is(reply.status, "ok");
  assert.is(typeof reply.execution_count, "number");
  assert.equal(msgs.map((m) => m.header.msg_type), ["status", "stream", "status"]);
  assert.equal(msgs[1].content, { name: "stdout", text: "hello from tslab\n" });
  assert.is(k.languageInfo?.name, "typescript");
});

kernel("execute: tslab.display.png sends display_data with base64 image/png", async () => {
  const msgs: Message[] = [];
  await k.execute(`import * as tslab from "tslab";\ntslab.display.png(new Uint8Array([${PNG_BYTES}]))`, { onIopub: (m) => msgs.push(m) });
  const display = msgs.find((m) => m.header.msg_type === "display_data");
  assert.ok(display);
  assert.is(display!.content.data["image/png"], Buffer.from(PNG_BYTES).toString("base64"));
});

kernel("execute: a type error is status error with the diagnostic on stderr", async () => {
  const msgs: Message[] = [];
  const reply = await k.execute("let n: number = 'five';", { onIopub: (m) => msgs.push(m) });
  assert.is(reply.status, "error");
  const stderr = msgs.filter((m) => m.header.msg_type === "stream" && m.content.name === "stderr").map((m) => m.content.text).join("");
  assert.match(stderr, /1:5 - Type 'string' is not assignable to type 'number'/);
  await new Promise((r) => setTimeout(r, 300)); // tslab aborts requests for 200 ms after an error
});

kernel("execute: a timeout rejects with TimeoutError; shutdown stops the process", async () => {
  const err = await k.execute("await new Promise((r) => setTimeout(r, 20000));", { timeoutMs: 500 }).catch((e) => e);
  assert.instance(err, TimeoutError);
  assert.match(err.message, /did not finish within 0.5 s/);
  await k.shutdown();
  assert.ok(k.process.exitCode !== null || k.process.signalCode !== null, "the kernel process has exited");
  assert.not.ok(fs.existsSync(path.dirname(k.argv[k.argv.indexOf("--config-path") + 1])), "connection file removed");
});

kernel.run();

const run = suite("runNotebook");

run("records streams, display_data and counts; 'stripes' is importable from a notebook", async () => {
  const dir = scratchDir();
  try {
    const file = writeScratch(dir, "ok.ipynb", notebook([
      { cell_type: "markdown", metadata: {}, source: "# A tiny lesson" },
      code('console.log("one");\nconsole.log("two");'),
      code(`import * as tslab from "tslab";\ntslab.display.png(new Uint8Array([${PNG_BYTES}]));`),
      code('import { version } from "stripes";\nversion'),
      code("   "),
      code('import * as fs from "fs";\nfs.writeFileSync("written-by-the-kernel.txt", "cwd check")'),
      code('const d = tslab.newDisplay();\nd.text("first");\nd.text("second");'),
      code('d.text("third");'),
    ]));
    const nb = await runNotebook(file, { timeout: 60 });
    const [, one, png, ver, empty] = nb.cells;
    assert.equal(one.outputs, [{ output_type: "stream", name: "stdout", text: "one\ntwo\n" }]);
    assert.equal(png.outputs, [{ output_type: "display_data", data: { "image/png": Buffer.from(PNG_BYTES).toString("base64") }, metadata: {} }]);
    assert.equal(ver.outputs, [{ output_type: "stream", name: "stdout", text: `${require("../../package.json").version}\n` }]);
    assert.equal(empty.outputs, []);
    assert.is(empty.execution_count, null);
    assert.equal([one, png, ver].map((c) => c.execution_count), [1, 2, 3]);
    assert.is(nb.metadata.language_info.name, "typescript");
    assert.ok(fs.existsSync(path.join(dir, "written-by-the-kernel.txt")), "the kernel runs in the notebook's folder");
    // update_display_data replaces the output with that display id, in whichever cell it is.
    assert.equal(nb.cells[6].outputs, [{ output_type: "display_data", data: { "text/plain": "third" }, metadata: {} }]);
    assert.equal(nb.cells[7].outputs, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

run("stops at the first failing cell with its index and error; later cells do not run", async () => {
  const dir = scratchDir();
  try {
    const file = writeScratch(dir, "fails.ipynb", notebook([
      code("const a = 1;"),
      { cell_type: "markdown", metadata: {}, source: "text" },
      code('throw new RangeError("cell three is broken")'),
      code('console.log("never")'),
    ]));
    const err = await runNotebook(file, { timeout: 60 }).catch((e) => e);
    assert.instance(err, CellError);
    assert.is(err.cellIndex, 2);
    assert.match(err.message, /fails\.ipynb: cell 3 of 4 \(code cell 2 of 3, "throw new RangeError\("cell three is broken"\)"\) failed: RangeError: cell three is broken$/);
    assert.is(err.notebook.cells[3].execution_count, null);
    assert.equal(err.notebook.cells[3].outputs, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

run("a kernel that dies mid-notebook is reported with the cell and the exit code", async () => {
  const dir = scratchDir();
  try {
    const file = writeScratch(dir, "dies.ipynb", notebook([code('console.log("alive")'), code("process.exit(3)")]));
    const err = await runNotebook(file, { timeout: 60 }).catch((e) => e);
    assert.instance(err, CellError);
    assert.is(err.cellIndex, 1);
    assert.match(err.message, /dies\.ipynb: cell 2 of 2 \(code cell 2 of 2, "process\.exit\(3\)"\): the kernel exited \(code 3\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

run("the kernelspec picks tslab or jslab; another language is refused before any kernel starts", async () => {
  const dir = scratchDir();
  try {
    const js = notebook([code("const x = 1;\nconsole.log(typeof x)")]);
    js.metadata.kernelspec = { name: "jslab", display_name: "JavaScript" };
    const ran = await runNotebook(writeScratch(dir, "js.ipynb", js), { timeout: 60 });
    assert.equal(ran.cells[0].outputs, [{ output_type: "stream", name: "stdout", text: "number\n" }]);
    assert.is(ran.metadata.language_info.name, "javascript");

    const py = notebook([code("print(1)")]);
    py.metadata.kernelspec = { name: "python3", display_name: "Python 3" };
    const err = await runNotebook(writeScratch(dir, "py.ipynb", py)).catch((e) => e);
    assert.instance(err, NotebookError);
    assert.match(err.message, /py\.ipynb: its kernel is 'python3'; stripes run starts the stripes kernel \(TypeScript\) and tslab's/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

run("a kernel command that cannot start: KernelError naming it", async () => {
  const dir = scratchDir();
  try {
    const err = await Kernel.start({ cwd: dir, argv: [path.join(dir, "no-such-tslab"), "kernel", "--config-path", "{connection_file}"] }).catch((e) => e);
    assert.instance(err, KernelError);
    assert.match(err.message, /^the kernel could not be started \(spawn .*no-such-tslab ENOENT\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

run("errorSummary picks the diagnostic or the exception line", () => {
  assert.is(errorSummary("evalmachine.<anonymous>:2\nthrow x;\n^\n\nError: boom\n    at foo\n"), "Error: boom");
  assert.is(errorSummary("1:5 - Type 'number' is not assignable to type 'string'.\n"), "1:5 - Type 'number' is not assignable to type 'string'.");
  assert.is(errorSummary(""), "(no error text)");
});

run("splitLines keeps line ends, as nbformat stores text", () => {
  assert.equal(splitLines("a\nb"), ["a\n", "b"]);
  assert.equal(splitLines("a\n"), ["a\n"]);
  assert.equal(splitLines(""), []);
});

run.run();

const cli = suite("stripes run (CLI)");

/** The real command line (test/helpers/cli.ts: the fresh build, else the sources). */
function stripes(args: string[], options: { timeout?: number } = {}) {
  return cliWith(options, ...args);
}

cli("-o writes the executed notebook; exit 0", () => {
  const dir = scratchDir();
  try {
    const png = `import * as tslab from "tslab";\ntslab.display.png(new Uint8Array([${PNG_BYTES}]));`;
    const file = writeScratch(dir, "in.ipynb", notebook([code('console.log("saved")'), code(png)]));
    const out = path.join(dir, "out.ipynb");
    const r = stripes(["run", file, "-o", out]);
    assert.is(r.status, 0, r.stderr);
    const text = fs.readFileSync(out, "utf8");
    const nb = JSON.parse(text);
    // Laid out as nbformat.writes: text split into lines, base64 images kept whole, keys sorted.
    assert.equal(nb.cells[0].outputs, [{ name: "stdout", output_type: "stream", text: ["saved\n"] }]);
    assert.is(nb.cells[0].execution_count, 1);
    assert.is(nb.cells[1].outputs[0].data["image/png"], Buffer.from(PNG_BYTES).toString("base64"));
    assert.ok(text.startsWith('{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 1,\n'));
    assert.ok(text.endsWith('"nbformat": 4,\n "nbformat_minor": 5\n}\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

cli("a cell over --timeout: exit 1, one line naming the cell, nothing written", () => {
  const dir = scratchDir();
  try {
    // The cell never ends, so only the timeout can end the run (if it did not, the spawn's own
    // limit kills the command and the exit status below is null, not 1).
    const file = writeScratch(dir, "slow.ipynb", notebook([code("1 + 1"), code("await new Promise(() => {});")]));
    const out = path.join(dir, "out.ipynb");
    // 5 s, not 1: with 1 s the test failed once at load average ~15 (each cell has the limit, the first cell's compile included)
    const r = stripes(["run", file, "-o", out, "--timeout", "5"], { timeout: 120_000 });
    assert.is(r.status, 1);
    assert.match(r.stderr, /stripes: .*slow\.ipynb: cell 2 of 2 \(code cell 2 of 2, "await new Promise\(\(\) => \{\}\);"\) did not finish within 5 s \(--timeout\)\n$/);
    assert.not.ok(fs.existsSync(out));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Pids whose parent is `ppid` (Linux /proc). */
function childrenOf(ppid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(fs.readFileSync(`/proc/${d}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1]) === ppid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

if (process.platform === "linux") {
  cli("Ctrl-C (SIGINT) during a cell: the kernel is shut down, exit 130", async () => {
    const dir = scratchDir();
    try {
      const file = writeScratch(dir, "long.ipynb", notebook([code("1"), code("await new Promise((r) => setTimeout(r, 60000));")]));
      const built = path.join(ROOT, "dist", "cli", "main.js");
      const child = spawn(process.execPath, [built, "run", file], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      const kernels = await new Promise<number[]>((resolve) => {
        child.stderr.on("data", (chunk) => {
          stderr += chunk;
          if (stderr.includes("code cell 1/2 ok")) resolve(childrenOf(child.pid!));
        });
      });
      assert.is(kernels.length, 1, "one kernel process runs");
      child.kill("SIGINT");
      const exitCode = await new Promise((resolve) => child.on("exit", (c) => resolve(c)));
      assert.is(exitCode, 130);
      assert.not.ok(fs.existsSync(`/proc/${kernels[0]}`) && !fs.readFileSync(`/proc/${kernels[0]}/stat`, "utf8").includes(") Z "), "the kernel is gone");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

cli("a missing notebook: exit 1, one line", () => {
  const r = stripes(["run", "no-such.ipynb"]);
  assert.is(r.status, 1);
  assert.is(r.stderr, "stripes: no-such.ipynb: no such file\n");
});

cli("a folder or a file that is not JSON: exit 1, one line each", () => {
  const dir = scratchDir();
  try {
    const text = path.join(dir, "notes.ipynb");
    fs.writeFileSync(text, "# notes\nnot JSON\n");
    const notJson = stripes(["run", text]);
    assert.is(notJson.status, 1);
    assert.match(notJson.stderr, /^stripes: .*notes\.ipynb: not a notebook \(Unexpected token .*\)\n$/);
    assert.is(notJson.stderr.split("\n").length, 2, "one line");
    const folder = stripes(["run", dir]);
    assert.is(folder.status, 1);
    assert.is(folder.stderr, `stripes: ${dir}: is a folder, not a notebook\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

cli.run();
