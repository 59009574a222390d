/**
 * Real nbclient (what `jupyter nbconvert --execute` runs; Debian's python3-nbclient) on the stripes
 * kernel saves the widgets' state into the notebook from our comm messages: the slider's latest
 * value, the Image's bytes as a base64 buffer, and the Output widget's captured print (nbclient
 * plays the front end for Output widgets). The kernelspec is written to a temporary folder on
 * JUPYTER_PATH, never to the user's or the system's. Where /usr/bin/python3 has no nbclient the
 * test says it skipped and why.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stripesKernelArgv } from "../../src/jupyter/client";

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

const N = suite("nbclient saves the stripes kernel's widget state");

N("metadata.widgets holds the slider at 7, the image bytes, and the print interact's Output captured", () => {
  if (!hasNbclient()) {
    console.log(`  SKIPPED: ${PYTHON} cannot import nbclient and nbformat (apt-get install python3-nbclient)`);
    return;
  }
  fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, ".cache", "test-nbclient-")); // under the repo: "stripes" resolves
  try {
    fs.mkdirSync(path.join(dir, "kernels", "stripes-test"), { recursive: true });
    const argv = stripesKernelArgv();
    fs.writeFileSync(path.join(dir, "kernels", "stripes-test", "kernel.json"), JSON.stringify({ argv, display_name: "TypeScript (stripes)", language: "typescript" }));
    const { FORCE_COLOR: _, ...env } = process.env;
    const r = spawnSync(PYTHON, ["-c", RUN, dir, JSON.stringify(CELLS)], { encoding: "utf8", env: { ...env, JUPYTER_PATH: dir }, timeout: 240_000 });
    assert.is(r.status, 0, `nbclient failed: ${r.stderr.slice(-2000)}`);
    const nb = JSON.parse(r.stdout);
    const saved = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"];
    assert.equal([saved.version_major, saved.version_minor], [2, 0]);
    const models = Object.values(saved.state) as any[];
    assert.equal(models.map((m) => m.model_name).sort(), ["ImageModel", "IntSliderModel", "LayoutModel", "LayoutModel", "LayoutModel", "LayoutModel", "OutputModel", "SliderStyleModel", "VBoxModel"]);
    const byName = (name: string) => models.find((m) => m.model_name === name);
    assert.is(byName("IntSliderModel").state.value, 7);
    assert.equal(byName("ImageModel").buffers, [{ data: Buffer.from([1, 2, 3]).toString("base64"), encoding: "base64", path: ["value"] }]);
    assert.equal(byName("OutputModel").state.outputs, [{ output_type: "stream", name: "stdout", text: "k is 7\n" }]);
    assert.is(byName("OutputModel").state.msg_id, "");
    // the cells show the views; the captured print is in the widget, not in the cell
    const view = (o: any) => o.data?.["application/vnd.jupyter.widget-view+json"]?.model_id;
    assert.equal(nb.cells.map((c: any) => c.outputs.map((o: any) => o.output_type)), [["execute_result"], ["display_data"]]);
    assert.ok(saved.state[view(nb.cells[0].outputs[0])]?.model_name === "IntSliderModel");
    assert.ok(saved.state[view(nb.cells[1].outputs[0])]?.model_name === "VBoxModel");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

N.run();
