/**
 * Saved widget state, end to end on the stripes kernel. Real nbclient (what `jupyter nbconvert
 * --execute` runs; Debian's python3-nbclient) saves the widgets' state into the notebook from our
 * comm messages: the slider's latest value, the Image's bytes as a base64 buffer, and the Output
 * widget's captured print (nbclient plays the front end for Output widgets). `stripes run`
 * (executeNotebook) on the same cells must save the same. The kernelspec is written to a temporary
 * folder on JUPYTER_PATH, never to the user's or the system's. Where /usr/bin/python3 has no
 * nbclient that test says it skipped and why; the `stripes run` one always runs.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stripesKernelArgv } from "../../src/jupyter/client";
import { executeNotebook } from "../../src/jupyter/run";

const ROOT = path.join(__dirname, "..", "..");
const PYTHON = "/usr/bin/python3";

const RUN = `
import json, sys, nbformat
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook()
nb.metadata.kernelspec = {"name": "stripes-test", "display_name": "TypeScript (stripes)", "language": "typescript"}
nb.cells = [nbformat.v4.new_code_cell(c) for c in json.loads(sys.argv[2])]
NotebookClient(nb, kernel_name="stripes-test", timeout=120, resources={"metadata": {"path": sys.argv[1]}}).execute()
print(json.dumps(nb))
`;

const CELLS = [
  'import { widgets, interact } from "stripes";\nconst n = new widgets.IntSlider({ value: 3, max: 10, description: "n" });\nn',
  "n.value = 7;\nconst img = new widgets.Image({ value: new Uint8Array([1, 2, 3]) });\ninteract(({ k }) => console.log(`k is ${k}`), { k: n });",
];

function hasNbclient(): boolean {
  return spawnSync(PYTHON, ["-c", "import nbclient, nbformat"], { encoding: "utf8" }).status === 0;
}

/** What both runners must have saved from CELLS. */
function checkSaved(nb: any, who: string): void {
  const saved = nb.metadata.widgets?.["application/vnd.jupyter.widget-state+json"];
  assert.ok(saved, `${who}: no metadata.widgets`);
  assert.equal([saved.version_major, saved.version_minor], [2, 0]);
  const models = Object.values(saved.state) as any[];
  assert.equal(models.map((m) => m.model_name).sort(), ["ImageModel", "IntSliderModel", "LayoutModel", "LayoutModel", "LayoutModel", "LayoutModel", "OutputModel", "SliderStyleModel", "VBoxModel"], who);
  const byName = (name: string) => models.find((m) => m.model_name === name);
  assert.is(byName("IntSliderModel").state.value, 7, who);
  assert.equal(byName("ImageModel").buffers, [{ data: Buffer.from([1, 2, 3]).toString("base64"), encoding: "base64", path: ["value"] }], who);
  assert.equal(byName("OutputModel").state.outputs, [{ output_type: "stream", name: "stdout", text: "k is 7\n" }], who);
  assert.is(byName("OutputModel").state.msg_id, "", who);
  // the cells show the views; the captured print is in the widget, not in the cell
  const view = (o: any) => o.data?.["application/vnd.jupyter.widget-view+json"]?.model_id;
  assert.equal(nb.cells.map((c: any) => c.outputs.map((o: any) => o.output_type)), [["execute_result"], ["display_data"]], who);
  assert.is(saved.state[view(nb.cells[0].outputs[0])]?.model_name, "IntSliderModel", who);
  assert.is(saved.state[view(nb.cells[1].outputs[0])]?.model_name, "VBoxModel", who);
}

function scratch(prefix: string): string {
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  return fs.mkdtempSync(path.join(ROOT, ".cache", prefix)); // under the repo: "stripes" resolves
}

const N = suite("saved widget state on the stripes kernel");

N("stripes run: metadata.widgets holds the slider at 7, the image bytes, and the print interact's Output captured", async () => {
  const dir = scratch("test-run-widgets-");
  try {
    const input = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "stripes", display_name: "TypeScript (stripes)" } },
      cells: CELLS.map((source, i) => ({ id: `c${i}`, cell_type: "code" as const, metadata: {}, source, outputs: [], execution_count: null })),
    };
    const { FORCE_COLOR: _, ...env } = process.env;
    checkSaved(await executeNotebook(input, dir, { env }), "stripes run");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

N("nbclient: the same", () => {
  if (!hasNbclient()) {
    console.log(`  SKIPPED: ${PYTHON} cannot import nbclient and nbformat (apt-get install python3-nbclient)`);
    return;
  }
  const dir = scratch("test-nbclient-");
  try {
    fs.mkdirSync(path.join(dir, "kernels", "stripes-test"), { recursive: true });
    const argv = stripesKernelArgv();
    fs.writeFileSync(path.join(dir, "kernels", "stripes-test", "kernel.json"), JSON.stringify({ argv, display_name: "TypeScript (stripes)", language: "typescript" }));
    const { FORCE_COLOR: _, ...env } = process.env;
    const r = spawnSync(PYTHON, ["-c", RUN, dir, JSON.stringify(CELLS)], { encoding: "utf8", env: { ...env, JUPYTER_PATH: dir }, timeout: 240_000 });
    assert.is(r.status, 0, `nbclient failed: ${r.stderr.slice(-2000)}`);
    checkSaved(JSON.parse(r.stdout), "nbclient");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

N.run();
