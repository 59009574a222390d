import { suite } from "uvu";
import * as assert from "uvu/assert";
import { unpickle } from "../../src/torch/pickle";
import { ALLOWED_GLOBALS, findGlobal } from "../../src/torch/globals";
import { zipSync } from "fflate";
import * as torch from "../../src/torch";
import { CheckpointError } from "../../src/torch";
import { describe, manifest } from "./expected";
import { test as countCheck } from "uvu";

const read = (bytes: Uint8Array | string) =>
  unpickle(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes, 0, { file: "t.pkl" }).value;

const fails = (bytes: string, message: string) => {
  try {
    read(bytes);
  } catch (err) {
    assert.instance(err, CheckpointError);
    assert.is((err as Error).message, message);
    return;
  }
  assert.unreachable(`no error for ${JSON.stringify(bytes)}`);
};

const Vectors = suite("unpickle: CPython's own pickles, protocols 0 to 5");

for (const [name, { hex, value }] of Object.entries(manifest.pickles)) {
  Vectors(`${name}: the value CPython's pickle.loads returns`, () => {
    assert.equal(describe(read(Buffer.from(hex, "hex")), new Map()), value);
  });
}

Vectors("shared references stay shared (memo)", () => {
  const v = read(Buffer.from(manifest.pickles.protocol2.hex, "hex")) as Map<string, unknown>;
  const shared = v.get("shared") as unknown[];
  assert.ok(shared[0] === shared[1]);
});

Vectors.run();

const Safety = suite("unpickle: safety");

Safety("dict keys never touch prototypes: __proto__ and constructor are plain Map keys", () => {
  // {'__proto__': {'polluted': 1}, 'constructor': 2} at protocol 2
  const v = read("\x80\x02}(X\x09\x00\x00\x00__proto__}X\x08\x00\x00\x00pollutedK\x01sX\x0b\x00\x00\x00constructorK\x02u.") as Map<string, unknown>;
  assert.instance(v, Map);
  assert.equal([...v.keys()], ["__proto__", "constructor"]);
  assert.is(({} as any).polluted, undefined);
  assert.is(Object.getPrototypeOf(v), Map.prototype);
});

Safety("refused globals are named, whatever opcode reaches them", () => {
  fails("\x80\x02cos\nsystem\nX\x02\x00\x00\x00lsR.", "t.pkl: refusing global os.system: not allowed in a checkpoint");
  fails("\x80\x04\x8c\x08builtins\x8c\x04exec\x93.", "t.pkl: refusing global builtins.exec: not allowed in a checkpoint");
  fails("(S'ls'\nisubprocess\nPopen\n.", "t.pkl: refusing global subprocess.Popen: not allowed in a checkpoint");
  fails("\x80\x02ctorch\nload\n.", "t.pkl: refusing global torch.load: not allowed in a checkpoint");
  fails("\x80\x02ctorch.serialization\nload\n.", "t.pkl: refusing global torch.serialization.load: not allowed in a checkpoint");
  fails("\x80\x02ccollections\ndefaultdict\n.", "t.pkl: refusing global collections.defaultdict: not allowed in a checkpoint");
  fails("\x80\x02c__builtin__\ngetattr\n.", "t.pkl: refusing global __builtin__.getattr: not allowed in a checkpoint");
});

Safety("allowed globals cannot be used beyond what they allow", () => {
  fails("\x80\x02ctorch\nTensor\n)R.", "t.pkl: REDUCE on torch.Tensor is not allowed (pickle opcode REDUCE at byte 17)");
  fails("\x80\x02ctorch\nFloatStorage\n)\x81.", "t.pkl: NEWOBJ on torch.FloatStorage is not allowed (pickle opcode NEWOBJ at byte 23)");
  fails("\x80\x02]}b.", "t.pkl: BUILD on a sequence of 0 is not allowed (pickle opcode BUILD at byte 4)");
  fails("\x80\x02(ccollections\nOrderedDict\no.", "t.pkl: pickle opcode OBJ at byte 28 is not allowed in a checkpoint");
  fails("\x80\x02\x82\x01.", "t.pkl: pickle opcode EXT1 at byte 2 is not allowed in a checkpoint");
  fails("\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(K\x00K\x00))\x89NtR.", "t.pkl: tensor storage must be a storage, got 0 (pickle opcode REDUCE at byte 45)");
  fails("\x80\x02(K\x01tQ.", "t.pkl: persistent id in a pickle that has no storages (pickle opcode BINPERSID at byte 6)");
});

Safety("damaged streams are one line with the opcode and byte", () => {
  fails("\x80\x02X\xff\xff\xff\x7f", "t.pkl: truncated: pickle opcode BINUNICODE at byte 2 needs 2147483647 bytes, 0 left");
  fails("\x80\x02\x8e\xff\xff\xff\xff\xff\xff\xff\xff", "t.pkl: length does not fit in 53 bits (pickle opcode BINBYTES8 at byte 2)");
  fails("\x80\x02R.", "t.pkl: stack is empty (pickle opcode REDUCE at byte 2)");
  fails("\x80\x02h\x05.", "t.pkl: memo key 5 was never stored (pickle opcode BINGET at byte 2)");
  fails("\x80\x02e.", "t.pkl: no MARK before it (pickle opcode APPENDS at byte 2)");
  fails("\x80\x02N", "t.pkl: truncated: pickle ends at byte 3 without STOP");
  fails("\x80\x07N.", "t.pkl: unsupported pickle protocol 7 (pickle opcode PROTO at byte 0)");
  fails("\x80\x02\x8a\xffAAAA", "t.pkl: truncated: pickle opcode LONG1 at byte 2 needs 255 bytes, 4 left");
  fails("\x80\x02\x8b\x00\x00\x01\x00" + "A".repeat(300) + ".", "t.pkl: integer of 65536 bytes is too large (pickle opcode LONG4 at byte 2)");
  fails("\x80\x02K\x01K\x02K\x03s.", "t.pkl: SETITEM on 1, not a dict (pickle opcode SETITEM at byte 8)");
  fails("\x80\x02K\x01K\x02s.", "t.pkl: stack is empty (pickle opcode SETITEM at byte 6)");
});

Safety("a huge memo index allocates nothing", () => {
  assert.equal(read("\x80\x02K\x07r\xff\xff\xff\xff0j\xff\xff\xff\xff."), 7);
});

Safety("deep nesting is a loop, not a recursion: 100,000 nested lists parse", () => {
  const depth = 100_000;
  const v = read("\x80\x02" + "]".repeat(depth) + "a".repeat(depth - 1) + ".") as unknown[];
  let d = 1;
  for (let x = v; x.length; x = x[0] as unknown[]) d++;
  assert.is(d, depth);
});

Safety("the allow-list holds only what globals.ts documents", () => {
  for (const name of ALLOWED_GLOBALS.keys()) {
    assert.ok(/^(collections\.(OrderedDict|Counter)|builtins\.(set|frozenset|bytearray|bytes)|_codecs\.encode|torch\.[A-Za-z0-9_.]+)$/.test(name), name);
  }
  assert.is(findGlobal("torch.cuda", "FloatStorage")?.storageDtype, "float32");
  assert.is(findGlobal("torch.tensor", "_rebuild_from_type_v2")?.name, "torch._tensor._rebuild_from_type_v2");
  assert.is(findGlobal("os", "FloatStorage"), undefined);
});

/** A zip checkpoint around a hand-written data.pkl. */
function checkpoint(pkl: string): Uint8Array {
  return zipSync({ "archive/data.pkl": Buffer.from(pkl, "latin1"), "archive/version": Buffer.from("3\n") }, { level: 0 });
}

Safety("torch.load refuses containers nested deeper than MAX_DEPTH, in one line", () => {
  const depth = torch.MAX_DEPTH + 5;
  const bytes = checkpoint("\x80\x02" + "]".repeat(depth) + "a".repeat(depth - 1) + ".");
  assert.throws(() => torch.loadRaw(bytes, { name: "deep.pth" }), (err: Error) =>
    err instanceof CheckpointError && /^deep\.pth: nested deeper than 1000 levels at '0\.0\.0/.test(err.message) && !err.message.includes("\n"));
});

Safety("shared containers are visited once: [x, x] nested 60 deep loads at once", () => {
  // x0 = [], x(n+1) = [xn, xn]: 2^60 paths, 61 objects.
  let pkl = "\x80\x02]";
  for (let i = 0; i < 60; i++) pkl += "q\x00](h\x00h\x00e";
  const v = torch.loadRaw(checkpoint(pkl + "."), { name: "dag.pth" }) as unknown[];
  assert.ok(v[0] === v[1]);
});

/** A zip checkpoint of one float32 tensor over a one-element storage holding 2.5. */
function expanded(shape: number[], stride: number[]): Uint8Array {
  const ints = (xs: number[]) => "(" + xs.map((x) => "J" + String.fromCharCode(...new Uint8Array(Int32Array.of(x).buffer))).join("") + "t";
  const pkl = "\x80\x02ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x01tQK\x00" +
    ints(shape) + ints(stride) + "\x89NtR.";
  return zipSync({ "archive/data.pkl": Buffer.from(pkl, "latin1"), "archive/data/0": new Uint8Array(Float32Array.of(2.5).buffer), "archive/version": Buffer.from("3\n") }, { level: 0 });
}

Safety("stride-0 views are materialised up to 2^24 elements; beyond, refused before allocating", () => {
  const ok = torch.loadRaw(expanded([1024, 1024], [0, 0])) as torch.RawTensor;
  assert.is(ok.values.length, 1 << 20);
  assert.is(ok.values[(1 << 20) - 1], 2.5);
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => torch.loadRaw(expanded([65536, 65536], [0, 0]), { name: "huge.pth" }), (err: Error) =>
    err instanceof CheckpointError && err.message === "huge.pth: tensor '(root)': view [65536,65536] of 4294967296 elements over a storage of 1 is too large to materialise");
  assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20);
  assert.throws(() => torch.loadRaw(expanded([2, 2], [1, 1]), { name: "past.pth" }), (err: Error) =>
    err.message === "past.pth: tensor '(root)': view [2,2] stride [1,1] offset 0 needs 3 elements, storage 0 has 1");
});

Safety.run();

// The data-driven cases above are read off the fixture manifest; a renamed or lost
// fixture must fail here, not drop its cases silently.
countCheck("the manifest holds all 6 pickles", () => {
  assert.is(Object.keys(manifest.pickles).length, 6);
});
countCheck.run();
