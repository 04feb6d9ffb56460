/**
 * The console report of a diff: both sides in the header, the total's
 * change, then the head's call tree with each path's time and change
 * (biggest change first), or with `flat` one line per function.
 *
 * @module
 */
import { biggestChanges, type DiffNode, type FunctionDiff, type SessionDiff, shownPaths } from "../diff/diff_tree.ts";
import { type Change, isSignificant } from "../diff/significance.ts";
import { location } from "../paths.ts";
import { describeSide, formatDelta, formatMs, formatRatio, noiseRule, ratioInParens } from "./diff_text.ts";

/**
 * Options for {@linkcode renderDiffConsole}.
 *
 * @example
 * ```ts
 * import type { DiffConsoleOptions } from "./diff_console.ts";
 * const options: DiffConsoleOptions = { flat: true, all: false };
 * ```
 */
export interface DiffConsoleOptions {
  /** Names for the two sides in the header (file names). */
  labels?: readonly [string, string];
  /** Show every path or function, the changes the data cannot support too. */
  all?: boolean;
  /** One line per function instead of the tree. */
  flat?: boolean;
  /** With `flat`: compare own time (`self`) or time on the stack (`total`). @default {"self"} */
  flatTime?: "self" | "total";
  /** Paths under this share of the larger total are left out. @default {0.01} */
  minShare?: number;
  /** Box-drawing characters (else ASCII). @default {true} */
  unicode?: boolean;
  /** ANSI colours: red for slower, green for faster. @default {false} */
  color?: boolean;
  /** Folder to show paths relative to. */
  cwd?: string;
  /** How many lines at most. @default {200} */
  maxLines?: number;
}

const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const FAINT = "\x1b[2m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/**
 * Renders a diff as text.
 *
 * @example
 * ```ts
 * import { diffSessions } from "../diff/diff_tree.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderDiffConsole } from "./diff_console.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "work", file: "/app/a.ts", line: 1, kind: "js" }], 100);
 * const s = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "20", intervalMs: 1, startTime: 0, durationMs: 100 }, profiles: [b.build()] };
 * renderDiffConsole(diffSessions(s, s)); // contains "No change the samples support"
 * ```
 */
export function renderDiffConsole(diff: SessionDiff, options: DiffConsoleOptions = {}): string {
  const paint = (code: string, s: string) => (options.color ? code + s + RESET : s);
  const cwd = options.cwd ?? diff.head.cwd;
  const [baseLabel, headLabel] = options.labels ?? ["base", "head"];
  const total = diff.root.change;
  const out = [
    paint(BOLD, "tsprof diff"),
    `  base: ${baseLabel}  (${describeSide(diff.base)})`,
    `  head: ${headLabel}  (${describeSide(diff.head)})`,
    // The whole run's change is not judged: a busy machine changes it as much as the code.
    `  total: ${formatMs(total.base)} -> ${formatMs(total.head)}  ${formatDelta(total.delta)}${ratioInParens(total)}`,
    "",
  ];
  const colour = (c: Change, s: string) => (!isSignificant(c) ? s : paint(c.delta > 0 ? RED : GREEN, s));
  const columns = (c: Change) => {
    const text = `${formatMs(c.head).padStart(9)}  ${formatDelta(c.delta).padStart(10)}  ${formatRatio(c).padStart(6)}  ${verdict(c).padEnd(6)}`;
    return colour(c, text);
  };
  const body = options.flat ? flatLines(diff.functions, options, columns, paint, cwd) : treeLines(diff, options, columns, paint, cwd);
  const maxLines = options.maxLines ?? 200;
  // --flat lists functions, not call paths: the notes say which.
  const unit = options.flat ? "function" : "path";
  if (body.length === 0) {
    const found = biggestChanges(diff.root, 1).length > 0;
    out.push(found ? `No change the samples support in the ${unit}s shown.` : "No change the samples support: the differences are within sampling noise and run-to-run spread.");
    if (!options.all) out.push(paint(FAINT, `(--all shows every ${unit} with its change)`));
  } else {
    out.push(paint(FAINT, `     head      change      %      sure  ${options.flat ? `function (${options.flatTime ?? "self"} time)` : "call path"}`));
    out.push(...body.slice(0, maxLines));
    if (body.length > maxLines) out.push(paint(FAINT, `... ${body.length - maxLines} more lines`));
  }
  out.push("", paint(FAINT, options.all ? `every ${unit} shown; \`~\`: a change within noise` : noiseRule(diff.noise)));
  return out.join("\n") + "\n";
}

/** `sure`, `likely`, or `~` for a change within noise (empty for none). */
function verdict(c: Change): string {
  if (c.delta === 0) return "";
  return c.confidence === "noise" ? "~" : c.confidence;
}

function treeLines(
  diff: SessionDiff,
  options: DiffConsoleOptions,
  columns: (c: Change) => string,
  paint: (code: string, s: string) => string,
  cwd: string | undefined,
): string[] {
  const root = shownPaths(diff.root, { all: options.all ?? false, minShare: options.minShare ?? 0.01 });
  const g = options.unicode === false ? { branch: "|- ", last: "`- ", pipe: "|  ", space: "   " } : { branch: "├─ ", last: "└─ ", pipe: "│  ", space: "   " };
  const lines: string[] = [];
  const todo: [DiffNode, string, string][] = [];
  const push = (nodes: readonly DiffNode[], prefix: string, top: boolean) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const last = i === nodes.length - 1;
      todo.push(top ? [nodes[i]!, "", ""] : [nodes[i]!, prefix + (last ? g.last : g.branch), prefix + (last ? g.space : g.pipe)]);
    }
  };
  push(root.children, "", true);
  while (todo.length > 0) {
    const [n, linePrefix, childPrefix] = todo.pop()!;
    lines.push(`${columns(n.change)}  ${linePrefix}${name(n.frame, paint, cwd)}`);
    // Own time that changed while the callees shown did not explain it.
    if (n.children.length > 0 && isSignificant(n.self)) {
      lines.push(`${columns(n.self)}  ${childPrefix}${n.children.length > 0 ? g.branch : g.last}[self]`);
    }
    push(n.children, childPrefix, false);
  }
  return lines;
}

function flatLines(
  functions: readonly FunctionDiff[],
  options: DiffConsoleOptions,
  columns: (c: Change) => string,
  paint: (code: string, s: string) => string,
  cwd: string | undefined,
): string[] {
  const which = options.flatTime === "total" ? "total" : "self";
  const rows = functions
    .filter((f) => (options.all ? f[which].base > 0 || f[which].head > 0 : isSignificant(f[which])))
    .sort((a, b) => Math.abs(b[which].delta) - Math.abs(a[which].delta));
  return rows.map((f) => `${columns(f[which])}  ${name(f.frame, paint, cwd)}`);
}

function name(frame: DiffNode["frame"], paint: (code: string, s: string) => string, cwd: string | undefined): string {
  const where = frame.file ? `  ${paint(FAINT, location(frame.file, frame.line, undefined, cwd))}` : "";
  return `${frame.name}${where}`;
}
