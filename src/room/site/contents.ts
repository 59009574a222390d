/**
 * @file The contents index JupyterLite's file browser reads for the files a site ships: for
 * every folder under `files/`, `api/contents/<folder>/all.json` (the root's is
 * `api/contents/all.json`), a Jupyter-server contents model of the folder with its entries'
 * models (no content). `jupyter lite build` writes these from Python; a room is built from npm
 * alone, so this writes them, and jupyter-lite.json's `contentsAllJsonFile` points the app at them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { mimeType } from "./mime";

export interface ContentsModel {
  name: string;
  path: string;
  type: "directory" | "notebook" | "file";
  format: "json" | null;
  mimetype: string | null;
  size: number | null;
  created: string;
  last_modified: string;
  writable: boolean;
  content: ContentsModel[] | null;
}

function entryModel(abs: string, rel: string): ContentsModel {
  const stat = fs.statSync(abs);
  const name = path.basename(abs);
  const time = stat.mtime.toISOString();
  const kind: ContentsModel["type"] = stat.isDirectory() ? "directory" : name.endsWith(".ipynb") ? "notebook" : "file";
  return {
    name,
    path: rel,
    type: kind,
    format: null,
    mimetype: kind === "file" ? mimeType(name).split(";")[0] : null,
    size: stat.isDirectory() ? null : stat.size,
    created: time,
    last_modified: time,
    writable: true,
    content: null,
  };
}

/** Writes `<siteDir>/api/contents/…/all.json` for `<siteDir>/files` and each folder in it; returns the folders indexed. */
export function writeContentsIndex(siteDir: string): string[] {
  const filesDir = path.join(siteDir, "files");
  const done: string[] = [];
  const visit = (rel: string) => {
    const abs = path.join(filesDir, ...rel.split("/").filter(Boolean));
    const names = fs.readdirSync(abs).filter((n) => !n.startsWith(".")).sort();
    const folder = entryModel(abs, rel);
    folder.name = rel === "" ? "" : folder.name;
    folder.format = "json";
    folder.content = names.map((n) => entryModel(path.join(abs, n), rel === "" ? n : `${rel}/${n}`));
    const out = path.join(siteDir, "api", "contents", ...rel.split("/").filter(Boolean), "all.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(folder));
    done.push(rel);
    for (const entry of folder.content) if (entry.type === "directory") visit(entry.path);
  };
  visit("");
  return done;
}
