/**
 * The HTML page of a diff: a differential flame graph (each bar as wide as
 * the head's time on its path, red where it grew, blue where it shrank,
 * grey where the change is within noise) and the call tree with each
 * path's change. One self-contained file with no script: it opens anywhere,
 * a CI artifact included.
 *
 * @module
 */
import { type DiffNode, type SessionDiff, shownPaths } from "../diff/diff_tree.ts";
import { type Change, isSignificant } from "../diff/significance.ts";
import { location } from "../paths.ts";
import { describeSide, formatDelta, formatMs, formatRatio, noiseRule, ratioInParens } from "./diff_text.ts";

/**
 * Options for {@linkcode renderDiffHtml}.
 *
 * @example
 * ```ts
 * import type { DiffHtmlOptions } from "./diff_html.ts";
 * const options: DiffHtmlOptions = { labels: ["main.tsprof", "pr.tsprof"] };
 * ```
 */
export interface DiffHtmlOptions {
  /** Names of the two sides (file names). */
  labels?: readonly [string, string];
  /** Bars narrower than this share of the head's total are not drawn. @default {0.002} */
  minWidth?: number;
}

const ROW_PX = 18;

/**
 * Renders a diff as a self-contained HTML page.
 *
 * @example
 * ```ts
 * import { diffSessions } from "../diff/diff_tree.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderDiffHtml } from "./diff_html.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "work", kind: "js" }], 10);
 * const s = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "20", intervalMs: 1, startTime: 0, durationMs: 10 }, profiles: [b.build()] };
 * renderDiffHtml(diffSessions(s, s)).startsWith("<!doctype html>"); // true
 * ```
 */
export function renderDiffHtml(diff: SessionDiff, options: DiffHtmlOptions = {}): string {
  const cwd = diff.head.cwd;
  const [baseLabel, headLabel] = options.labels ?? ["base", "head"];
  const t = diff.root.change;
  const { bars, depth } = flameBars(diff.root, options.minWidth ?? 0.002, cwd);
  const tree = treeHtml(shownPaths(diff.root, { all: true, minShare: 0.01 }), cwd);
  const gone = goneList(diff.root, cwd);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsprof diff: ${esc(baseLabel)} → ${esc(headLabel)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:18px;margin:0 0 8px}
.meta{color:#555;margin:0 0 12px}
.flame{position:relative;width:100%;height:${depth * ROW_PX}px;border:1px solid #ddd;overflow:hidden}
.bar{position:absolute;height:${ROW_PX - 1}px;box-sizing:border-box;border-right:1px solid #fff;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font-size:11px;line-height:${ROW_PX - 1}px;padding:0 3px;color:#111}
.legend span{display:inline-block;padding:0 6px;margin-right:6px}
ul.tree{list-style:none;padding-left:18px;font-family:ui-monospace,monospace;font-size:12px}
ul.tree>li{margin:1px 0}
.up{color:#b00020}.down{color:#0b57d0}.noise{color:#777}
.num{display:inline-block;min-width:80px;text-align:right;margin-right:8px}
</style></head><body>
<h1>tsprof diff</h1>
<p class="meta">base: <b>${esc(baseLabel)}</b> (${esc(describeSide(diff.base))})<br>
head: <b>${esc(headLabel)}</b> (${esc(describeSide(diff.head))})<br>
total: ${esc(formatMs(t.base))} → ${esc(formatMs(t.head))} <span class="${cls(t)}">${esc(formatDelta(t.delta))}${esc(ratioInParens(t))}</span></p>
<h2>Differential flame graph</h2>
<p class="legend">Width: time in the head. Colour: <span style="background:${colour(grew)}">slower</span><span style="background:${colour(shrank)}">faster</span><span style="background:${colour(same)}">no change the samples support</span>. Hover a bar for its numbers.</p>
<div class="flame" role="img" aria-label="differential flame graph">
${bars.join("\n")}
</div>
<h2>Call tree</h2>
<ul class="tree">${tree}</ul>
${gone}
<p class="meta">${esc(noiseRule(diff.noise))}</p>
</body></html>
`;
}

const grew: Change = { base: 1, head: 2, delta: 1, ratio: 1, z: 5, p: 0, confidence: "sure" };
const shrank: Change = { base: 2, head: 1, delta: -1, ratio: -0.5, z: -5, p: 0, confidence: "sure" };
const same: Change = { base: 1, head: 1, delta: 0, ratio: 0, z: 0, p: 1, confidence: "noise" };

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cls(c: Change): string {
  return !isSignificant(c) ? "noise" : c.delta > 0 ? "up" : "down";
}

/** Red for growth, blue for shrinkage, deeper the bigger the change; grey for noise. */
function colour(c: Change): string {
  if (!isSignificant(c)) return "hsl(0,0%,86%)";
  const strength = c.ratio === null ? 1 : Math.min(1, Math.abs(c.ratio));
  const light = 88 - 30 * strength;
  return c.delta > 0 ? `hsl(0,80%,${light}%)` : `hsl(215,80%,${light}%)`;
}

function label(n: DiffNode, cwd: string | undefined): string {
  return n.frame.file ? `${n.frame.name}  ${location(n.frame.file, n.frame.line, undefined, cwd)}` : n.frame.name;
}

function flameBars(root: DiffNode, minWidth: number, cwd: string | undefined): { bars: string[]; depth: number } {
  const total = root.change.head || 1;
  const bars: string[] = [];
  let depth = 1;
  const todo: [DiffNode, number, number][] = [[root, 0, 0]];
  while (todo.length > 0) {
    const [n, x, d] = todo.pop()!;
    const w = n.change.head / total;
    if (w < minWidth) continue;
    depth = Math.max(depth, d + 1);
    const c = n === root ? n.change : n.self.delta !== 0 && isSignificant(n.self) ? n.self : n.change;
    const title = `${label(n, cwd)}\nhead ${formatMs(n.change.head)}, base ${formatMs(n.change.base)}: ${formatDelta(n.change.delta)}${ratioInParens(n.change)} ${n.change.confidence}\nown time: ${formatDelta(n.self.delta)}${ratioInParens(n.self)} ${n.self.confidence}`;
    bars.push(
      `<div class="bar" style="left:${(100 * x).toFixed(4)}%;width:${(100 * w).toFixed(4)}%;top:${d * ROW_PX}px;background:${colour(c)}" title="${esc(title)}">${esc(n === root ? "all" : n.frame.name)}</div>`,
    );
    // Heaviest first from the left, as flame graphs draw.
    let cx = x;
    const kids = n.children.filter((k) => k.change.head > 0).sort((a, b) => b.change.head - a.change.head);
    for (const k of kids) {
      todo.push([k, cx, d + 1]);
      cx += k.change.head / total;
    }
  }
  return { bars, depth };
}

function treeHtml(root: DiffNode, cwd: string | undefined): string {
  const out: string[] = [];
  // Open and close tags as a flat list of events: trees can be deep.
  const todo: (DiffNode | "close")[] = [...root.children].reverse();
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (n === "close") {
      out.push("</ul></li>");
      continue;
    }
    const c = n.change;
    const mark = c.delta === 0 ? "" : c.confidence === "noise" ? " ~" : ` ${c.confidence}`;
    out.push(
      `<li><span class="num">${esc(formatMs(c.head))}</span><span class="num ${cls(c)}">${esc(formatDelta(c.delta))}</span><span class="num ${cls(c)}">${esc(formatRatio(c))}${mark}</span>${esc(label(n, cwd))}`,
    );
    if (n.children.length === 0) {
      out.push("</li>");
      continue;
    }
    out.push('<ul class="tree">');
    todo.push("close");
    for (let i = n.children.length - 1; i >= 0; i--) todo.push(n.children[i]!);
  }
  return out.join("");
}

/** Paths the base had and the head has not: no width in the flame graph, so listed. */
function goneList(root: DiffNode, cwd: string | undefined): string {
  const gone: DiffNode[] = [];
  const todo = [...root.children];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (n.change.head === 0 && n.change.base > 0) {
      if (isSignificant(n.change)) gone.push(n);
      continue;
    }
    todo.push(...n.children);
  }
  if (gone.length === 0) return "";
  gone.sort((a, b) => b.change.base - a.change.base);
  const items = gone.slice(0, 50).map((n) => `<li><span class="num down">${esc(formatDelta(n.change.delta))}</span>${esc(label(n, cwd))}</li>`);
  return `<h2>Gone from the head</h2><ul class="tree">${items.join("")}</ul>`;
}
