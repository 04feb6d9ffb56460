/**
 * The markdown report: a compact summary for pull-request comments, CI job
 * summaries and coding agents. For a profile: a header, the hottest paths
 * as a short nested list, the top functions by own and by total time with
 * `file:line`, and (with `lines`) the hottest lines; for a diff: the total's
 * change, the biggest changes and the functions that changed. It stays
 * under `maxBytes` (10 KB unless told) by showing fewer rows, and says what
 * it cut. GitHub renders it as CommonMark with GFM tables.
 *
 * @module
 */
import { biggestChanges, type SessionDiff } from "../diff/diff_tree.ts";
import { type Change, isSignificant } from "../diff/significance.ts";
import { type Frame, type Profile, profileTotal, type Session } from "../format/types.ts";
import { location } from "../paths.ts";
import { buildCallTree, type CallNode, isSelfNode } from "../tree/call_tree.ts";
import { flatProfile } from "../tree/flat.ts";
import { framesToRemove } from "../tree/processors.ts";
import { type ConsoleOptions, consoleTree, displayChildren } from "./console.ts";
import { hotLines } from "./console_lines.ts";
import { describeSide, formatDelta, formatMs, formatRatio, noiseRule } from "./diff_text.ts";

/**
 * Options for {@linkcode renderMarkdown}: the console's (what to hide,
 * `lines`, `cwd`), plus the size limit.
 *
 * @example
 * ```ts
 * import type { MarkdownOptions } from "./markdown.ts";
 * const options: MarkdownOptions = { lines: true, markdownMaxBytes: 4096 };
 * ```
 */
export interface MarkdownOptions extends ConsoleOptions {
  /**
   * The report's size limit in bytes (UTF-8): rows are cut to stay under it.
   * @default {10240}
   */
  markdownMaxBytes?: number;
}

/** How much each section shows; halved until the report fits. */
interface Budget {
  paths: number;
  functions: number;
  hotFunctions: number;
  profiles: number;
}

const FULL: Budget = { paths: 30, functions: 10, hotFunctions: 5, profiles: 8 };

/**
 * Renders a session as markdown.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderMarkdown } from "./markdown.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", line: 3, kind: "js" }], 12);
 * const md = renderMarkdown({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 12, cwd: "/app" },
 *   profiles: [b.build()],
 * });
 * // md contains "`main` `a.ts:3`"
 * ```
 */
export function renderMarkdown(session: Session, options: MarkdownOptions = {}): string {
  const opts: MarkdownOptions = options.cwd === undefined && session.meta.cwd !== undefined ? { ...options, cwd: session.meta.cwd } : options;
  return fitted(opts.markdownMaxBytes ?? 10240, (budget) => sessionMarkdown(session, opts, budget));
}

/**
 * Renders a diff as markdown: the total, the biggest changes, the
 * functions whose time changed.
 *
 * @example
 * ```ts
 * import { diffSessions } from "../diff/diff_tree.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderDiffMarkdown } from "./markdown.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "work", kind: "js" }], 10);
 * const s = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "20", intervalMs: 1, startTime: 0, durationMs: 10 }, profiles: [b.build()] };
 * renderDiffMarkdown(diffSessions(s, s)); // contains "No change the samples support"
 * ```
 */
export function renderDiffMarkdown(
  diff: SessionDiff,
  options: { all?: boolean; labels?: readonly [string, string]; flat?: boolean; flatTime?: "self" | "total"; maxBytes?: number; cwd?: string } = {},
): string {
  return fitted(options.maxBytes ?? 10240, (budget) => diffMarkdown(diff, options, budget));
}

/** Renders with the full budget, then halves it until the text fits; a last resort cuts the text. */
function fitted(maxBytes: number, render: (budget: Budget) => { text: string; cut: string[] }): string {
  let budget = { ...FULL };
  for (let i = 0; i < 8; i++) {
    const { text, cut } = render(budget);
    const note = cut.length > 0 ? `\n<sub>Cut to stay under ${Math.round(maxBytes / 1024)} KB: ${cut.join(", ")}.</sub>\n` : "";
    const out = text + note;
    if (byteLength(out) <= maxBytes) return out;
    budget = {
      paths: Math.max(1, budget.paths >> 1),
      functions: Math.max(1, budget.functions >> 1),
      hotFunctions: Math.max(1, budget.hotFunctions >> 1),
      profiles: Math.max(1, budget.profiles >> 1),
    };
  }
  const { text } = render(budget);
  const note = "\n\n<sub>Cut short to stay under the size limit.</sub>\n";
  let cut = text.slice(0, Math.max(0, maxBytes - byteLength(note) - 8));
  while (byteLength(cut) > maxBytes - byteLength(note)) cut = cut.slice(0, -64);
  // Never end inside a line: a half table row or code span renders badly.
  return cut.slice(0, cut.lastIndexOf("\n") + 1) + note;
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * Inline code that survives any function name: a fence longer than any run
 * of backticks inside, and `|` escaped where it sits in a table cell.
 */
export function mdCode(text: string, inTable = false): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || (text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "") ? " " : "";
  const body = text.replace(/[\r\n]+/g, " ");
  const code = `${fence}${pad}${body === "" ? " " : body}${pad}${fence}`;
  return inTable ? code.replace(/\|/g, "\\|") : code;
}

function where(frame: Frame, cwd: string | undefined, inTable = false): string {
  return frame.file ? mdCode(location(frame.file, frame.line, undefined, cwd), inTable) : "";
}

function pct(t: number, total: number): string {
  return `${((100 * t) / (total || 1)).toFixed(1)}%`;
}

function sessionMarkdown(session: Session, options: MarkdownOptions, budget: Budget): { text: string; cut: string[] } {
  const m = session.meta;
  const cut: string[] = [];
  const command = m.command && m.command.length > 0 ? ` ${mdCode(m.command.join(" "))}` : "";
  const out: string[] = [`### tsprof:${command} ${formatMs(m.durationMs)} on ${`${m.runtime} ${m.runtimeVersion}`.trim()}`, ""];
  const samples = session.profiles.reduce((n, p) => n + p.samples.length, 0);
  const facts = [`${samples} samples at ${m.intervalMs} ms`];
  if (m.cpuTimeMs !== undefined) facts.push(`CPU time ${formatMs(m.cpuTimeMs)}`);
  if (m.exitCode !== undefined && m.exitCode !== 0) facts.push(`exit code ${m.exitCode}`);
  if (session.profiles.length > 1) facts.push(`${session.profiles.length} threads or processes`);
  out.push(facts.join(" · "), "");
  if (m.description) out.push(escapeText(m.description), "");
  for (const w of m.warnings ?? []) out.push(`> [!WARNING]`, `> ${escapeText(w)}`, "");
  const profiles = [...session.profiles].filter((p) => p.samples.length > 0).sort((a, b) => profileTotal(b) - profileTotal(a));
  if (profiles.length === 0) out.push("No samples were recorded.", "");
  if (profiles.length > budget.profiles) cut.push(`${profiles.length - budget.profiles} of ${profiles.length} threads or processes`);
  for (const profile of profiles.slice(0, budget.profiles)) {
    if (session.profiles.length > 1) out.push(`#### ${escapeText(profile.name)}`, "");
    out.push(...profileMarkdown(profile, options, budget, cut, m.toolPaths ?? []));
  }
  return { text: out.join("\n"), cut };
}

/**
 * Text outside code, on one line: the characters markdown would read as
 * markup mid-line are escaped, and so is a start that would make a heading,
 * a quote or a list.
 */
function escapeText(s: string): string {
  const text = s.replace(/[\\`*_[\]<>|~]/g, "\\$&").replace(/[\r\n]+/g, " ");
  return /^(?:[#>+-]|\d+[.)])/.test(text) ? `\\${text}` : text;
}

function profileMarkdown(profile: Profile, options: MarkdownOptions, budget: Budget, cut: string[], toolPaths: readonly string[]): string[] {
  const cwd = options.cwd;
  const total = profileTotal(profile);
  const out: string[] = ["**Hottest paths**", ""];
  const tree = consoleTree(profile, options);
  const { lines, left } = pathLines(tree, total, cwd, budget.paths);
  out.push(...lines);
  if (left > 0) cut.push(`${left} call paths`);
  out.push("");
  // Sums need no [self] leaves, groups or pruning: only the frames removed.
  const flat = flatProfile(buildCallTree(profile, { removeFrame: framesToRemove(options) }));
  for (const which of ["self", "total"] as const) {
    const rows = flat.filter((r) => r[which] > 0).sort((a, b) => b[which] - a[which]);
    out.push(`**Top functions by ${which === "self" ? "own" : "total"} time**`, "", "| Own | Total | Function | Location |", "|---:|---:|---|---|");
    for (const r of rows.slice(0, budget.functions)) {
      out.push(`| ${formatMs(r.self)} (${pct(r.self, total)}) | ${formatMs(r.total)} (${pct(r.total, total)}) | ${mdCode(r.frame.name, true)} | ${where(r.frame, cwd, true)} |`);
    }
    if (rows.length > budget.functions && budget.functions < FULL.functions) cut.push(`${rows.length - budget.functions} functions by ${which} time`);
    out.push("");
  }
  if (options.lines) out.push(...linesMarkdown(profile, options, budget, total, toolPaths));
  return out;
}

/** The hottest call paths as a nested list, heaviest first, at most `limit` items. */
function pathLines(root: CallNode, total: number, cwd: string | undefined, limit: number): { lines: string[]; left: number } {
  const lines: string[] = [];
  // Paths over 2% of the time that the limit left out.
  let left = 0;
  const todo: [CallNode, number][] = [];
  const pushKids = (node: CallNode, depth: number) => {
    const kids = displayChildren(node).filter((k) => !isSelfNode(k)).sort((a, b) => b.time - a.time);
    for (let i = kids.length - 1; i >= 0; i--) todo.push([kids[i]!, depth]);
  };
  pushKids(root, 0);
  while (todo.length > 0) {
    const [node, depth] = todo.pop()!;
    // Paths under 2% of the total are not "hottest": not listed, and no cut.
    if (node.time < 0.02 * total) continue;
    if (lines.length >= limit) {
      left++;
      continue;
    }
    const f = node.frame;
    const group = node.group && node.group.root === node && node.group.hidden.size > 0 ? ` (+${node.group.hidden.size} library frames: ${escapeText(node.group.libraries.slice(0, 3).join(", "))})` : "";
    lines.push(`${"  ".repeat(depth)}- ${formatMs(node.time)} (${pct(node.time, total)}) ${mdCode(f.name)}${f.file ? ` ${where(f, cwd)}` : ""}${group}`);
    pushKids(node, depth + 1);
  }
  if (lines.length === 0) lines.push("- (no call path over 2% of the time)");
  return { lines, left };
}

function linesMarkdown(profile: Profile, options: MarkdownOptions, budget: Budget, total: number, toolPaths: readonly string[]): string[] {
  const hot = hotLines(profile, { showAll: options.showAll ?? false, toolPaths, functions: budget.hotFunctions, linesPerFunction: 3 });
  if (hot.length === 0) return ["**Hottest lines**: none recorded (this engine or profile has no line-level times)", ""];
  const out = ["**Hottest lines**", "", "| Time | Line | Function | Code |", "|---:|---|---|---|"];
  for (const h of hot) {
    const f = profile.frames[h.frame]!;
    for (const [line, ms] of h.lines) {
      const text = f.file ? options.sourceLine?.(f.file, line)?.trim() : undefined;
      const shown = text ? mdCode(text.length > 60 ? `${text.slice(0, 57)}...` : text, true) : "";
      const at = f.file ? mdCode(`${location(f.file, undefined, undefined, options.cwd)}:${line}`, true) : String(line);
      out.push(`| ${formatMs(ms)} (${pct(ms, total)}) | ${at} | ${mdCode(f.name, true)} | ${shown} |`);
    }
  }
  out.push("");
  return out;
}

function changeCells(c: Change): string {
  return `${formatDelta(c.delta)} | ${formatRatio(c)} | ${c.confidence === "noise" ? "~" : c.confidence} | ${formatMs(c.head)}`;
}

function diffMarkdown(
  diff: SessionDiff,
  options: { all?: boolean; labels?: readonly [string, string]; flatTime?: "self" | "total"; cwd?: string },
  budget: Budget,
): { text: string; cut: string[] } {
  const cwd = options.cwd ?? diff.head.cwd;
  const cut: string[] = [];
  const t = diff.root.change;
  const [baseLabel, headLabel] = options.labels ?? ["base", "head"];
  const out = [
    `### tsprof diff: ${formatMs(t.base)} → ${formatMs(t.head)} (${[formatDelta(t.delta), formatRatio(t)].filter((x) => x !== "").join(", ")})`,
    "",
    `- base: ${mdCode(baseLabel)} (${escapeText(describeSide(diff.base))})`,
    `- head: ${mdCode(headLabel)} (${escapeText(describeSide(diff.head))})`,
    "",
  ];
  const changes = biggestChanges(diff.root, 1000);
  if (changes.length === 0) {
    out.push("No change the samples support: the differences are within sampling noise and run-to-run spread.", "");
  } else {
    out.push("**Biggest changes**", "", "| Change | % | Sure | Head | Where |", "|---:|---:|---|---:|---|");
    for (const { path, node, change } of changes.slice(0, budget.paths)) {
      const trail = path.length > 4 ? ["…", ...path.slice(-3)] : path;
      const names = trail.map((n) => (typeof n === "string" ? n : mdCode(n.frame.name, true))).join(" › ");
      const own = change === node.self && node.children.length > 0 ? " (own time)" : "";
      out.push(`| ${changeCells(change)} | ${names}${own} ${where(node.frame, cwd, true)} |`);
    }
    if (changes.length > budget.paths) cut.push(`${changes.length - budget.paths} changed paths`);
    out.push("");
  }
  // Total time names the function whose calls grew, wherever its callees spent it.
  const which = options.flatTime === "self" ? "self" : "total";
  const functions = diff.functions.filter((f) => options.all || isSignificant(f[which]));
  if (functions.length > 0) {
    out.push(`**Functions by change in ${which === "self" ? "own" : "total"} time**`, "", "| Change | % | Sure | Head | Function | Location |", "|---:|---:|---|---:|---|---|");
    const sorted = [...functions].sort((a, b) => Math.abs(b[which].delta) - Math.abs(a[which].delta));
    for (const f of sorted.slice(0, budget.functions)) out.push(`| ${changeCells(f[which])} | ${mdCode(f.frame.name, true)} | ${where(f.frame, cwd, true)} |`);
    if (sorted.length > budget.functions) cut.push(`${sorted.length - budget.functions} functions`);
    out.push("");
  }
  out.push(`<sub>${escapeText(noiseRule(diff.noise))}</sub>`, "");
  return { text: out.join("\n"), cut };
}
