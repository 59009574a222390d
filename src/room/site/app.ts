/**
 * @file The prebuilt JupyterLite app a room copies. A packed stripes-gan ships it (prepack runs
 * scripts/build-room-app.js); in a clone it is built on first use, which takes minutes and needs
 * the build's own npm packages (scripts/room-app/), so the teacher is told before it starts.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { RoomError } from "../errors";
import { APP_DIR, KERNEL_BUILD_DIR, KERNEL_FILES, LIBRARY_BUILD_DIR, LIBRARY_FILES, PACKAGE_ROOT } from "./build";

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

/**
 * The kernel's worker files and the library's browser bundle a site's stripes/ gets, each built
 * first when missing in a clone (scripts/build-room-kernel.js, scripts/build-browser.js; seconds).
 */
export function ensureKernel(say: (line: string) => void): { kernelDir: string; libraryDir: string } {
  const parts = [
    { dir: KERNEL_BUILD_DIR, files: KERNEL_FILES, script: "build-room-kernel.js", what: "the kernel's worker" },
    { dir: LIBRARY_BUILD_DIR, files: LIBRARY_FILES, script: "build-browser.js", what: "the library's browser bundle" },
  ];
  for (const { dir, files, script, what } of parts) {
    if (files.every((f) => fs.existsSync(path.join(dir, f)))) continue;
    const file = path.join(PACKAGE_ROOT, "scripts", script);
    if (!fs.existsSync(file)) throw new RoomError(`${dir}: this copy of stripes-gan has no ${what} for a room (reinstall it)`);
    say(`no ${what} in ${path.relative(process.cwd(), dir) || dir} yet: building it (scripts/${script})…`);
    const r = spawnSync(process.execPath, [file], { cwd: PACKAGE_ROOT, stdio: ["ignore", "inherit", "inherit"] });
    const missing = files.filter((f) => !fs.existsSync(path.join(dir, f)));
    if (r.status !== 0 || missing.length > 0) throw new RoomError(`scripts/${script} failed (exit ${r.status ?? r.signal}; missing ${missing.join(", ")}); its output is above`);
  }
  return { kernelDir: KERNEL_BUILD_DIR, libraryDir: LIBRARY_BUILD_DIR };
}
