/**
 * @file PLACEHOLDER, owned by the room's worker side: the JupyterLite front-end plugin that
 * registers the "stripes" kernel (its `BaseKernel` on the page, the runtime in a Web Worker).
 * scripts/build-room-app.js bundles this module into the room's app and registers whatever it
 * exports by default: one JupyterLab plugin or a list of them (`{ id, autoStart, requires,
 * activate }`). Until the real one lands it exports none, so a room opens its notebooks with
 * no kernel.
 */
export interface RoomPagePlugin {
  id: string;
  autoStart?: boolean;
  requires?: unknown[];
  activate: (...args: never[]) => unknown;
}

const plugins: RoomPagePlugin[] = [];
export default plugins;
