/**
 * @file Builds the lesson notebooks from their readable sources:
 * notebooks/src/NAME.md → notebooks/NAME.ipynb (nbformat 4.5, the stripes kernel, no outputs).
 *
 *     npx ts-node scripts/build-notebooks.ts           # write every notebook
 *     npx ts-node scripts/build-notebooks.ts --check   # exit 1 if a notebook differs from its source
 *
 * Source format: Markdown. Each ```ts fenced block becomes a code cell; the text between code
 * blocks becomes one markdown cell. An HTML comment on the line before a fence sets that code
 * cell's id and tags, e.g. `<!-- cell: id=eval, tags=parameters -->`; other cells get
 * `NAME-NN` ids. Exercises: a markdown cell for the task, then a code cell tagged `exercise`
 * that ends with its `check(…)` call, written the same way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { serializeNotebook, writeNotebook, type Cell, type Notebook } from "../src/jupyter/nbformat";
import { kernelInfoContent } from "../src/kernelCore/kernelInfo";

/**
 * language_info as the stripes kernels (Node and the room's worker) report it: JupyterLab writes
 * the kernel's into the notebook when it connects, and a notebook that already says the same is
 * not marked modified by merely being opened.
 */
function kernelLanguageInfo(): Record<string, unknown> {
  const tslab = path.dirname(require.resolve("tslab/package.json"));
  const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslab] })) as { version: string };
  return (kernelInfoContent({ version: "", js: false, languageVersion: ts.version, banner: "" }) as { language_info: Record<string, unknown> }).language_info;
}

const ROOT = path.join(__dirname, "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const SOURCES = path.join(NOTEBOOKS, "src");

const DIRECTIVE = /^<!--\s*cell:\s*(.*?)\s*-->$/;

/** One notebook from its Markdown source. */
export function buildNotebook(markdown: string, name: string): Notebook {
  const cells: Cell[] = [];
  let text: string[] = [];
  let code: string[] | undefined;
  let pending: Record<string, string> = {};
  const flushText = () => {
    const source = text.join("\n").trim();
    if (source) cells.push({ id: "", cell_type: "markdown", metadata: {}, source });
    text = [];
  };
  for (const line of markdown.split("\n")) {
    if (code) {
      if (line.trim() === "```") {
        const metadata: Record<string, unknown> = {};
        if (pending.tags) metadata.tags = pending.tags.split(/\s+/).filter(Boolean);
        cells.push({ id: pending.id ?? "", cell_type: "code", metadata, source: code.join("\n"), outputs: [], execution_count: null });
        code = undefined;
        pending = {};
      } else {
        code.push(line);
      }
      continue;
    }
    const directive = DIRECTIVE.exec(line.trim());
    if (directive) {
      pending = Object.fromEntries(directive[1].split(",").map((kv) => kv.split("=").map((s) => s.trim()) as [string, string]));
      continue;
    }
    if (/^```(ts|typescript)\s*$/.test(line.trim())) {
      flushText();
      code = [];
      continue;
    }
    text.push(line);
  }
  if (code) throw new Error(`${name}: a \`\`\`ts block is not closed`);
  flushText();
  cells.forEach((cell, i) => {
    cell.id ||= `${name}-${String(i + 1).padStart(2, "0")}`;
  });
  const ids = cells.map((c) => c.id!);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`${name}: cell id '${dup}' is used twice`);
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "stripes", display_name: "TypeScript (stripes)", language: "typescript" },
      language_info: kernelLanguageInfo(),
    },
    cells,
  };
}

/** Every source's name and the notebook (and its text) it builds to. */
export function buildAll(): { name: string; file: string; notebook: Notebook; text: string }[] {
  return fs
    .readdirSync(SOURCES)
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -3);
      const notebook = buildNotebook(fs.readFileSync(path.join(SOURCES, f), "utf8"), name);
      return { name, file: path.join(NOTEBOOKS, `${name}.ipynb`), notebook, text: serializeNotebook(notebook) };
    });
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const { file, notebook, text } of buildAll()) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current === text) continue;
    if (check) {
      stale++;
      console.error(`${path.relative(ROOT, file)} differs from its source; run: npx ts-node scripts/build-notebooks.ts`);
    } else {
      writeNotebook(file, notebook);
      console.log(`wrote ${path.relative(ROOT, file)}`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
