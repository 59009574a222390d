/**
 * The cross-copy slots (src/notebook/slots.ts): a second copy of the module (as a notebook's
 * node_modules/stripes is, beside the kernel's own) reads and makes the same values, and no other
 * source file keeps a `Symbol.for("stripes.…")` slot of its own.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { getSlot, setSlot, sharedSlot, SLOTS } from "../../src/notebook/slots";

const SRC = join(__dirname, "..", "..", "src");
const SLOTS_PATH = require.resolve("../../src/notebook/slots");

/** A fresh copy of slots.ts, with its own module state, as a second install of stripes has. */
function secondCopy(): typeof import("../../src/notebook/slots") {
  const cached = require.cache[SLOTS_PATH];
  delete require.cache[SLOTS_PATH];
  try {
    return require(SLOTS_PATH);
  } finally {
    require.cache[SLOTS_PATH] = cached;
  }
}

test("every slot key is a registered symbol named stripes.… (the same in every copy)", () => {
  for (const [name, key] of Object.entries(SLOTS)) {
    assert.ok(Symbol.keyFor(key)?.startsWith("stripes."), `${name}: ${String(key)}`);
  }
  const copy = secondCopy();
  assert.is.not(copy.getSlot, getSlot); // really a second copy of the module
  assert.equal(Object.values(copy.SLOTS), Object.values(SLOTS));
});

test("a value set by one copy is read by the other; sharedSlot makes it once for both", () => {
  const copy = secondCopy();
  const header = { msg_id: "m1" };
  try {
    setSlot("parent", header);
    assert.is(copy.getSlot("parent"), header);
    copy.setSlot("parent", undefined);
    assert.is(getSlot("parent"), undefined);
  } finally {
    setSlot("parent", undefined);
  }
  const before = getSlot("widgets");
  try {
    setSlot("widgets", undefined);
    let made = 0;
    const a = sharedSlot("widgets", () => ({ made: ++made }));
    const b = copy.sharedSlot("widgets", () => ({ made: ++made }));
    assert.is(b, a);
    assert.is(made, 1);
  } finally {
    setSlot("widgets", before);
  }
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

test("slots.ts is the only source file that names a Symbol.for(\"stripes.…\") slot", () => {
  const others = sources(SRC)
    .filter((f) => f !== SLOTS_PATH.replace(/\.js$/, ".ts"))
    .filter((f) => /Symbol\.for\(\s*["'`]stripes\./.test(readFileSync(f, "utf8")))
    .map((f) => relative(SRC, f));
  assert.equal(others, []);
  assert.ok(/Symbol\.for\("stripes\./.test(readFileSync(join(SRC, "notebook", "slots.ts"), "utf8"))); // the pattern matches the real thing
});

test.run();
