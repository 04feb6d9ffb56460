/**
 * The console report: a header, then the call tree the pyinstrument way,
 * with library frames folded into `[N frames hidden]` lines.
 *
 * @module
 */
import type { Session } from "../format/types.ts";
import { buildCallTree, type CallNode, type FrameGroup, selfTime } from "../tree/call_tree.ts";
import { type ProcessOptions, processTree } from "../tree/processors.ts";
import { shortPath } from "../paths.ts";

/** Options for {@linkcode renderConsole}. */
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
  /** Version string for the header. */
  version?: string;
}

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
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderConsole } from "./console.ts";
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
  const out: string[] = [];
  out.push(...header(session, options), "");
  for (const profile of session.profiles) {
    if (session.profiles.length > 1) out.push(`Profile: ${profile.name}`, "");
    if (profile.samples.length === 0) {
      out.push("No samples were recorded.", "");
      continue;
    }
    const tree = processTree(buildCallTree(profile, { timeline: options.timeline ?? false }), options);
    out.push(...renderTree(tree, session.meta.cwd, options), "");
  }
  return out.join("\n");
}

function header(session: Session, options: ConsoleOptions): string[] {
  const m = session.meta;
  const samples = session.profiles.reduce((n, p) => n + p.samples.length, 0);
  const when = new Date(m.startTime);
  const pad = (n: number) => String(n).padStart(2, "0");
  const recorded = `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
  const cpu = m.cpuTimeMs === undefined ? "" : `   CPU time: ${(m.cpuTimeMs / 1000).toFixed(3)} s`;
  const title = `tsprof${options.version ? ` ${options.version}` : ""}`;
  const lines = [
    `${title}  Recorded: ${recorded}  Samples: ${samples}`,
    `${" ".repeat(title.length)}  Duration: ${(m.durationMs / 1000).toFixed(3)} s${cpu}`,
    `${" ".repeat(title.length)}  Runtime: ${m.runtime} ${m.runtimeVersion}`,
  ];
  if (m.command && m.command.length > 0) lines.push(`Program: ${m.command.join(" ")}`);
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

/** A row of the drawn tree: a node, a `[self]` line, or a group line. */
type Row =
  | { readonly kind: "node"; readonly node: CallNode }
  | { readonly kind: "self"; readonly time: number; readonly file: string | undefined }
  | { readonly kind: "group"; readonly text: string };

/**
 * Draws a processed tree. The synthetic root is not drawn: its children are
 * the top-level lines.
 */
export function renderTree(root: CallNode, cwd: string | undefined, options: ConsoleOptions = {}): string[] {
  const g = options.unicode === false ? ASCII : UNICODE;
  const total = root.time;
  const threshold = (options.filterThreshold ?? 0.01) * total;
  const showAll = options.showAll ?? false;
  const lines: string[] = [];
  const fmtTime = (t: number): string =>
    options.time === "percent" ? `${((100 * t) / (total || 1)).toFixed(1)}%` : (t / 1000).toFixed(3);
  const paint = (code: string, s: string): string => (options.color ? code + s + ANSI.reset : s);
  const timeColour = (t: number): string => {
    const share = t / (total || 1);
    return share > 0.6 ? ANSI.red : share > 0.2 ? ANSI.yellow : share > 0.05 ? ANSI.green : ANSI.dimGreen;
  };

  const rowsOf = (node: CallNode): Row[] => {
    const rows: Row[] = [];
    const group = node.group;
    if (group && group.root === node && group.count >= 2) {
      const hidden = group.count - countShown(group, node, total);
      if (hidden >= 2) {
        const libs = group.libraries.join(", ");
        rows.push({ kind: "group", text: `[${hidden} frames hidden]  ${libs.length > 40 ? `${libs.slice(0, 37)}...` : libs}` });
      }
    }
    const kids = displayChildren(node, total);
    const self = selfTime(node);
    const items: Row[] = kids.map((n) => ({ kind: "node", node: n }));
    if (node.frame.kind !== "root" && kids.length > 0 && (self >= threshold || showAll) && self > 0) {
      items.push({ kind: "self", time: self, file: node.frame.file });
    }
    if (!options.timeline) items.sort((a, b) => rowTime(b) - rowTime(a));
    return rows.concat(items);
  };

  // Depth-first with an explicit stack: [row, prefix for this line, prefix for its children].
  const todo: [Row, string, string][] = [];
  const pushRows = (rows: Row[], prefix: string, top: boolean) => {
    for (let i = rows.length - 1; i >= 0; i--) {
      const isLast = i === rows.length - 1;
      const row = rows[i]!;
      if (top) todo.push([row, "", ""]);
      else if (row.kind === "group") todo.push([row, prefix + g.space, prefix]);
      else todo.push([row, prefix + (isLast ? g.last : g.branch), prefix + (isLast ? g.space : g.pipe)]);
    }
  };
  pushRows(rowsOf(root), "", true);
  while (todo.length > 0) {
    const [row, linePrefix, childPrefix] = todo.pop()!;
    if (row.kind === "group") {
      lines.push(linePrefix + paint(ANSI.faint, row.text));
      continue;
    }
    if (row.kind === "self") {
      const where = row.file ? `  ${paint(ANSI.faint, shortPath(row.file, cwd))}` : "";
      lines.push(`${linePrefix}${paint(timeColour(row.time), fmtTime(row.time))} [self]${where}`);
      continue;
    }
    const node = row.node;
    const f = node.frame;
    const isApp = f.kind === "js" && !node.group;
    const name = isApp ? paint(ANSI.app, f.name) : f.name;
    const where = f.file ? `  ${paint(ANSI.faint, location(f.file, f.line, f.col, cwd))}` : "";
    lines.push(`${linePrefix}${paint(timeColour(node.time), fmtTime(node.time))} ${name}${where}`);
    pushRows(rowsOf(node), childPrefix, false);
  }
  return lines;
}

function rowTime(row: Row): number {
  return row.kind === "node" ? row.node.time : row.kind === "self" ? row.time : Infinity;
}

/** `file:line:col`, the form editors and terminals jump to. */
export function location(file: string, line: number | undefined, col: number | undefined, cwd?: string): string {
  let s = shortPath(file, cwd);
  if (line !== undefined) s += `:${line}`;
  if (line !== undefined && col !== undefined) s += `:${col}`;
  return s;
}

/**
 * A frame inside a library group is drawn only when it is the group's root,
 * leads out of the group (has a child that is not in it), or holds more
 * than a fifth of the total as self time; the others are skipped and their
 * children drawn in their place.
 */
function isShownInGroup(node: CallNode, total: number): boolean {
  const group = node.group;
  if (!group || group.count < 2 || group.root === node) return true;
  if (node.children.some((c) => c.group !== group)) return true;
  return selfTime(node) > 0.2 * total;
}

function displayChildren(node: CallNode, total: number): CallNode[] {
  const out: CallNode[] = [];
  const todo = node.children.slice().reverse();
  while (todo.length > 0) {
    const c = todo.pop()!;
    if (isShownInGroup(c, total)) out.push(c);
    else for (let i = c.children.length - 1; i >= 0; i--) todo.push(c.children[i]!);
  }
  return out;
}

function countShown(group: FrameGroup, root: CallNode, total: number): number {
  let shown = 0;
  const todo = [root];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (n.group !== group) continue;
    if (isShownInGroup(n, total)) shown++;
    for (const c of n.children) todo.push(c);
  }
  return shown;
}
