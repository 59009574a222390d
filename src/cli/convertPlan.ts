/**
 * @file What `stripes-gan convert` will write where: inputs (files and folders, searched
 * recursively for images by extension) paired with output paths.
 *
 * One file in → `-o` is the output file (its extension picks the format). Several inputs, a
 * folder, or an existing folder as `-o` → `-o` is a folder; each image keeps its path relative to the folder it was found in
 * (a file given by name keeps its base name), with the extension `.png`.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { CliError } from "./errors";

/** Extensions searched for in folders (sharp decodes them all). */
export const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif"];
/** Extensions an output file may have (the formats Image.save writes). */
export const OUTPUT_EXTENSIONS = [".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".gif"];

export interface Job {
  input: string;
  output: string;
}

export interface Plan {
  jobs: Job[];
  /** Inputs that could not be used (missing, unreadable), as one-line messages. */
  problems: string[];
  /** True when `-o` names a folder. */
  toFolder: boolean;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const isImage = (file: string) => IMAGE_EXTENSIONS.includes(extname(file).toLowerCase());

/** Every image under `dir`, sorted, as paths relative to `dir`. */
function walk(dir: string, under = ""): string[] {
  const found: string[] = [];
  const entries = readdirSync(join(dir, under), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const rel = join(under, entry.name);
    if (entry.isDirectory()) found.push(...walk(dir, rel));
    else if (entry.isFile() && isImage(entry.name)) found.push(rel);
  }
  return found;
}

/**
 * Why `dir` cannot be (made) a folder, or null: the nearest part of it that exists must be a
 * folder (`-o /dev/null/g.png`: /dev/null is not a folder, whatever mkdir's EEXIST says).
 */
export function folderProblem(dir: string, output: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR") continue; // a file further up: found on the way
      if (code !== "ENOENT") return fsProblem(d, err as NodeJS.ErrnoException);
      if (dirname(d) === d) return null;
      continue;
    }
    if (!isDir) return `${d}: is not a folder, so ${output} cannot be written inside it`;
    return null;
  }
}

function fsProblem(path: string, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT") return `${path}: no such file or folder`;
  if (err.code === "EACCES") return `${path}: permission denied`;
  return `${path}: ${err.message}`;
}

export function planConvert(inputs: string[], output: string): Plan {
  const problems: string[] = [];
  const found: { input: string; rel: string }[] = [];
  let sawFolder = false;
  for (const input of inputs) {
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch (err) {
      problems.push(fsProblem(input, err as NodeJS.ErrnoException));
      continue;
    }
    if (!isDir) {
      found.push({ input, rel: basename(input) });
      continue;
    }
    sawFolder = true;
    try {
      const images = walk(input);
      if (images.length === 0) problems.push(`${input}: no images in this folder (looked for ${IMAGE_EXTENSIONS.join(" ")})`);
      for (const rel of images) found.push({ input: join(input, rel), rel });
    } catch (err) {
      problems.push(fsProblem(input, err as NodeJS.ErrnoException));
    }
  }

  // An existing folder as -o takes even a single photo (`convert a.jpg -o out/`).
  const outputIsFolder = isFolder(output);
  const toFolder = inputs.length > 1 || sawFolder || outputIsFolder;
  if (toFolder && !outputIsFolder && existsSync(output)) {
    throw new CliError(`${output}: is a file, but several inputs need an output folder`);
  }
  const outFolder = toFolder ? output : dirname(resolve(output)) === resolve(output) ? output : dirname(output);
  const problem = folderProblem(outFolder, output);
  if (problem !== null) throw new CliError(problem);
  if (!toFolder) {
    if (!OUTPUT_EXTENSIONS.includes(extname(output).toLowerCase())) {
      throw new CliError(
        `${output}: unknown output format '${extname(output) || "(no extension)"}' (use ${OUTPUT_EXTENSIONS.join(", ")}, ` +
          `or give a folder input to write a folder)`,
      );
    }
    return { jobs: found.map(({ input }) => ({ input, output })), problems, toFolder };
  }
  const jobs: Job[] = [];
  const byOutput = new Map<string, string>();
  for (const { input, rel } of found) {
    const out = join(output, rel.slice(0, rel.length - extname(rel).length) + ".png");
    const other = byOutput.get(out);
    if (other !== undefined) {
      problems.push(`${input}: would be written to ${relative(".", out)}, as ${other} is`);
      continue;
    }
    byOutput.set(out, input);
    jobs.push({ input, output: out });
  }
  return { jobs, problems, toFolder };
}
