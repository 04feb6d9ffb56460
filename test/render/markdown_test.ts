import assert from "node:assert/strict";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { diffSessions } from "../../src/diff/diff_tree.ts";
import type { Frame } from "../../src/format/types.ts";
import { renderDiffMarkdown, renderMarkdown } from "../../src/render/markdown.ts";
import { renderCheck } from "../../src/render/check_report.ts";
import { test } from "../harness.ts";
import { sessionOfCounts } from "../_helpers.ts";

/** The HTML GitHub would make of `md`: CommonMark with GFM (tables, autolinks, strikethrough). */
const toHtml = (md: string) => micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
const fr = (name: string, file = "/app/src/app.ts", line = 1): Frame => ({ name, file, line, col: 1, kind: "js" });
const bytes = (s: string) => new TextEncoder().encode(s).length;

const session = (stacks: readonly [readonly Frame[], number][]) => sessionOfCounts(stacks, { command: ["app.ts"] });

/** Every table's rows have as many cells as its header: no `|` in a name broke one. */
function checkTables(html: string): number {
  const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
  for (const t of tables) {
    const head = (t.match(/<th[ >]/g) ?? []).length;
    for (const row of t.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1)) assert.equal((row.match(/<td[ >]/g) ?? []).length, head, row);
  }
  return tables.length;
}

test("renderMarkdown() renders on GitHub as meant: heading, nested list of paths, two tables with file:line", () => {
  const main = fr("main", "/app/src/main.ts", 3);
  const parse = fr("parseConfig", "/app/src/config.ts", 10);
  const md = renderMarkdown(session([[[main, parse], 600], [[main, fr("render", "/app/src/page.ts", 7)], 300], [[main], 100]]));
  const html = toHtml(md);
  assert.match(html, /^<h3>tsprof: <code>app.ts<\/code> 1.000 s on node 20.0.0<\/h3>/);
  assert.match(html, /<li>1.000 s \(100.0%\) <code>main<\/code> <code>src\/main.ts:3<\/code>\n<ul>\n<li>600 ms \(60.0%\) <code>parseConfig<\/code> <code>src\/config.ts:10<\/code><\/li>/);
  assert.equal(checkTables(html), 2);
  assert.match(html, /<td align="right">600 ms \(60.0%\)<\/td>\n<td align="right">600 ms \(60.0%\)<\/td>\n<td><code>parseConfig<\/code><\/td>\n<td><code>src\/config.ts:10<\/code><\/td>/);
});

test("renderMarkdown() keeps hostile function names inside their code spans and table cells", () => {
  const names = ["a|b", "`tick`", "<script>alert(1)</script>", "**bold**", "x``y", "[link](http://e.com)"];
  const s = session(names.map((n, i) => [[fr(n, `/app/src/f${i}.ts`)], 100 + i] as [Frame[], number]));
  const md = renderMarkdown({ ...s, meta: { ...s.meta, description: "# not a heading ~~nor struck~~ <b>", warnings: ["1. not a list"] } });
  const html = toHtml(md);
  assert.ok(!/<h1>|<del>|<b>|<ol>/.test(html), "a description or warning makes no markup");
  assert.match(html, /# not a heading ~~nor struck~~ &lt;b&gt;/);
  assert.equal(checkTables(html), 2);
  assert.ok(!html.includes("<script>"), "no raw HTML from a name");
  assert.ok(!html.includes("<strong>bold") && !html.includes("<a href"), "no markup from a name");
  for (const n of names) {
    const escaped = n.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    assert.ok(html.includes(`<code>${escaped}</code>`), `${n} in a code span: ${html.slice(0, 2000)}`);
  }
});

test("renderMarkdown() stays under 10 KB for a huge profile and says what it cut", () => {
  const stacks: [Frame[], number][] = [];
  for (let i = 0; i < 400; i++) {
    const depth = 3 + (i % 20);
    // Shared callers near the top make many paths over 2% of the time.
    const name = (d: number) => (d < 6 ? `caller_${d}_${i % 3}` : `function_with_a_long_name_${i % 50}_${d}`);
    stacks.push([Array.from({ length: depth }, (_, d) => fr(name(d), `/app/src/some/deep/folder/module_${d < 6 ? d : i}.ts`, d + 1)), 10 + (i % 30)]);
  }
  const s = session(stacks);
  const md = renderMarkdown({ ...s, profiles: [s.profiles[0]!, { ...s.profiles[0]!, name: "worker 1" }, { ...s.profiles[0]!, name: "worker 2" }] }, { lines: true });
  assert.ok(bytes(md) <= 10240, `${bytes(md)} bytes`);
  const html = toHtml(md);
  checkTables(html);
  const small = renderMarkdown(s, { markdownMaxBytes: 3000 });
  assert.ok(bytes(small) <= 3000, `${bytes(small)} bytes`);
  assert.match(small, /<sub>Cut to stay under 3 KB: \d+ call paths/);
  checkTables(toHtml(small));
});

test("renderDiffMarkdown() lists the biggest change in a GFM table, and says so when nothing changed", () => {
  const main = fr("main", "/app/src/main.ts", 3);
  const parse = fr("parseConfig", "/app/src/config.ts", 10);
  const base = session([[[main, parse], 300], [[main, fr("render")], 300], [[main], 300]]);
  const head = session([[[main, parse], 600], [[main, fr("render")], 300], [[main], 300]]);
  const html = toHtml(renderDiffMarkdown(diffSessions(base, head), { labels: ["base.tsprof", "head.tsprof"] }));
  assert.match(html, /<h3>tsprof diff: 900 ms → 1.200 s \(\+300 ms, \+33%/);
  assert.equal(checkTables(html), 2);
  assert.match(html, /<td align="right">\+300 ms<\/td>\n<td align="right">\+100%<\/td>\n<td>sure<\/td>\n<td align="right">600 ms<\/td>\n<td><code>main<\/code> › <code>parseConfig<\/code> <code>src\/config.ts:10<\/code><\/td>/);
  const same = toHtml(renderDiffMarkdown(diffSessions(base, base)));
  assert.match(same, /No change the samples support/);
  assert.equal(checkTables(same), 0);
});

test("renderCheck() as markdown is a list with one line per budget, broken first", () => {
  const md = renderCheck([
    { what: "total", kind: "maxTotal", limit: "2 s", actual: "1 s", broken: false },
    { what: "parse_config", kind: "max", limit: "50 ms", actual: "80 ms", broken: true },
  ], "markdown");
  const html = toHtml(md);
  assert.match(html, /<h3>tsprof check: 1 of 2 budgets broken<\/h3>\n<ul>\n<li>❌ parse_config: 80 ms, over its max of 50 ms<\/li>\n<li>✅ total/);
});
