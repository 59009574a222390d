/**
 * @file The prebuilt JupyterLite app a room copies. A packed stripes-gan ships it (prepack runs
 * scripts/build-room-app.js); in a clone it is built on first use, which takes minutes and needs
 * the build's own npm packages (scripts/room-app/), so the teacher is told before it starts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { RoomError } from "../errors";
import { APP_DIR, PACKAGE_ROOT } from "./build";

const BUILD_SCRIPT = path.join(PACKAGE_ROOT, "scripts", "build-room-app.js");

/** The app folder, built first when missing and this is a clone; a one-line error otherwise. */
export function ensureApp(say: (line: string) => void, appDir = APP_DIR): string {
  if (fs.existsSync(path.join(appDir, "lab", "index.html"))) return appDir;
  if (!fs.existsSync(BUILD_SCRIPT)) throw new RoomError(`${appDir}: this copy of stripes-gan has no room app (reinstall it)`);
  say(`no room app in ${path.relative(process.cwd(), appDir) || appDir} yet: building it once from npm packages (a few minutes)…`);
  const r = spawnSync(process.execPath, [BUILD_SCRIPT], { cwd: PACKAGE_ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0 || !fs.existsSync(path.join(appDir, "lab", "index.html"))) {
    throw new RoomError(`scripts/build-room-app.js failed (exit ${r.status ?? r.signal}); its output is above`);
  }
  return appDir;
}
