/**
 * `import … from "stripes"` on the stripes kernel (dist/kernel/main.js, built by `npm test`) in a
 * folder outside the repository: the kernel's own package answers, for the type-checker and at
 * run time, and a different package named `stripes` in that folder's node_modules (npm's
 * `stripes` is someone else's) is never loaded.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Kernel } from "../../src/jupyter/client";
import { NOTEBOOK_NAME, aliasEntry, isAlias } from "../../src/kernel/packageAlias";

const ROOT = path.join(__dirname, "..", "..");

const A = suite("the stripes alias");
let k: Kernel;
let dir: string;

A.before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-alias-"));
  // A stranger's `stripes` in the notebook's folder: loading it would throw.
  const stranger = path.join(dir, "node_modules", "stripes");
  fs.mkdirSync(stranger, { recursive: true });
  fs.writeFileSync(path.join(stranger, "package.json"), JSON.stringify({ name: "stripes", version: "0.0.82", main: "index.js", types: "index.d.ts" }));
  fs.writeFileSync(path.join(stranger, "index.js"), 'throw new Error("the stranger\'s stripes was loaded");\n');
  fs.writeFileSync(path.join(stranger, "index.d.ts"), "export declare const stranger: number;\n");
  const { FORCE_COLOR: _, ...env } = process.env; // uvu sets it; values would be coloured
  k = await Kernel.start({ cwd: dir, env });
});
A.after(async () => {
  await k.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

const execute = (code: string) => k.request("execute_request", Kernel.executeContent(code));

A("the name and the entry: this package's package.json main", () => {
  assert.is(NOTEBOOK_NAME, "stripes");
  assert.ok(isAlias("stripes"));
  assert.not.ok(isAlias("stripes-gan"));
  assert.not.ok(isAlias("stripes/dist/index"));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  assert.is(aliasEntry(), path.join(ROOT, pkg.main));
});

A('a cell imports "stripes" from a folder with no stripes-gan: this package, type-checked', async () => {
  const { reply } = await execute(
    'import { tf, version } from "stripes";\nconst n: number = tf.ones([2, 3]).sum().dataSync()[0];\n`${n} ${version}`',
  );
  assert.is(reply.content.status, "ok", JSON.stringify(reply.content));
  const { iopub } = await execute("`${n} ${version}`");
  const result = iopub.find((m) => m.header.msg_type === "execute_result");
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
  assert.is(result?.content.data["text/plain"], `6 ${version}`);
});

A("the type-checker reads this package's declarations, not the stranger's", async () => {
  const { reply } = await execute('import { stranger } from "stripes";');
  assert.is(reply.content.status, "error");
  assert.match(reply.content.evalue, /has no exported member 'stranger'/);
});

A.run();
