/**
 * How much faster or slower the head's machine ran the same code than the
 * base's: the factor a busy or a quicker machine puts on every function
 * alike, which is no change of the code.
 *
 * A change of the code touches some functions; a change of the machine
 * touches them all. So the factor is the one that most of the functions
 * both runs spent enough time in agree with: each function's own time's
 * ratio (head / base) within its noise of it. Where as many functions agree
 * with "no change" as with any other factor, the machine did not change.
 * One hot function that doubled is then a change against the rest, however
 * large its share of the run; a ratio of the run's totals, or of "the rest
 * of the run", would follow the hot function and call the untouched code
 * faster. Each function counts once, whatever its time: a share of time
 * says how sure its ratio is, not how likely its code is to have changed.
 *
 * @module
 */

/** The machine's factor on the run's code, head over base, and how sure it is. */
export interface MachineRatio {
  /** Head time over base time that the machine alone would give. */
  readonly ratio: number;
  /** Variance of `log(ratio)`, to add to a comparison against it. */
  readonly logVariance: number;
  /** How many functions agree with it. */
  readonly functions: number;
}

/** Samples a function needs in each run to count: fewer give a ratio that says little. */
const MIN_SAMPLES = 10;
/** How far, in standard deviations, a function's ratio may be from the machine's and still agree with it. */
const AGREE_Z = 3;

/**
 * The machine's factor from the functions' own times in both runs
 * (milliseconds; functions that ran in one run only are left out);
 * `undefined` when fewer than two functions ran long enough in both.
 *
 * @example
 * ```ts
 * import { machineRatio } from "./machine_ratio.ts";
 * const model = { baseSampleMs: 1, headSampleMs: 1, noise: 0.05 };
 * // One function of two doubled: as many say the machine did not change.
 * machineRatio([{ base: 700, head: 1400 }, { base: 300, head: 300 }], model)!.ratio; // 1
 * // All of them took 1.5 times as long: the machine did.
 * machineRatio([{ base: 700, head: 1050 }, { base: 200, head: 300 }, { base: 100, head: 150 }], model)!.ratio; // 1.5
 * ```
 */
export function machineRatio(
  selfTimes: Iterable<{ readonly base: number; readonly head: number }>,
  model: { readonly baseSampleMs: number; readonly headSampleMs: number; readonly noise: number },
): MachineRatio | undefined {
  const logs: number[] = [];
  const variances: number[] = [];
  for (const { base, head } of selfTimes) {
    if (base < MIN_SAMPLES * model.baseSampleMs || head < MIN_SAMPLES * model.headSampleMs) continue;
    logs.push(Math.log(head / base));
    variances.push(model.baseSampleMs / base + model.headSampleMs / head + 2 * model.noise * model.noise);
  }
  // One function's ratio is its own change as much as the machine's: with no other to tell them apart, no factor.
  if (logs.length < 2) return undefined;
  const agrees = (i: number, k: number) => Math.abs(logs[i]! - k) <= AGREE_Z * Math.sqrt(variances[i]!);
  const agreeing = (k: number) => logs.reduce((n, _, i) => n + (agrees(i, k) ? 1 : 0), 0);
  // The factor most functions agree with (each agrees with its own ratio); on a tie, the one nearest "no change".
  let most = agreeing(0);
  let at = 0;
  for (const candidate of logs) {
    const n = agreeing(candidate);
    if (n > most || (n === most && Math.abs(candidate) < Math.abs(at))) [most, at] = [n, candidate];
  }
  // The agreeing functions' ratios, each weighted by how sure it is.
  let weights = 0;
  let sum = 0;
  for (let i = 0; i < logs.length; i++) {
    if (!agrees(i, at)) continue;
    weights += 1 / variances[i]!;
    sum += logs[i]! / variances[i]!;
  }
  return { ratio: Math.exp(sum / weights), logVariance: 1 / weights, functions: most };
}
