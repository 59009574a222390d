/**
 * The browser bundle swaps each `src/…/X.ts` for its `X.browser.ts` twin (scripts/build-browser.js),
 * so a twin must export what its Node file exports, or the bundle breaks only in a browser. This
 * reads both files' exported names with TypeScript's parser and compares them.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as ts from "typescript";

const SRC = join(__dirname, "..", "..", "src");

function twins(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? twins(join(dir, e.name)) : e.name.endsWith(".browser.ts") ? [join(dir, e.name)] : [],
  );
}

/** Names a module exports (declarations, `export { … }` lists, `export *` sources as "* from …"). */
function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  for (const node of source.statements) {
    const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isExportDeclaration(node)) {
      if (node.exportClause && ts.isNamedExports(node.exportClause)) node.exportClause.elements.forEach((e) => names.add(e.name.text));
      else if (node.moduleSpecifier) names.add(`* from ${(node.moduleSpecifier as ts.StringLiteral).text}`);
    } else if (exported && ts.isVariableStatement(node)) {
      node.declarationList.declarations.forEach((d) => ts.isIdentifier(d.name) && names.add(d.name.text));
    } else if (exported && (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node)) && node.name) {
      names.add(node.name.text);
    }
  }
  return [...names].sort();
}

const found = twins(SRC);

test("the twins are found (platform/ and backend/ have them)", () => {
  const rel = found.map((f) => relative(SRC, f).split("\\").join("/"));
  assert.ok(rel.includes("platform/imageCodec.browser.ts"), JSON.stringify(rel));
  assert.ok(rel.includes("backend/environment.browser.ts"), JSON.stringify(rel));
});

test("each X.browser.ts has its X.ts, and exports what X.ts exports", () => {
  const bad: string[] = [];
  for (const twin of found) {
    const node = twin.replace(/\.browser\.ts$/, ".ts");
    if (!existsSync(node)) {
      bad.push(`${relative(SRC, twin)}: no ${relative(SRC, node)} beside it`);
      continue;
    }
    const missing = exportedNames(node).filter((n) => !exportedNames(twin).includes(n));
    if (missing.length > 0) bad.push(`${relative(SRC, twin)} lacks ${missing.join(", ")}`);
  }
  assert.equal(bad, []);
});

test("the reader sees a missing export (on a made-up pair)", () => {
  const dir = mkdtempSync(join(tmpdir(), "twins-"));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  write("a.ts", "export function f() {}\nexport const g = 1;\nexport type T = number;\nexport { h } from './h';\n");
  write("a.browser.ts", "export function f() {}\nexport type T = number;\n");
  assert.equal(exportedNames(join(dir, "a.ts")), ["T", "f", "g", "h"]);
  assert.equal(exportedNames(join(dir, "a.ts")).filter((n) => !exportedNames(join(dir, "a.browser.ts")).includes(n)), ["g", "h"]);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
