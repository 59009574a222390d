/**
 * `stripes kernel install` with the Jupyter found on this machine, into a scratch --prefix (so the
 * machine's own kernels are untouched): tslab's installer writes the specs, we point their argv at
 * this node and this package's tslab, a second install gives the same files, and the installed
 * command really starts a kernel that answers.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findJupyterPython, installKernels, pythonCandidates } from "../../src/jupyter/install";
import { Kernel, tslabBinary } from "../../src/jupyter/client";
import { KernelError } from "../../src/jupyter/errors";

const test = suite("installKernels");

let python: string | undefined;
try {
  python = findJupyterPython();
} catch (err) {
  // Reported, not hidden: without Jupyter on the machine only the error path is checked.
  console.log(`  (no Jupyter here, so only the error path is tested: ${(err as Error).message})`);
}

test("no Jupyter: one line naming what was tried and how to install it", () => {
  const err = (() => {
    try {
      findJupyterPython("/nonexistent/python3");
    } catch (e) {
      return e as Error;
    }
  })();
  assert.instance(err, KernelError);
  assert.match(err!.message, /^no Python with Jupyter found \(\/nonexistent\/python3: not found\); install Jupyter \(Debian: apt-get install jupyter-nbconvert python3-nbclient python3-ipython/);
  assert.ok(pythonCandidates().includes("/usr/bin/python3"));
});

if (python) {
  let installed = ""; // a copy of the tslab spec the first test installed
  test("registers tslab and jslab under --prefix with absolute node and tslab; idempotent", () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-kernels-"));
    try {
      const first = installKernels({ prefix });
      const kernels = path.join(prefix, "share", "jupyter", "kernels");
      assert.equal(first.map((k) => k.dir), [path.join(kernels, "tslab"), path.join(kernels, "jslab")]);
      const ts = JSON.parse(fs.readFileSync(path.join(kernels, "tslab", "kernel.json"), "utf8"));
      const js = JSON.parse(fs.readFileSync(path.join(kernels, "jslab", "kernel.json"), "utf8"));
      assert.equal(ts.argv, [process.execPath, tslabBinary(), "kernel", "--config-path", "{connection_file}"]);
      assert.equal(js.argv, [process.execPath, tslabBinary(), "kernel", "--config-path", "{connection_file}", "--js"]);
      assert.is(ts.display_name, "TypeScript");
      assert.is(ts.language, "typescript");
      const before = fs.readFileSync(path.join(kernels, "tslab", "kernel.json"), "utf8");
      installKernels({ prefix });
      assert.is(fs.readFileSync(path.join(kernels, "tslab", "kernel.json"), "utf8"), before);
      assert.equal(fs.readdirSync(kernels).sort(), ["jslab", "tslab"]);
      installed = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-tslab-spec-"));
      fs.cpSync(path.join(kernels, "tslab"), installed, { recursive: true });
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });

  test("the registered command starts a kernel that runs TypeScript, with nothing on PATH", async () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-kernels-"));
    try {
      fs.cpSync(installed, path.join(prefix, "tslab"), { recursive: true });
      const argv = JSON.parse(fs.readFileSync(path.join(prefix, "tslab", "kernel.json"), "utf8")).argv;
      const kernel = await Kernel.start({ cwd: prefix, argv, env: { ...process.env, PATH: "/nonexistent" } });
      try {
        let text = "";
        const reply = await kernel.execute("const n: number = 6 * 7; n", {
          onIopub: (m) => {
            if (m.header.msg_type === "stream") text += m.content.text;
          },
        });
        assert.is(reply.status, "ok");
        assert.is(text.replace(/\x1b\[[0-9;]*m/g, ""), "42\n"); // tslab colours values when FORCE_COLOR is set
      } finally {
        await kernel.shutdown();
      }
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
      fs.rmSync(installed, { recursive: true, force: true });
    }
  });

  test("--user with --prefix is refused", () => {
    assert.throws(() => installKernels({ user: true, prefix: "/tmp/x" }), /choose one of --user, --sys-prefix and --prefix/);
  });
}

test.run();
