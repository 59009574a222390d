/**
 * @file Which declarations of a failing cell the next cells can still use.
 *
 * The rule: **a name a failing cell imported or declared stays usable when the statement that
 * introduced it ran to completion before the error.** Imports and declarations after the
 * failing statement are dropped, and a name they would have redefined keeps its earlier value
 * and type. Type-only declarations (interfaces, type aliases) have no run-time part and are
 * kept. So `import { check } from "stripes"; check("q1", wrong)` followed by a throw leaves
 * `check` usable in the next cell, and one wrong answer never breaks the cells after it.
 *
 * How: the interpreter records which names the cell's code wrote into the shared scope
 * (`reached`); this file edits the cell's declaration output (a .d.ts text from tslab's
 * converter) to declare the reached names, the type-only ones and the earlier cells' names.
 */
import type * as TS from "typescript";

type Ts = typeof TS;

/** The names a top-level declaration statement introduces (none for an unknown kind). */
function declaredNames(ts: Ts, s: TS.Statement): string[] {
  if (ts.isImportDeclaration(s)) {
    const c = s.importClause;
    if (!c) return [];
    const names = c.name ? [c.name.text] : [];
    const b = c.namedBindings;
    if (b && ts.isNamespaceImport(b)) names.push(b.name.text);
    if (b && ts.isNamedImports(b)) for (const e of b.elements) names.push(e.name.text);
    return names;
  }
  if (ts.isImportEqualsDeclaration(s)) return [s.name.text];
  if (ts.isVariableStatement(s)) {
    const names: string[] = [];
    const visit = (n: TS.BindingName) => {
      if (ts.isIdentifier(n)) names.push(n.text);
      else for (const e of n.elements) if (!ts.isOmittedExpression(e)) visit(e.name);
    };
    for (const d of s.declarationList.declarations) visit(d.name);
    return names;
  }
  if (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) {
    return s.name ? [s.name.text] : [];
  }
  if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) return [s.name.text];
  return [];
}

function statements(ts: Ts, text: string): { names: string[]; text: string }[] {
  const file = ts.createSourceFile("decl.d.ts", text, ts.ScriptTarget.Latest, false);
  return file.statements.map((s) => ({ names: declaredNames(ts, s), text: text.slice(s.getStart(file), s.getEnd()) }));
}

/**
 * The declarations to carry on after a failing cell.
 * @param prevDecl the declarations before the cell
 * @param cellDecl the converter's declarations after the cell (the cell's own merged with prevDecl)
 * @param runtimeNames the names the cell's code would write (its value declarations)
 * @param reached the names it did write before failing
 */
export function keptDeclarations(ts: Ts, prevDecl: string, cellDecl: string, runtimeNames: ReadonlySet<string>, reached: ReadonlySet<string>): string {
  const dropped = new Set([...runtimeNames].filter((n) => !reached.has(n)));
  if (dropped.size === 0) return cellDecl;
  const kept: string[] = [];
  for (const s of statements(ts, cellDecl)) {
    // An import or a declaration names one statement's worth of names; keep it when any ran
    // (a destructuring declaration writes all its names at once).
    if (s.names.length > 0 && s.names.every((n) => dropped.has(n))) continue;
    kept.push(s.text);
  }
  // What the dropped declarations would have replaced comes back, with its earlier type.
  for (const s of statements(ts, prevDecl)) {
    if (s.names.length > 0 && s.names.some((n) => dropped.has(n))) kept.push(s.text);
  }
  return kept.join("\n") + "\n";
}
