import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { ROOT } from "./helpers/cli";

// The public door is the learner's: no tooling in it, and no heavy chart library loaded before a
// chart is drawn. Run in a fresh process: this file shares its
// module cache with the other tests, which load vega through the lessons' charts.
test('importing "stripes" loads no Vega (charts load it when first drawn) and exports no tooling', () => {
  const script = [
    'const api = require("./src/index");',
    'const vega = Object.keys(require.cache).filter((k) => /node_modules[\\\\/]vega/.test(k));',
    'console.log(JSON.stringify({ vega: vega.length, lessons: Object.keys(api.lessons), top: Object.keys(api) }));',
  ].join("\n");
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const { vega, lessons, top } = JSON.parse(r.stdout.trim().split("\n").pop()!);
  assert.is(vega, 0);
  for (const tooling of ["stripSolutions", "hasSolutions", "exerciseNotebook"]) assert.not.ok(lessons.includes(tooling), tooling);
  // Thrown only by the CLI's Jupyter tooling (stripes run / kernel install), not by the learner's API.
  for (const name of ["KernelError", "NotebookError"]) assert.not.ok(top.includes(name), name);
  assert.ok(top.includes("StripesError"));
});

/**
 * The names src/index.ts exports, values and types, read from its syntax (no type-checking of the
 * whole program, which takes seconds): `export { a, b as c } from`, `export * as ns from`,
 * `export const/function/class/…`; an `export * from "…"` is followed into the file it names.
 */
function exportedNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node)) {
      const clause = node.exportClause;
      if (clause === undefined) {
        const spec = (node.moduleSpecifier as ts.StringLiteral).text;
        const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
        const target = ts.resolveModuleName(spec, file, options, ts.sys).resolvedModule?.resolvedFileName;
        if (target === undefined) throw new Error(`${file}: cannot resolve ${spec}`);
        for (const name of exportedNames(target)) if (name !== "default") names.add(name);
      } else if (ts.isNamespaceExport(clause)) names.add(clause.name.text);
      else for (const el of clause.elements) names.add(el.name.text);
    } else if (ts.isVariableStatement(node) && exported(node)) {
      for (const d of node.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (exported(node) && (node as ts.DeclarationStatement).name !== undefined) {
      names.add(((node as ts.DeclarationStatement).name as ts.Identifier).text);
    }
  }
  return names;
}

/**
 * The names the README imports from "stripes": every `import { … } from "stripes"` in its ```ts
 * blocks (over several lines too), and in its inline code (`import { check } from "stripes"`).
 * `type` markers and `as` renames are read as TypeScript reads them; `{ … }` is prose, not a name.
 */
function readmeImports(markdown: string): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  const lineAt = (offset: number) => markdown.slice(0, offset).split("\n").length;
  const scan = (code: string, offset: number) => {
    for (const m of code.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*["']stripes["']/g)) {
      for (const part of m[1].split(",")) {
        const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0].trim();
        // "…" stands for "the names you need" in prose, not for a name
        if (name !== "" && name !== "…" && name !== "...") found.push({ name, line: lineAt(offset + m.index!) });
      }
    }
  };
  const fence = /^```(\w*)[^\n]*\n([\s\S]*?)^```/gm;
  let prose = "";
  let last = 0;
  for (const m of markdown.matchAll(fence)) {
    if (/^(ts|typescript|tsx)$/i.test(m[1])) scan(m[2], m.index! + m[0].indexOf(m[2]));
    prose += markdown.slice(last, m.index!) + " ".repeat(m[0].length); // keeps offsets
    last = m.index! + m[0].length;
  }
  prose += markdown.slice(last);
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) scan(m[1], m.index! + 1);
  return found;
}

test("the reader of the README imports: ts blocks and inline code, several lines, type and as", () => {
  const md = [
    "Use `import { check } from \"stripes\"` here, or `import { … } from \"stripes\"`.",
    "```ts",
    "import {",
    "  Image,",
    "  type Mode, display as show,",
    "} from \"stripes\";",
    "import { other } from \"other\";",
    "```",
    "```sh",
    "import { notTs } from \"stripes\"",
    "```",
  ].join("\n");
  assert.equal(readmeImports(md), [
    { name: "Image", line: 3 },
    { name: "Mode", line: 3 },
    { name: "display", line: 3 },
    { name: "check", line: 1 },
  ]);
});

test('every name the README (and docs/*.md) imports from "stripes" is exported by src/index.ts', () => {
  const exported = exportedNames(join(ROOT, "src", "index.ts"));
  const pages = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const missing: string[] = [];
  for (const page of pages) {
    const imports = readmeImports(readFileSync(join(ROOT, page), "utf8"));
    if (page === "README.md") assert.ok(imports.length > 0, "README.md imports nothing from stripes: the reader found no import lines");
    missing.push(...imports.filter(({ name }) => !exported.has(name)).map(({ name, line }) => `${page}:${line} imports ${name}`));
  }
  assert.equal(missing, []);
  // The reader of index.ts finds each kind of export it has: `export const`, `export { } from`, `export * as`, a type.
  for (const name of ["version", "Image", "transforms", "Mode", "newDisplay"]) assert.ok(exported.has(name), name);
});

test.run();
