/**
 * The README is a map into docs/: every relative link in README.md and docs/*.md must reach a file
 * of the repository, and a `#fragment` a heading of that file (as GitHub makes heading anchors),
 * so that moving a section never leaves a link pointing nowhere.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ROOT } from "./helpers/cli";

/** Markdown without its fenced code blocks and inline code, where `[a](b)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of `[text](target)` and `![alt](target)` links, titles dropped. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
}

/**
 * GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, spaces, `-` and
 * `_` kept), each space a `-`; a repeated heading gets `-1`, `-2`, … after it.
 */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const withoutCode = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Each relative link of `file` (a path under the repository) that reaches nothing, as a line. */
function brokenLinks(file: string, markdown: string, exists: (path: string) => boolean, read: (path: string) => string): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not a file of the repository
    const [path, fragment] = target.split("#", 2);
    const resolved = path === "" ? file : join(dirname(file), decodeURIComponent(path));
    if (relative(".", resolved).startsWith("..") || !exists(resolved)) {
      broken.push(`${file}: ${target}: no such file`);
    } else if (fragment !== undefined && resolved.endsWith(".md") && !anchors(read(resolved)).has(fragment)) {
      broken.push(`${file}: ${target}: no heading #${fragment} there`);
    }
  }
  return broken;
}

test("the link reader: files, fragments, images, titles; code and absolute URLs are not links", () => {
  const files: Record<string, string> = {
    "README.md": "# Top\n\n## Set up: `npm test`\n\n## Set up: `npm test`\n",
    "docs/a.md": "# A page\n",
    "docs/pic.png": "",
  };
  const md = [
    "[home](../README.md) [up](../README.md#set-up-npm-test) [again](../README.md#set-up-npm-test-1)",
    "![pic](pic.png \"a title\") [self](#a-page) [web](https://example.org/x.md)",
    "[gone](missing.md) [no heading](../README.md#nowhere) [outside](../../etc/passwd)",
    "`[in code](nothing.md)`",
    "```md\n[in a block](nothing.md)\n```",
  ].join("\n");
  const broken = brokenLinks("docs/a.md", md, (p) => p in files, (p) => files[p]);
  assert.equal(broken, [
    "docs/a.md: missing.md: no such file",
    "docs/a.md: ../README.md#nowhere: no heading #nowhere there",
    "docs/a.md: ../../etc/passwd: no such file",
  ]);
});

test("every relative link in README.md and docs/*.md reaches a file (and a heading) of the repository", () => {
  const pages = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  assert.ok(pages.length > 1, "no docs/*.md pages found");
  const exists = (p: string) => existsSync(join(ROOT, p)) && (statSync(join(ROOT, p)).isFile() || statSync(join(ROOT, p)).isDirectory());
  const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
  const broken = pages.flatMap((page) => brokenLinks(page, read(page), exists, read));
  assert.equal(broken, []);
  // The README links every docs page, so none is an orphan a reader cannot reach.
  const linked = new Set(linkTargets(read("README.md")).map((t) => t.split("#")[0]));
  assert.equal(pages.filter((p) => p !== "README.md" && !linked.has(p)), []);
});

test.run();
