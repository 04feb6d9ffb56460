/**
 * A diff as JSON for tools: both sides, the noise model, the call paths
 * shown (or all, with `all`) and every function, each with its times in
 * both, the change and how sure it is.
 *
 * @module
 */
import { type DiffNode, type FunctionDiff, type SessionDiff, shownPaths } from "../diff/diff_tree.ts";
import { type Change, isSignificant } from "../diff/significance.ts";
import type { Frame } from "../format/types.ts";

/** A change as JSON: milliseconds rounded to microseconds. */
export interface ChangeJson {
  baseMs: number;
  headMs: number;
  deltaMs: number;
  /** `delta / base`; null for a path new in the head. */
  ratio: number | null;
  z: number;
  p: number;
  confidence: Change["confidence"];
  significant: boolean;
  status: "new" | "gone" | "changed" | "same";
}

/** A call path as JSON. */
export interface DiffNodeJson {
  name: string;
  kind: Frame["kind"];
  file?: string;
  line?: number;
  total: ChangeJson;
  self: ChangeJson;
  children: DiffNodeJson[];
}

/**
 * Renders a diff as JSON (`tsprofDiff: 1`).
 *
 * @example
 * ```ts
 * import { diffSessions } from "../diff/diff_tree.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderDiffJson } from "./diff_json.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "work", kind: "js" }], 10);
 * const s = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "20", intervalMs: 1, startTime: 0, durationMs: 10 }, profiles: [b.build()] };
 * JSON.parse(renderDiffJson(diffSessions(s, s))).total.deltaMs; // 0
 * ```
 */
export function renderDiffJson(diff: SessionDiff, options: { all?: boolean; minShare?: number; labels?: readonly [string, string] } = {}): string {
  const root = shownPaths(diff.root, { all: options.all ?? false, minShare: options.minShare ?? 0.01 });
  const functions = diff.functions.filter((f) => options.all || isSignificant(f.self) || isSignificant(f.total));
  const out = {
    tsprofDiff: 1,
    base: { ...(options.labels ? { file: options.labels[0] } : {}), ...diff.base },
    head: { ...(options.labels ? { file: options.labels[1] } : {}), ...diff.head },
    noise: { model: "poisson+spread", spread: diff.noise, likelyZ: 3, sureZ: 4 },
    total: changeJson(diff.root.change),
    paths: root.children.map(nodeJson),
    functions: functions.map(functionJson),
  };
  return JSON.stringify(out, null, 2) + "\n";
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function changeJson(c: Change): ChangeJson {
  const status = c.base === 0 && c.head > 0 ? "new" : c.head === 0 && c.base > 0 ? "gone" : c.delta === 0 ? "same" : "changed";
  return {
    baseMs: round(c.base),
    headMs: round(c.head),
    deltaMs: round(c.delta),
    ratio: c.ratio === null ? null : Math.round(c.ratio * 10000) / 10000,
    z: Math.round(c.z * 100) / 100,
    p: Number(c.p.toPrecision(3)),
    confidence: c.confidence,
    significant: isSignificant(c),
    status,
  };
}

function frameFields(f: Frame): { name: string; kind: Frame["kind"]; file?: string; line?: number } {
  return { name: f.name, kind: f.kind, ...(f.file !== undefined ? { file: f.file } : {}), ...(f.line !== undefined ? { line: f.line } : {}) };
}

/** Iterative: paths can be thousands of calls deep. */
function nodeJson(top: DiffNode): DiffNodeJson {
  const make = (n: DiffNode): DiffNodeJson => ({ ...frameFields(n.frame), total: changeJson(n.change), self: changeJson(n.self), children: [] });
  const out = make(top);
  const todo: [DiffNode, DiffNodeJson][] = [[top, out]];
  while (todo.length > 0) {
    const [n, j] = todo.pop()!;
    for (const c of n.children) {
      const cj = make(c);
      j.children.push(cj);
      todo.push([c, cj]);
    }
  }
  return out;
}

function functionJson(f: FunctionDiff) {
  return { ...frameFields(f.frame), self: changeJson(f.self), total: changeJson(f.total) };
}
