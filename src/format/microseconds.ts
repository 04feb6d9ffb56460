/**
 * Weights written in whole microseconds, as tsprof's files keep them.
 *
 * @module
 */
import type { Profile, Session, SessionMeta } from "./types.ts";

/**
 * `weights` (ms) rounded to whole microseconds where their running sum falls,
 * so that the rounding never adds up: the rounded weights sum to the total
 * to within half a microsecond, however many there are.
 *
 * @example
 * ```ts
 * import { microsecondWeights } from "./microseconds.ts";
 * microsecondWeights([0.0004, 0.0004, 0.0004]); // [0, 0.001, 0]: sums to 0.001, the total 0.0012 rounded
 * ```
 */
export function microsecondWeights(weights: ArrayLike<number>): number[] {
  return roundInto(weights, new Array<number>(weights.length));
}

/** {@linkcode microsecondWeights} written into `out`. */
function roundInto<T extends number[] | Float64Array>(weights: ArrayLike<number>, out: T): T {
  let sum = 0;
  let written = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    const upTo = Math.round(sum * 1000);
    out[i] = (upTo - written) / 1000;
    written = upTo;
  }
  return out;
}

/**
 * `session` with its duration and its profiles' weights and line ticks in
 * whole microseconds, as tsprof's files keep them: a report drawn from it is
 * the one drawn from the file it is saved to (a time on the edge of a printed
 * millisecond rounds the same way in both), and the weights still add up to
 * the duration (Deno's clock has fractions of a microsecond).
 *
 * @example
 * ```ts
 * import { asWritten } from "./microseconds.ts";
 * import { ProfileBuilder } from "./builder.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "work", kind: "js" }], 0.0004);
 * const meta = { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 } as const;
 * asWritten({ version: 1, meta, profiles: [b.build()] }).profiles[0]!.weights[0]; // 0
 * ```
 */
export function asWritten(session: Session): Session {
  return { ...session, meta: metaAsWritten(session.meta), profiles: session.profiles.map(profileAsWritten) };
}

/** `meta` with its duration in whole microseconds, as {@linkcode asWritten} gives it. */
export function metaAsWritten(meta: SessionMeta): SessionMeta {
  return { ...meta, durationMs: wholeMicroseconds(meta.durationMs) };
}

/** `ms` rounded to whole microseconds. */
function wholeMicroseconds(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A profile's weights and line ticks as {@linkcode asWritten} gives them. */
export function profileAsWritten(p: Profile): Profile {
  const weights = roundInto(p.weights, new Float64Array(p.weights.length));
  if (!p.lines) return { ...p, weights };
  const lines = new Map<number, ReadonlyMap<number, number>>();
  for (const [f, byLine] of p.lines) lines.set(f, new Map([...byLine].map(([l, ms]) => [l, wholeMicroseconds(ms)])));
  return { ...p, weights, lines };
}
