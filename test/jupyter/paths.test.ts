/**
 * Jupyter's data path computed without Python, in jupyter_core's order (`jupyter --paths`:
 * JUPYTER_PATH, the user's folder, the environment's prefix, then the system's folders).
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { computedDataPath, listKernelSpecs, systemDataDirs, userDataDir } from "../../src/jupyter/paths";

const test = suite("jupyter paths");

test("JUPYTER_PATH first, then the user's folder, the environment's, the system's", () => {
  const env = { HOME: "/h", JUPYTER_PATH: ["/a", "", "/b"].join(path.delimiter), VIRTUAL_ENV: "/venv" };
  assert.equal(computedDataPath({ env, platform: "linux" }), ["/a", "/b", "/h/.local/share/jupyter", "/venv/share/jupyter", "/usr/local/share/jupyter", "/usr/share/jupyter"]);
  assert.equal(computedDataPath({ env: { ...env, JUPYTER_PREFER_ENV_PATH: "1" }, platform: "linux" }).slice(2, 4), ["/venv/share/jupyter", "/h/.local/share/jupyter"]);
  assert.equal(computedDataPath({ env: { ...env, JUPYTER_PREFER_ENV_PATH: "0" }, platform: "linux" }).slice(2, 4), ["/h/.local/share/jupyter", "/venv/share/jupyter"]);
});

test("the system's folders: fixed, or $XDG_DATA_DIRS's under JUPYTER_PLATFORM_DIRS (platformdirs' site_data_dir)", () => {
  assert.equal(systemDataDirs({ env: {}, platform: "linux" }), ["/usr/local/share/jupyter", "/usr/share/jupyter"]);
  assert.equal(systemDataDirs({ env: { JUPYTER_PLATFORM_DIRS: "1", XDG_DATA_DIRS: "/x:/y" }, platform: "linux" }), ["/x/jupyter", "/y/jupyter"]);
  assert.equal(systemDataDirs({ env: { JUPYTER_PLATFORM_DIRS: "1" }, platform: "linux" }), ["/usr/local/share/jupyter", "/usr/share/jupyter"]);
  assert.equal(systemDataDirs({ env: { JUPYTER_PLATFORM_DIRS: "0", XDG_DATA_DIRS: "/x" }, platform: "linux" }), ["/usr/local/share/jupyter", "/usr/share/jupyter"]);
});

test("the user's folder: JUPYTER_DATA_DIR, XDG_DATA_HOME, or the platform's default", () => {
  assert.is(userDataDir({ env: { HOME: "/h", JUPYTER_DATA_DIR: "/d" }, platform: "linux" }), "/d");
  assert.is(userDataDir({ env: { HOME: "/h", XDG_DATA_HOME: "/x" }, platform: "linux" }), "/x/jupyter");
  assert.is(userDataDir({ env: { HOME: "/h" }, platform: "linux" }), "/h/.local/share/jupyter");
  assert.is(userDataDir({ env: { HOME: "/h" }, platform: "darwin" }), "/h/Library/Jupyter");
});

test("listKernelSpecs: the first folder holding a name wins; folders without kernel.json are not kernels", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "stripes-paths-"));
  try {
    for (const [dir, name] of [["a", "stripes"], ["b", "stripes"], ["b", "tslab"]]) {
      fs.mkdirSync(path.join(root, dir, "kernels", name), { recursive: true });
      fs.writeFileSync(path.join(root, dir, "kernels", name, "kernel.json"), "{}");
    }
    fs.mkdirSync(path.join(root, "b", "kernels", "empty"));
    const found = listKernelSpecs([path.join(root, "a"), path.join(root, "b"), path.join(root, "missing")]);
    assert.equal([...found], [["stripes", path.join(root, "a", "kernels", "stripes")], ["tslab", path.join(root, "b", "kernels", "tslab")]]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
