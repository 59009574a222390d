/**
 * @file A front-end plugin that lets a notebook's saved widgets show after a page reload in the room.
 *
 * ipywidgets' notebook widget manager (@jupyter-widgets/jupyterlab-manager 5.0.x) reads the widget
 * state saved in a notebook's metadata in one place only: the restore it starts as it is made, when
 * the notebook opens. That restore first asks the kernel for its live widgets and gives up silently
 * when there is no kernel yet, which is always the case in the room (the kernel starts once its
 * worker has loaded). When the kernel then connects, the manager restores from the kernel alone, so
 * the saved views stay "model not found". Here the manager's restore reads the notebook too until
 * one restore has succeeded: the first one after the kernel connects loads the kernel's live widgets
 * and then the saved ones whose ids the kernel does not hold (the manager's own filter), so a
 * notebook reopened on a live kernel still shows the kernel's state. Later reconnects (a restart)
 * keep the manager's rule of asking the kernel only.
 *
 * The manager class is handed in by the room app's entry (scripts/build-room-app.js), which bundles
 * the widgets package; the library itself does not depend on it, hence the structural type below.
 */

/** What this plugin uses of ipywidgets' notebook widget manager (its public `restoreWidgets`). */
export interface NotebookWidgetManager {
  restoreWidgets(notebook: unknown, options?: { loadKernel: boolean; loadNotebook: boolean }): Promise<void>;
  readonly restoredStatus: boolean;
}

/** The manager's class, as @jupyter-widgets/jupyterlab-manager exports it (`WidgetManager`). */
export interface NotebookWidgetManagerClass {
  prototype: NotebookWidgetManager;
}

export const PLUGIN_ID = "stripes-gan:saved-widgets";

/** Marks a manager class already changed, so a second activation does not wrap its restore twice. */
const patched = Symbol("stripes-gan:reads-saved-widgets");

/** Makes `managerClass`'s restore read the saved state until a restore has worked, once per class. */
export function readSavedWidgetsUntilRestored(managerClass: NotebookWidgetManagerClass): void {
  const proto = managerClass.prototype as NotebookWidgetManager & { [patched]?: true };
  if (proto[patched]) return;
  proto[patched] = true;
  const restore = proto.restoreWidgets;
  const restoredOnce = new WeakSet<object>();
  proto.restoreWidgets = async function (this: NotebookWidgetManager, notebook, options = { loadKernel: true, loadNotebook: true }) {
    if (restoredOnce.has(this)) return restore.call(this, notebook, options);
    await restore.call(this, notebook, { ...options, loadNotebook: true });
    // The manager swallows a failed restore; its status says whether this one worked.
    if (this.restoredStatus) restoredOnce.add(this);
  };
}

/** The plugin, for the room app's plugin list (switch it off by id to get upstream's behaviour). */
export function savedWidgetsPlugin(managerClass: NotebookWidgetManagerClass) {
  return {
    id: PLUGIN_ID,
    description: "Shows a notebook's saved widgets when its kernel connects after the notebook opened",
    autoStart: true,
    activate: (): void => readSavedWidgetsUntilRestored(managerClass),
  };
}
