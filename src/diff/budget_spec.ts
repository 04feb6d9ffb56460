/**
 * Budgets as the user writes them (a budgets file, `--max` flags), parsed
 * and checked for mistakes: kept apart from the checking, so that
 * `tsprof --check` can refuse a bad file before the script runs without
 * loading the rest.
 *
 * @module
 */

/**
 * The budgets to check, as the budgets file and the flags give them.
 *
 * @example
 * ```ts
 * import type { Budgets } from "./budget_spec.ts";
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

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a duration: `50ms`, `2s`, `1.5 s`, `1m`, `1h`, or a bare number of
 * milliseconds.
 *
 * @throws {RangeError} when it is not one
 * @example
 * ```ts
 * import { parseDuration } from "./budget_spec.ts";
 * parseDuration("2s"); // 2000
 * parseDuration("50ms"); // 50
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(text);
  if (!m) throw new RangeError(`not a duration: "${text}" (write it as 50ms, 2s, 1m or 1h)`);
  const n = Number(m[1]);
  return n * (UNIT_MS[m[2] ?? "ms"] ?? 1);
}

/**
 * Parses a share: `10%`, or a fraction from 0 to 1.
 *
 * @throws {RangeError} when it is not one
 * @example
 * ```ts
 * import { parseShare } from "./budget_spec.ts";
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
 * Parses a share of the whole (at most 100%): a target's share of a
 * profile's total cannot be more, so a budget above it could never fail.
 *
 * @throws {RangeError} when it is not one
 * @example
 * ```ts
 * import { parseShareOfTotal } from "./budget_spec.ts";
 * parseShareOfTotal("25%"); // 0.25
 * ```
 */
export function parseShareOfTotal(text: string): number {
  const v = parseShare(text);
  if (v > 1) throw new RangeError(`not a share of the total: "${text}" (at most 100%)`);
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
 * import { parseBudgetsJson } from "./budget_spec.ts";
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
    ...(o.maxShare !== undefined ? { maxShare: map(o.maxShare, "maxShare").map(([target, v]) => ({ target, share: parseShareOfTotal(v) })) } : {}),
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
 * import { splitTarget } from "./budget_spec.ts";
 * splitTarget("parseConfig=50ms"); // ["parseConfig", "50ms"]
 * ```
 */
export function splitTarget(text: string): [string, string] {
  const eq = text.lastIndexOf("=");
  if (eq <= 0) throw new RangeError(`expected target=limit, e.g. parseConfig=50ms: got "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

