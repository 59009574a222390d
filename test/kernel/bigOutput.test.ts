/**
 * Two faults a long session meets, on the real stripes kernel: a cell that prints 100 MB (every
 * byte reaches the front end, in order of arrival, and the kernel stays usable), and a widget
 * `comm_msg` for a comm the cell closed (answered with comm_close, the kernel carries on).
 * scripts/soak.ts does the same inside its longer session.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { Kernel, stripesKernelArgv, type Message } from "../../src/jupyter/client";

const ROOT = path.join(__dirname, "..", "..");
const B = suite("100 MB of output; a comm_msg for a closed comm");
let k: Kernel;
let dir: string;

B.before(async () => {
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-big-output-")); // under the repo: "stripes" resolves
  const { FORCE_COLOR: _, ...env } = process.env;
  k = await Kernel.start({ cwd: dir, env: { ...env, STRIPES_CACHE: path.join(dir, "cache") }, argv: stripesKernelArgv() });
});

B.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

B("a cell that prints 100 MB: every byte arrives, lines whole and in order; the kernel is usable after", async () => {
  let bytes = 0;
  let lines = 0;
  let inOrder = true;
  let carry = "";
  const began = Date.now();
  const reply = await k.execute('for (let i = 0; i < 100_000; i++) process.stdout.write(String(i).padStart(999, ".") + "\\n");', {
    timeoutMs: 300_000,
    onIopub: (m: Message) => {
      if (m.header.msg_type !== "stream" || m.content.name !== "stdout") return;
      bytes += Buffer.byteLength(m.content.text);
      const parts = (carry + m.content.text).split("\n");
      carry = parts.pop()!;
      for (const line of parts) {
        if (line.length !== 999 || Number(line.replace(/^\.+/, "")) !== lines) inOrder = false;
        lines++;
      }
    },
  });
  console.log(`  100 MB printed in ${((Date.now() - began) / 1000).toFixed(1)} s: ${bytes.toLocaleString("en")} bytes, ${lines.toLocaleString("en")} lines`);
  assert.is(reply.status, "ok");
  assert.is(bytes, 100_000_000);
  assert.is(lines, 100_000);
  assert.is(carry, "");
  assert.ok(inOrder, "a line arrived cut or out of order");
  assert.is((await k.execute("1 + 1")).status, "ok");
});

B("a comm_msg for a widget's comm after the cell closed it: comm_close, and the kernel carries on", async () => {
  let id = "";
  await k.execute('import { widgets } from "stripes";\nconst s = new widgets.IntSlider({ value: 1 });\nconsole.log(s.modelId);\ns.close();', {
    onIopub: (m: Message) => void (m.header.msg_type === "stream" && (id += m.content.text)),
  });
  id = id.trim();
  assert.match(id, /^[0-9a-f]{32}$/);
  const { iopub } = await k.request("comm_msg", { comm_id: id, data: { method: "update", state: { value: 5 }, buffer_paths: [] } }, { expectReply: false });
  assert.equal(iopub.map((m) => m.header.msg_type).filter((t) => t !== "status"), ["comm_close"]);
  assert.equal(iopub.find((m) => m.header.msg_type === "comm_close")!.content, { comm_id: id, data: {} });
  let out = "";
  const reply = await k.execute("console.log(s.value)", { onIopub: (m: Message) => void (m.header.msg_type === "stream" && (out += m.content.text)) });
  assert.is(reply.status, "ok");
  assert.is(out, "1\n", "the closed slider did not take the update");
});

B.run();
