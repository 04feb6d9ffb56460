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
import { biggestChanges, diffSessions, type DiffOptions } from "./diff_tree.ts";
import { type Change, isSignificant } from "./significance.ts";
import type { Budgets } from "./budget_spec.ts";

export { type Budgets, parseBudgetsJson, parseDuration, parseShare, parseShareOfTotal, splitTarget } from "./budget_spec.ts";

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
  /** Reported, not judged (never broken): the whole run's change against a base. */
  readonly info?: boolean;
  /** For a regression: the change behind it. */
  readonly change?: Change;
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
 * The regression budget: every call path whose time grew by more than
 * `limit` with a change the samples support (see `biggestChanges`: where
 * the time changed, not every caller above it) and of at least 1% of the
 * base's total (smaller ones are not worth a failed build). The whole
 * run's change is reported, never judged: a busy machine slows a run down
 * as much as slower code does (`maxTotal` limits it).
 */
function regressions(base: Session, head: Session, limit: number, options: DiffOptions): BudgetResult[] {
  const diff = diffSessions(base, head, options);
  const t = diff.root.change;
  // Slower in the CPU time each run got (z > 0), by more than the limit (see grewBy).
  const over = (c: Change) => isSignificant(c) && c.z > 0 && (c.ratio === null || c.delta <= 0 || grewBy(c) > limit);
  const out: BudgetResult[] = [{
    what: "total",
    kind: "maxRegression",
    limit: `+${share(limit)}`,
    actual: t.ratio === null ? "new" : `${t.delta >= 0 ? "+" : ""}${share(t.ratio)}`,
    broken: false,
    info: true,
    note: "the whole run, not judged: a busy machine changes it too",
    change: t,
  }];
  const floor = 0.01 * t.base;
  const changes = biggestChanges(diff.root, Infinity);
  let broken = 0;
  for (const { path, change } of changes) {
    if (!over(change) || grownMs(change) < floor) continue;
    broken++;
    const names = path.slice(-3).map((n) => n.frame.name);
    out.push({
      what: `${path.length > 3 ? "… > " : ""}${names.join(" > ")}`,
      kind: "maxRegression",
      limit: `+${share(limit)}`,
      actual: change.ratio === null ? `new (${ms(change.head)})` : `${growth(change)} (${ms(change.base)} -> ${ms(change.head)}, ${change.confidence})`,
      broken: true,
      change,
    });
  }
  if (broken === 0) {
    const grew = changes.filter((c) => grownMs(c.change) > 0).map((c) => c.change);
    const most = grew.length === 0 ? "no path grew beyond noise" : `the most a path grew beyond noise: ${grew[0]!.ratio === null ? "new" : growth(grew[0]!)}`;
    out.push({ what: "every call path", kind: "maxRegression", limit: `+${share(limit)}`, actual: most, broken: false });
  }
  return out;
}

/**
 * How much a path grew, as a ratio: in time, or against the machine's
 * factor (what the other functions did) where that is more (a base run the machine slowed down hides a
 * regression in time alone).
 */
function grewBy(c: Change): number {
  return Math.max(c.ratio ?? 0, c.shareRatio ?? -Infinity);
}

/** How many ms a path grew, by {@link grewBy}; all of it for a new path. */
function grownMs(c: Change): number {
  return c.ratio === null ? c.delta : c.base * grewBy(c);
}

/** {@link grewBy} as the report says it. */
function growth(c: Change): string {
  const by = grewBy(c);
  return `${by >= 0 ? "+" : ""}${share(by)}${by > (c.ratio ?? 0) ? " against the other functions" : ""}`;
}
