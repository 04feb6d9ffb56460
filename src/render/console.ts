/**
 * The console report: a header, then the call tree the pyinstrument way,
 * with library frames folded into `[N frames hidden]` lines; or, with
 * `flat`, one line per function by self or total time.
 *
 * @module
 */
import { hiddenNote } from "./hidden_note.ts";
import { type Profile, profileTotal, type Session } from "../format/types.ts";
import { location, shortPath } from "../paths.ts";
import { shellLine } from "./shell_quote.ts";
import { buildCallTree, type CallNode, isSelfNode } from "../tree/call_tree.ts";
import { flatProfile } from "../tree/flat.ts";
import { framesToRemove, isLibraryFrame, type ProcessOptions, processProfile } from "../tree/processors.ts";

export { location } from "../paths.ts";
import { renderHotLines } from "./console_lines.ts";

/**
 * Options for {@linkcode renderConsole}.
 *
 * @example
 * ```ts
 * import { renderConsole, type ConsoleOptions } from "tsprof/render";
 * const options: ConsoleOptions = { unicode: false, color: false, time: "percent" };
 * const text = renderConsole({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 },
 *   profiles: [],
 * }, options);
 * ```
 */
export interface ConsoleOptions extends ProcessOptions {
  /**
   * Draw the tree with box-drawing characters instead of ASCII.
   * @default {true}
   */
  unicode?: boolean;
  /**
   * Colour the output with ANSI escapes.
   * @default {false}
   */
  color?: boolean;
  /**
   * Show times as seconds or as a percentage of the total.
   * @default {"seconds"}
   */
  time?: "seconds" | "percent";
  /**
   * List functions by time instead of drawing the tree. Cannot be combined
   * with `timeline`.
   * @default {false}
   */
  flat?: boolean;
  /**
   * What the flat list sorts and shows: time in the function itself, or
   * time with it on the stack (recursion counted once).
   * @default {"self"}
   */
  flatTime?: "self" | "total";
  /**
   * The flat list leaves out functions under this share of the total,
   * unless `showAll`.
   * @default {0.001}
   */
  flatThreshold?: number;
  /**
   * Calls nested deeper than this are not drawn: a line says so instead.
   * Deep recursion (thousands of levels) would otherwise print megabytes of
   * indentation; `foldRecursion` shows it as one node.
   * @default {200}
   */
  maxDepth?: number;
  /** Version string for the header. */
  version?: string;
  /** Add the hottest lines of the hottest functions after the tree (`--lines`). */
  lines?: boolean;
  /** The text of a source line, shown next to it by `lines`. */
  sourceLine?: (file: string, line: number) => string | undefined;
}

export { CONSOLE_OPTIONS } from "./console_options.ts";

const ANSI = {
  red: "\x1b[31m",
  yellow: "\x1b[33m",
  green: "\x1b[32m",
  dimGreen: "\x1b[92m\x1b[2m",
  app: "\x1b[48;5;24m\x1b[38;5;15m",
  faint: "\x1b[2m",
  bold: "\x1b[1m",
  reset: "\x1b[0m",
};

/**
 * Renders a session as a console report, one profile after another.
 *
 * @throws {TypeError} when `flat` and `timeline` are both set
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { renderConsole } from "tsprof/render";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", line: 3, col: 1, kind: "js" }], 12);
 * const text = renderConsole({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 12, cwd: "/app" },
 *   profiles: [b.build()],
 * });
 * // text contains "0.012 main  a.ts:3:1"
 * ```
 */
export function renderConsole(session: Session, options: ConsoleOptions = {}): string {
  if (options.flat && options.timeline) throw new TypeError(`Cannot render console report: "flat" and "timeline" cannot be used together`);
  const opts: ConsoleOptions = options.cwd === undefined && session.meta.cwd !== undefined ? { ...options, cwd: session.meta.cwd } : options;
  const out: string[] = [];
  out.push(...header(session, opts), "");
  for (const profile of session.profiles) {
    if (session.profiles.length > 1) out.push(`Profile: ${profile.name}`, "");
    if (profile.samples.length === 0) {
      out.push("No samples were recorded.", "");
      continue;
    }
    const tree = opts.flat ? undefined : consoleTree(profile, opts);
    out.push(...(tree ? renderTree(tree, opts.cwd, opts) : renderFlat(profile, opts)));
    const note = tree && hiddenNote(profile, tree, opts);
    out.push(...(note ? [note] : []), "");
    if (opts.lines) {
      const total = profileTotal(profile);
      const fmt = (t: number) => (opts.time === "percent" ? `${((100 * t) / (total || 1)).toFixed(1)}%` : (t / 1000).toFixed(3));
      out.push(...renderHotLines(profile, opts.cwd, fmt, { showAll: opts.showAll ?? false, toolPaths: session.meta.toolPaths ?? [], ...(opts.sourceLine ? { sourceLine: opts.sourceLine } : {}) }), "");
    }
  }
  return out.join("\n");
}

/** The processed tree the console draws for a profile. */
export function consoleTree(profile: Profile, options: ConsoleOptions = {}): CallNode {
  return processProfile(profile, { ...options, selfNodes: true });
}

function header(session: Session, options: ConsoleOptions): string[] {
  const m = session.meta;
  const samples = session.profiles.reduce((n, p) => n + p.samples.length, 0);
  const when = new Date(m.startTime);
  const pad = (n: number) => String(n).padStart(2, "0");
  // A foreign file (a .cpuprofile, speedscope) may not say when it was recorded: startTime 0.
  const recorded = m.startTime > 0 ? `  Recorded: ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}` : "";
  const cpu = m.cpuTimeMs === undefined ? "" : `   CPU time: ${(m.cpuTimeMs / 1000).toFixed(3)} s`;
  const title = `tsprof${options.version ? ` ${options.version}` : ""}`;
  const lines = [
    `${title}${recorded}  Samples: ${samples}`,
    `${" ".repeat(title.length)}  Duration: ${(m.durationMs / 1000).toFixed(3)} s${cpu}`,
    `${" ".repeat(title.length)}  Runtime: ${`${m.runtime} ${m.runtimeVersion}`.trim()}`,
  ];
  if (m.command && m.command.length > 0) lines.push(`Program: ${shellLine(m.command)}`);
  if (m.description) lines.push(m.description);
  for (const w of m.warnings ?? []) lines.push(`Warning: ${w}`);
  return options.color ? lines.map((l, i) => (i === 0 ? ANSI.bold + l + ANSI.reset : l)) : lines;
}

interface Glyphs {
  readonly branch: string;
  readonly last: string;
  readonly pipe: string;
  readonly space: string;
}
const UNICODE: Glyphs = { branch: "├─ ", last: "└─ ", pipe: "│  ", space: "   " };
const ASCII: Glyphs = { branch: "|- ", last: "`- ", pipe: "|  ", space: "   " };

/** A row of the drawn tree: a node (with its parent, for `[self]`), or a group line. */
type Row =
  | { readonly kind: "node"; readonly node: CallNode; readonly parent: CallNode }
  | { readonly kind: "group"; readonly text: string };

/** Formats times and colours, shared by the tree and the flat list. */
function painter(total: number, options: ConsoleOptions) {
  const paint = (code: string, s: string): string => (options.color ? code + s + ANSI.reset : s);
  const time = (t: number): string => {
    const text = options.time === "percent" ? `${((100 * t) / (total || 1)).toFixed(1)}%` : (t / 1000).toFixed(3);
    const share = t / (total || 1);
    return paint(share > 0.6 ? ANSI.red : share > 0.2 ? ANSI.yellow : share > 0.05 ? ANSI.green : ANSI.dimGreen, text);
  };
  return { paint, time };
}

/**
 * Draws a processed tree. The synthetic root is not drawn: its children are
 * the top-level lines. A `[self]` leaf is drawn with its parent's file.
 */
export function renderTree(root: CallNode, cwd: string | undefined, options: ConsoleOptions = {}): string[] {
  const g = options.unicode === false ? ASCII : UNICODE;
  const { paint, time } = painter(root.time, options);
  const lines: string[] = [];

  const rowsOf = (node: CallNode): Row[] => {
    const rows: Row[] = [];
    const group = node.group;
    if (group && group.root === node && group.hidden.size > 0) {
      const libs = group.libraries.join(", ");
      rows.push({ kind: "group", text: `[${group.hidden.size} frames hidden]  ${libs.length > 40 ? `${libs.slice(0, 37)}...` : libs}` });
    }
    let kids = displayChildren(node);
    // A lone [self] says nothing the node's own line does not.
    if (kids.every((k) => isSelfNode(k))) kids = [];
    if (!options.timeline) kids.sort((a, b) => b.time - a.time);
    return rows.concat(kids.map((k) => ({ kind: "node", node: k, parent: node })));
  };

  const maxDepth = options.maxDepth ?? 200;
  // Depth-first with an explicit stack: [row, prefix for this line, prefix for its children, depth].
  const todo: [Row, string, string, number][] = [];
  const pushRows = (rows: Row[], prefix: string, top: boolean, depth: number) => {
    for (let i = rows.length - 1; i >= 0; i--) {
      const isLast = i === rows.length - 1;
      const row = rows[i]!;
      if (top) todo.push([row, "", "", depth]);
      else if (row.kind === "group") todo.push([row, prefix + g.space, prefix, depth]);
      else todo.push([row, prefix + (isLast ? g.last : g.branch), prefix + (isLast ? g.space : g.pipe), depth]);
    }
  };
  pushRows(rowsOf(root), "", true, 1);
  while (todo.length > 0) {
    const [row, linePrefix, childPrefix, depth] = todo.pop()!;
    if (row.kind === "group") {
      lines.push(linePrefix + paint(ANSI.faint, row.text));
      continue;
    }
    const node = row.node;
    if (isSelfNode(node)) {
      const file = row.parent.frame.file;
      const where = file ? `  ${paint(ANSI.faint, shortPath(file, cwd))}` : "";
      lines.push(`${linePrefix}${time(node.time)} [self]${where}`);
      continue;
    }
    const f = node.frame;
    const name = f.kind === "js" && !node.group ? paint(ANSI.app, f.name) : f.name;
    const where = f.file ? `  ${paint(ANSI.faint, location(f.file, f.line, f.col, cwd))}` : "";
    lines.push(`${linePrefix}${time(node.time)} ${name}${where}`);
    if (depth >= maxDepth && node.children.some((c) => !isSelfNode(c))) {
      lines.push(`${childPrefix}${g.last}${paint(ANSI.faint, `… calls nested deeper than ${maxDepth} levels not shown (--fold-recursion, or -p maxDepth=N)`)}`);
      continue;
    }
    pushRows(rowsOf(node), childPrefix, false, depth + 1);
  }
  return lines;
}

/**
 * The children drawn under `node`: a child hidden in its library group is
 * skipped and its own children drawn in its place (its `[self]` leaf goes
 * with it).
 */
export function displayChildren(node: CallNode): CallNode[] {
  const out: CallNode[] = [];
  const todo = node.children.slice().reverse();
  while (todo.length > 0) {
    const c = todo.pop()!;
    if (!c.group?.hidden.has(c)) {
      out.push(c);
      continue;
    }
    for (let i = c.children.length - 1; i >= 0; i--) if (!isSelfNode(c.children[i]!)) todo.push(c.children[i]!);
  }
  return out;
}

/**
 * The flat list of a profile: functions by self (or total) time, heaviest
 * first, runtime and tool frames processed away as in the tree, nothing
 * dropped as irrelevant before the sums.
 */
export function renderFlat(profile: Profile, options: ConsoleOptions = {}): string[] {
  // Sums need no [self] leaves, groups or pruning: only the frames removed.
  const tree = buildCallTree(profile, { removeFrame: framesToRemove(options) });
  const byTotal = options.flatTime === "total";
  const value = (r: { self: number; total: number }) => (byTotal ? r.total : r.self);
  const rows = flatProfile(tree).sort((a, b) => value(b) - value(a) || (a.frame.name < b.frame.name ? -1 : a.frame.name > b.frame.name ? 1 : 0));
  const { paint, time } = painter(tree.time, options);
  const threshold = options.showAll ? 0 : (options.flatThreshold ?? 0.001) * tree.time;
  const lines: string[] = [];
  let left = 0;
  for (const r of rows) {
    if (value(r) <= 0 || value(r) < threshold) {
      if (value(r) > 0) left++;
      continue;
    }
    const f = r.frame;
    const name = f.kind === "js" && !isLibraryFrame(f, options) ? paint(ANSI.app, f.name) : f.name;
    const where = f.file ? `  ${paint(ANSI.faint, location(f.file, f.line, f.col, options.cwd))}` : "";
    lines.push(`${time(value(r))} ${name}${where}`);
  }
  if (left > 0) lines.push(paint(ANSI.faint, `(${left} more under ${+((options.flatThreshold ?? 0.001) * 100).toFixed(2)}%)`));
  return lines;
}
