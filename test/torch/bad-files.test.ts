/**
 * @file The bad-file corpus (test/fixtures/torch/bad/, written by scripts/fixtures/torch.py):
 * each file with the exact one-line message stripes gives, as netron's test/models.json does.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, rmSync } from "node:fs";
import * as torch from "../../src/torch";
import { fixturePath } from "../helpers/fixtures";
import { manifest } from "./expected";

const refused = (name: string, global: string) => `${name}: refusing global ${global}: not allowed in a checkpoint`;

export const CORPUS: [file: string, message: string][] = [
  // Code execution: every payload `touch`es a marker when plain pickle loads it (payload_runs).
  ["os-system.legacy.pth", refused("os-system.legacy.pth", "posix.system")], // GLOBAL + REDUCE
  ["os-system.zip.pth", refused("os-system.zip.pth", "posix.system")],
  ["eval-stack-global.zip.pth", refused("eval-stack-global.zip.pth", "builtins.eval")], // protocol 4 STACK_GLOBAL
  ["inst.legacy.pth", refused("inst.legacy.pth", "os.system")], // INST
  ["obj.legacy.pth", refused("obj.legacy.pth", "os.system")], // GLOBAL + OBJ
  ["hidden-in-tensor.zip.pth", refused("hidden-in-tensor.zip.pth", "posix.system")], // inside _rebuild_tensor_v2's arguments
  // torch.save(model): not code execution here, but classes all the same.
  ["whole-model.zip.pth", refused("whole-model.zip.pth", "torch.nn.modules.container.Sequential") + " (a whole pickled model: save its state_dict() instead)"],
  // Damaged or foreign files.
  ["truncated.legacy.pth", "truncated.legacy.pth: truncated: storage 140000000064 needs 8 bytes at byte 449, 3 left"],
  ["truncated-pickle.legacy.pth", "truncated-pickle.legacy.pth: truncated: pickle opcode BINUNICODE at byte 53 needs 13 bytes, 2 left"],
  ["truncated.zip.pth", "truncated.zip.pth: truncated or corrupt zip archive: no end-of-central-directory record"],
  ["corrupt.zip.pth", "corrupt.zip.pth: truncated or corrupt zip archive: no end-of-central-directory record"],
  ["corrupt-directory.zip.pth", "corrupt-directory.zip.pth: corrupt zip archive: a record without a name (the central directory is damaged)"],
  ["wrong-magic.legacy.pth", "wrong-magic.legacy.pth: invalid magic number 0x1950a86a20f9469cfc6d (expected 0x1950a86a20f9469cfc6c)"],
  ["wrong-protocol.legacy.pth", "wrong-protocol.legacy.pth: invalid protocol version 1000 (expected 1001)"],
  ["big-endian.legacy.pth", "big-endian.legacy.pth: big-endian checkpoints are not supported"],
  ["big-endian.zip.pth", "big-endian.zip.pth: big-endian checkpoints are not supported"],
  ["not-a-checkpoint.pth", "not-a-checkpoint.pth: not a PyTorch checkpoint (neither a zip archive nor a legacy pickle)"],
  ["plain-pickle.pth", "plain-pickle.pth: not a PyTorch checkpoint (a pickle of a dict, not torch.save's magic number)"],
  ["empty.pth", "empty.pth: empty file, not a PyTorch checkpoint"],
  ["no-data-pkl.zip.pth", "no-data-pkl.zip.pth: the zip archive has no archive/data.pkl: not a PyTorch checkpoint"],
  ["missing-storage.zip.pth", "missing-storage.zip.pth: storage record views.zip/data/0 is missing (pickle opcode BINPERSID at byte 141 of views.zip/data.pkl)"],
  ["future-version.zip.pth", "future-version.zip.pth: unsupported checkpoint version '99' (this reader knows 1 to 10)"],
  ["unknown-opcode.legacy.pth", "unknown-opcode.legacy.pth: unknown pickle opcode 0xff at byte 139"],
  ["tar-format.pth", "tar-format.pth: a tar-format checkpoint (PyTorch before 0.1.10) is not supported"],
  ["torchscript.zip.pth", "torchscript.zip.pth: a TorchScript archive (torch.jit.save), not a torch.save checkpoint"],
];

test("the corpus table lists every file in test/fixtures/torch/bad", () => {
  assert.equal(CORPUS.map(([f]) => f).sort(), readdirSync(fixturePath("torch", "bad")).sort());
});

test("every payload really runs under plain pickle (so refusing it means something)", () => {
  const payloads = Object.keys(manifest.payload_runs).sort();
  assert.equal(payloads, CORPUS.filter(([f, m]) => m.includes("refusing global") && f !== "whole-model.zip.pth").map(([f]) => f).sort());
  for (const f of payloads) assert.ok(manifest.payload_runs[f], f);
});

for (const [file, message] of CORPUS) {
  test(`${file}: ${message.slice(file.length + 2)}`, () => {
    rmSync(manifest.marker, { force: true });
    for (const read of [torch.loadRaw, torch.load]) {
      try {
        read(fixturePath("torch", "bad", file));
        assert.unreachable("loaded");
      } catch (err) {
        assert.instance(err, torch.CheckpointError);
        assert.is((err as Error).message, message);
        assert.not.match((err as Error).message, /\n/);
      }
    }
    assert.not.ok(existsSync(manifest.marker), "the payload did not run");
  });
}

test.run();
