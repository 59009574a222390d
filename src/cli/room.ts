/**
 * @file `stripes-gan room build|serve`: the lessons as a static site (JupyterLite's JupyterLab
 * with the stripes kernel in the browser), and a small server for it that sends the headers a
 * cross-origin isolated page needs. The implementations load only when a subcommand runs.
 *
 *   room serve [dir] [--port N] [--host H]   serve a built site (default ./stripes-room, 0.0.0.0:8000)
 *   room build [-o dir]                      write the site (default ./stripes-room)
 */
import type { Command } from "commander";
import { DEFAULT_SITE_DIR } from "../room/site/siteDir";

export function register(program: Command): void {
  const room = program.command("room").description("the lessons as a website that runs in the browser: build it, serve it");

  room
    .command("serve")
    .description("serve a built room (cross-origin isolated) and print its URLs")
    .argument("[dir]", "the site folder", DEFAULT_SITE_DIR)
    .option("--port <n>", "the port (0: any free one)", "8000")
    .option("--host <h>", "the address to listen on (0.0.0.0: every interface)", "0.0.0.0")
    .action(async (dir: string, opts: { port: string; host: string }) => {
      const { serveRoom, parsePort } = await import("../room/site/serve");
      const { roomUrls, LAN_CAVEAT } = await import("../room/site/addresses");
      const served = await serveRoom(dir, { port: parsePort(opts.port), host: opts.host });
      const { local, lan } = roomUrls(served.host, served.port);
      const out = [`serving ${dir} (Ctrl+C stops)`, `  local:  ${local}`, ...lan.map((u) => `  LAN:    ${u}`)];
      if (lan.length > 0 || !/^(127\.|localhost$|::1$)/.test(served.host)) out.push("", LAN_CAVEAT);
      process.stdout.write(out.join("\n") + "\n");
    });

  room
    .command("build")
    .description("write the room: JupyterLite's JupyterLab, the lessons, their data (and the article's files when this machine has them)")
    .option("-o, --out <dir>", "the site folder (replaced only if it is an earlier room)", DEFAULT_SITE_DIR)
    .action(async (opts: { out: string }) => {
      const { buildRoom } = await import("../room/site/build");
      const { ensureApp, ensureKernel } = await import("../room/site/app");
      const say = (line: string) => process.stderr.write(line + "\n");
      const appDir = ensureApp(say);
      const kernel = ensureKernel(say);
      const result = buildRoom({ out: opts.out, appDir, kernel, say });
      const cached = `${result.precache.files} files, ${(result.precache.bytes / 1e6).toFixed(1)} MB`;
      process.stdout.write(`${result.out}: ${result.notebooks.length} lessons, offline after the first visit (its service worker precaches ${cached}); serve it with: stripes-gan room serve ${result.out}\n`);
    });
}
