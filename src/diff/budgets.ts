/**
 * Performance budgets: limits a profile must keep, checked by `tsprof
 * check` and `tsprof --check`. A budget is a limit on the whole run's time,
 * on the time with some code on the stack (a function by name, a package,
 * or files by glob), on that code's share of the total, or on how much
 * slower than a base profile the run may be. Relative budgets use the noise
 * rule of `diff`: only a change the sample counts support can break one.
 *
 * @module
 */
import type { Frame, Session } from "../format/types.ts";
import { packageName, shortPath } from "../paths.ts";
import { diffSessions, type DiffOptions } from "./diff_tree.ts";
import { type Change, isSignificant } from "./significance.ts";

/**
 * The budgets to check, as the budgets file and the flags give them.
 *
 * @example
 * ```ts
 * import type { Budgets } from "./budgets.ts";
 * const budgets: Budgets = { maxTotalMs: 2000, max: [{ target: "parseConfig", ms: 50 }], maxShare: [{ target: "lodash", share: 0.1 }] };
 * ```
 */
export interface Budgets {
  /** The whole run's time at most, in milliseconds. */
  maxTotalMs?: number;
  /** Time with the target's code on the stack at most. */
  max?: readonly { readonly target: string; readonly ms: number }[];
  /** Share of the total with the target's code on the stack at most (0 to 1). */
  maxShare?: readonly { readonly target: string; readonly share: number }[];
  /** How much slower than the base the total or a function's own time may get (0.1: 10 %). */
  maxRegression?: number;
}

/** One budget's outcome. */
export interface BudgetResult {
  /** What was limited, e.g. `parseConfig` or `total`. */
  readonly what: string;
  /** Which kind of budget. */
  readonly kind: "max" | "maxShare" | "maxTotal" | "maxRegression";
  /** The limit as the user wrote it, e.g. `50 ms` or `10%`. */
  readonly limit: string;
  /** What the profile has, in the limit's unit. */
  readonly actual: string;
  /** True when the limit is exceeded. */
  readonly broken: boolean;
  /** Something the user should know, e.g. that a target never ran. */
  readonly note?: string;
  /** For a regression: the change behind it. */
  readonly change?: Change;
}

/**
 * Parses a duration: `50ms`, `2s`, `1.5 s`, `1m`, or a bare number of
 * milliseconds.
 *
 * @throws {RangeError} when it is not one
 * @example
 * ```ts
 * import { parseDuration } from "./budgets.ts";
 * parseDuration("2s"); // 2000
 * parseDuration("50ms"); // 50
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/.exec(text);
  if (!m) throw new RangeError(`not a duration: "${text}" (write it as 50ms, 2s or 1m)`);
  const n = Number(m[1]);
  return m[2] === "s" ? n * 1000 : m[2] === "m" || m[2] === "min" ? n * 60_000 : n;
}

/**
 * Parses a share: `10%`, or a fraction from 0 to 1.
 *
 * @throws {RangeError} when it is not one
 * @example
 * ```ts
 * import { parseShare } from "./budgets.ts";
 * parseShare("10%"); // 0.1
 * ```
 */
export function parseShare(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
  const v = m ? (m[2] ? Number(m[1]) / 100 : Number(m[1])) : NaN;
  if (!(v >= 0) || (!m![2] && v > 1)) throw new RangeError(`not a share: "${text}" (write it as 10% or 0.1)`);
  return v;
}

/**
 * Reads a budgets file's JSON:
 * `{ "maxTotal": "2s", "max": { "parseConfig": "50ms" }, "maxShare": { "lodash": "10%" }, "maxRegression": "10%", "base": "base.tsprof" }`;
 * every field optional. Returns the budgets and the base profile's path, if any.
 *
 * @throws {RangeError} on an unknown field or a bad value
 * @example
 * ```ts
 * import { parseBudgetsJson } from "./budgets.ts";
 * parseBudgetsJson('{ "max": { "parse": "50ms" } }').budgets.max; // [{ target: "parse", ms: 50 }]
 * ```
 */
export function parseBudgetsJson(text: string): { budgets: Budgets; base?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RangeError(`not JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new RangeError("a budgets file holds one JSON object");
  const o = raw as Record<string, unknown>;
  const fields = ["maxTotal", "max", "maxShare", "maxRegression", "base", "$schema", "description"];
  for (const k of Object.keys(o)) if (!fields.includes(k)) throw new RangeError(`unknown field "${k}": the fields are ${fields.slice(0, 5).join(", ")}`);
  const str = (v: unknown, what: string): string => {
    if (typeof v === "number") return String(v);
    if (typeof v !== "string") throw new RangeError(`${what} must be a string such as "50ms" or "10%"`);
    return v;
  };
  const map = (v: unknown, what: string): [string, string][] => {
    if (v === undefined) return [];
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new RangeError(`${what} must be an object of target: limit`);
    return Object.entries(v).map(([k, x]) => [k, str(x, `${what}.${k}`)]);
  };
  const budgets: Budgets = {
    ...(o.maxTotal !== undefined ? { maxTotalMs: parseDuration(str(o.maxTotal, "maxTotal")) } : {}),
    ...(o.max !== undefined ? { max: map(o.max, "max").map(([target, v]) => ({ target, ms: parseDuration(v) })) } : {}),
    ...(o.maxShare !== undefined ? { maxShare: map(o.maxShare, "maxShare").map(([target, v]) => ({ target, share: parseShare(v) })) } : {}),
    ...(o.maxRegression !== undefined ? { maxRegression: parseShare(str(o.maxRegression, "maxRegression")) } : {}),
  };
  if (o.base !== undefined && typeof o.base !== "string") throw new RangeError(`base must be the path of a profile`);
  return { budgets, ...(typeof o.base === "string" ? { base: o.base } : {}) };
}

/**
 * Parses `target=limit` as the flags give it.
 *
 * @throws {RangeError} without an `=`
 * @example
 * ```ts
 * import { splitTarget } from "./budgets.ts";
 * splitTarget("parseConfig=50ms"); // ["parseConfig", "50ms"]
 * ```
 */
export function splitTarget(text: string): [string, string] {
  const eq = text.lastIndexOf("=");
  if (eq <= 0) throw new RangeError(`expected target=limit, e.g. parseConfig=50ms: got "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * A predicate for the frames a budget's target names: a function by name,
 * a package by name (`lodash`, `@scope/pkg`), or files by a glob on their
 * path as shown (`src/parse/*`; `*` matches anything).
 *
 * @example
 * ```ts
 * import { targetMatcher } from "./budgets.ts";
 * targetMatcher("lodash")({ name: "map", file: "/app/node_modules/lodash/map.js", kind: "js" }); // true
 * targetMatcher("parseConfig")({ name: "parseConfig", file: "/app/a.ts", kind: "js" }); // true
 * ```
 */
export function targetMatcher(target: string, cwd?: string): (frame: Frame) => boolean {
  const glob = target.includes("*") || target.includes("/")
    ? new RegExp(`^${target.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*")}$`)
    : undefined;
  return (f) => {
    if (f.kind !== "js" && f.kind !== "native") return f.name === target;
    if (f.name === target) return true;
    if (!f.file) return false;
    if (packageName(f.file) === target) return true;
    return glob !== undefined && glob.test(shortPath(f.file, cwd));
  };
}

/**
 * Milliseconds of the samples with a matching frame anywhere on their
 * stack, over all of a session's profiles: recursion and several matching
 * functions on one stack count once.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { timeWith } from "./budgets.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", kind: "js" }, { name: "parse", kind: "js" }], 3);
 * b.addSample([{ name: "main", kind: "js" }], 2);
 * const s = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 5 }, profiles: [b.build()] };
 * timeWith(s, (f) => f.name === "parse"); // 3
 * ```
 */
export function timeWith(session: Session, match: (frame: Frame) => boolean): number {
  let total = 0;
  for (const p of session.profiles) {
    const frameMatches = p.frames.map(match);
    // Parents come before children in the stack table.
    const has = new Uint8Array(p.stacks.length);
    for (let s = 0; s < p.stacks.length; s++) {
      const parent = p.stacks.parent[s]!;
      has[s] = frameMatches[p.stacks.frame[s]!] || (parent >= 0 && has[parent] === 1) ? 1 : 0;
    }
    for (let i = 0; i < p.samples.length; i++) {
      const s = p.samples[i]!;
      if (s >= 0 && has[s] === 1) total += p.weights[i]!;
    }
  }
  return total;
}

/** The whole run's time: the wall time it covered, else its samples' time. */
function sessionTotal(session: Session): number {
  let sum = 0;
  for (const p of session.profiles) for (const w of p.weights) sum += w;
  return session.meta.durationMs > 0 ? Math.max(session.meta.durationMs, 0) : sum;
}

const ms = (v: number) => (v >= 1000 ? `${+(v / 1000).toFixed(3)} s` : `${+v.toFixed(1)} ms`);
const share = (v: number) => `${+(v * 100).toFixed(1)}%`;

/**
 * Checks a session against budgets; with a base session, the regression
 * budget too (the total and each function's own time).
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { checkBudgets } from "./budgets.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "parse", kind: "js" }], 80);
 * const s = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 80 }, profiles: [b.build()] };
 * checkBudgets(s, { max: [{ target: "parse", ms: 50 }] })[0]!.broken; // true
 * ```
 */
export function checkBudgets(session: Session, budgets: Budgets, base?: Session, options: DiffOptions = {}): BudgetResult[] {
  const out: BudgetResult[] = [];
  const cwd = options.cwd ?? session.meta.cwd;
  const total = sessionTotal(session);
  if (budgets.maxTotalMs !== undefined) {
    out.push({ what: "total", kind: "maxTotal", limit: ms(budgets.maxTotalMs), actual: ms(total), broken: total > budgets.maxTotalMs });
  }
  for (const { target, ms: limit } of budgets.max ?? []) {
    const t = timeWith(session, targetMatcher(target, cwd));
    out.push({ what: target, kind: "max", limit: ms(limit), actual: ms(t), broken: t > limit, ...(t === 0 ? { note: "not in the profile" } : {}) });
  }
  let samplesTotal = 0;
  for (const p of session.profiles) for (const w of p.weights) samplesTotal += w;
  for (const { target, share: limit } of budgets.maxShare ?? []) {
    const s = timeWith(session, targetMatcher(target, cwd)) / (samplesTotal || 1);
    out.push({ what: target, kind: "maxShare", limit: share(limit), actual: share(s), broken: s > limit, ...(s === 0 ? { note: "not in the profile" } : {}) });
  }
  if (budgets.maxRegression !== undefined && base) out.push(...regressions(base, session, budgets.maxRegression, options));
  return out;
}

/**
 * The regression budget: the total, and every function whose own time
 * grew by more than `limit` with a change the samples support and of at
 * least 1% of the base's total (smaller ones are not worth a failed build).
 */
function regressions(base: Session, head: Session, limit: number, options: DiffOptions): BudgetResult[] {
  const diff = diffSessions(base, head, options);
  const t = diff.root.change;
  const over = (c: Change) => isSignificant(c) && c.delta > 0 && (c.ratio === null || c.ratio > limit);
  const out: BudgetResult[] = [{
    what: "total",
    kind: "maxRegression",
    limit: `+${share(limit)}`,
    actual: t.ratio === null ? "new" : `${t.delta >= 0 ? "+" : ""}${share(t.ratio)}${isSignificant(t) ? "" : " (within noise)"}`,
    broken: over(t),
    change: t,
  }];
  const floor = 0.01 * t.base;
  for (const f of diff.functions) {
    if (!over(f.self) || f.self.delta < floor) continue;
    out.push({
      what: f.frame.name,
      kind: "maxRegression",
      limit: `+${share(limit)}`,
      actual: f.self.ratio === null ? `new (${ms(f.self.head)})` : `+${share(f.self.ratio)} (${ms(f.self.base)} -> ${ms(f.self.head)}, ${f.self.confidence})`,
      broken: true,
      change: f.self,
    });
  }
  return out;
}
