/**
 * src/room/page/widgetRestore.ts against a stand-in for ipywidgets' notebook WidgetManager
 * (@jupyter-widgets/jupyterlab-manager 5.0.x): its restoreWidgets(notebook, { loadKernel,
 * loadNotebook }) swallows a failure (no kernel yet) and sets restoredStatus only when a restore
 * worked; it calls it with both flags as it is made and with the notebook's flag off when its
 * kernel connects. The real manager in a real room: test/browser/roomLesson02.browser.ts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PLUGIN_ID, readSavedWidgetsUntilRestored, savedWidgetsPlugin } from "../../../src/room/page/widgetRestore";

type Options = { loadKernel: boolean; loadNotebook: boolean };

function standIn() {
  return class Manager {
    kernel = false;
    restoredStatus = false;
    calls: Options[] = [];
    async restoreWidgets(_notebook: unknown, options: Options = { loadKernel: true, loadNotebook: true }): Promise<void> {
      this.calls.push(options);
      if (options.loadKernel && !this.kernel) return; // "Kernel not set", swallowed
      this.restoredStatus = true;
    }
  };
}

const kernelOnly = { loadKernel: true, loadNotebook: false };

test("opened before its kernel: the restore at connect reads the saved state too", async () => {
  const Manager = standIn();
  readSavedWidgetsUntilRestored(Manager);
  const m = new Manager();
  await m.restoreWidgets({}); // as the manager is made: no kernel, fails
  m.kernel = true;
  await m.restoreWidgets({}, kernelOnly); // the kernel connects
  assert.equal(m.calls, [{ loadKernel: true, loadNotebook: true }, { loadKernel: true, loadNotebook: true }]);
});

test("once a restore has worked, later ones (a restart's reconnect) ask the kernel only", async () => {
  const Manager = standIn();
  readSavedWidgetsUntilRestored(Manager);
  const m = new Manager();
  m.kernel = true;
  await m.restoreWidgets({});
  await m.restoreWidgets({}, kernelOnly);
  assert.equal(m.calls, [{ loadKernel: true, loadNotebook: true }, kernelOnly]);
});

test("each manager reads its own notebook's state once", async () => {
  const Manager = standIn();
  readSavedWidgetsUntilRestored(Manager);
  const a = new Manager();
  const b = new Manager();
  a.kernel = b.kernel = true;
  await a.restoreWidgets({}, kernelOnly);
  await b.restoreWidgets({}, kernelOnly);
  assert.equal(a.calls, [{ loadKernel: true, loadNotebook: true }]);
  assert.equal(b.calls, [{ loadKernel: true, loadNotebook: true }]);
});

test("the plugin changes the class once however often it is activated", async () => {
  const Manager = standIn();
  const plugin = savedWidgetsPlugin(Manager);
  assert.is(plugin.id, PLUGIN_ID);
  assert.ok(plugin.autoStart);
  plugin.activate();
  plugin.activate();
  const m = new Manager();
  m.kernel = true;
  await m.restoreWidgets({}, kernelOnly);
  assert.equal(m.calls, [{ loadKernel: true, loadNotebook: true }]);
});

test.run();
