/**
 * Weights written in whole microseconds, as tsprof's files keep them.
 *
 * @module
 */

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
  const out = new Array<number>(weights.length);
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
