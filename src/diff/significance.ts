/**
 * How sure a change between two profiles is, from their sample counts.
 *
 * The rule (see docs/diff.md):
 *
 * 1. Did the time change? (In the CPU time the run got, where both runs
 *    say how much they had: `t × min(1, cpu / wall)`.) A path's time in one profile is the sum of the
 *    weights of the samples that landed on it. Sampling makes their number
 *    a Poisson count, so the time's variance is `t × w` with `w` = Σw²/Σw
 *    over the profile's samples (the interval, when weights are even); runs of the same program also differ by
 *    themselves (JIT, GC), a relative spread `noise` of the time, so the
 *    variance is `t × w + (noise × t)²`. `(head − base)` over the square
 *    root of the two variances summed is the z-score `zTime`.
 * 2. Did it change against the machine? A busy machine slows a whole run
 *    down, every function alike: that is no change of the code. The
 *    machine's factor is the ratio most functions agree with
 *    (`machineRatio`); where no function ran long enough to tell,
 *    the ratio of the rest of the run's code (idle time left out) stands
 *    in. The log of the path's ratio (head / base) minus the log of that
 *    factor, over its standard deviation (the Poisson terms of the path's
 *    two counts, `noise` once per run, and the factor's own variance), is
 *    the z-score `zShare`.
 *
 * A change's z is `zShare` when `zTime` points the same way and is at
 * least 2 (the time itself changed), else 0. A path that is over 90% of
 * either run has no rest to stand in for the factor (its rest is idle and
 * GC time): `zShare` against the functions' factor where there is one,
 * else `zTime`. Where the path is new or gone, or is the whole run (no
 * `rest` given), z is `zTime`. At
 * |z| ≥ 4 a change is `sure`, at 3 `likely`, under 3 it is `noise` and
 * hidden by default. A profile against itself has z = 0 everywhere.
 *
 * @module
 */
import type { MachineRatio } from "./machine_ratio.ts";

/** How sure a change is: `noise` changes are hidden unless asked for. */
export type Confidence = "sure" | "likely" | "noise";

/** A path's or function's change from base to head. */
export interface Change {
  /** Milliseconds in the base profile. */
  readonly base: number;
  /** Milliseconds in the head profile. */
  readonly head: number;
  /** `head − base`, in milliseconds. */
  readonly delta: number;
  /** `delta / base`; `null` when the base has none (a new path). */
  readonly ratio: number | null;
  /**
   * The growth against the machine, `(head / base) / machine factor − 1`
   * (see the module's rule): what `ratio` would be had both runs had the
   * machine alike. Absent where no rest was given or either time is 0.
   */
  readonly shareRatio?: number;
  /** The change in standard deviations of the noise model (see the module's rule). */
  readonly z: number;
  /** Two-sided p-value of `z` under the noise model. */
  readonly p: number;
  /** `sure` (|z| ≥ 4), `likely` (|z| ≥ 3) or `noise`. */
  readonly confidence: Confidence;
}

/** What the noise model needs to know of each profile. */
export interface NoiseModel {
  /** Milliseconds a sample of the base stands for (Σw²/Σw over its samples). */
  readonly baseSampleMs: number;
  /** Milliseconds a sample of the head stands for (Σw²/Σw over its samples). */
  readonly headSampleMs: number;
  /**
   * Relative run-to-run spread of a path's time beyond sampling (0.05: 5 %).
   * @default {0.05}
   */
  readonly noise?: number;
  /**
   * CPU time over wall time of each run, where both are known: how much of
   * the machine each run got. The first test compares times scaled by it,
   * so that a run the machine starved is not taken for slower code.
   * @default {1}
   */
  readonly baseMachine?: number;
  /** CPU time over wall time of the head run (see `baseMachine`). @default {1} */
  readonly headMachine?: number;
  /**
   * The machine's factor on the run's code (see `machineRatio`), that a
   * part of the run is compared against. Absent: the ratio of the `rest`
   * given to {@linkcode assessChange}.
   */
  readonly machine?: Pick<MachineRatio, "ratio" | "logVariance">;
}

/** |z| at or above which a change is `sure`. */
export const SURE_Z = 4;
/** |z| at or above which a change is `likely` (and shown by default). */
export const LIKELY_Z = 3;
/** How sure, at least, that the time itself changed, for the change against the rest to count. */
const TIME_GATE_Z = 2;
/** The rest's least share of a run for the second test. */
const MIN_REST = 0.1;

/**
 * Compares a time in the base with one in the head under the noise model;
 * `rest` is the time of the rest of each run (its total minus this), for
 * the second test.
 *
 * @example
 * ```ts
 * import { assessChange } from "./significance.ts";
 * const model = { baseSampleMs: 1, headSampleMs: 1 };
 * assessChange(100, 200, model, { base: 900, head: 900 }).confidence; // "sure": 100 → 200 samples
 * assessChange(100, 110, model, { base: 900, head: 900 }).confidence; // "noise"
 * assessChange(100, 200, model, { base: 900, head: 1800 }).confidence; // "noise": the whole run doubled
 * assessChange(100, 200, { ...model, machine: { ratio: 1, logVariance: 0.001 } }, { base: 900, head: 1800 }).confidence; // "sure": most functions kept their time
 * assessChange(3, 6, model).confidence; // "noise": too few samples to tell
 * ```
 */
export function assessChange(base: number, head: number, model: NoiseModel, rest?: { base: number; head: number }): Change {
  const noise = model.noise ?? 0.05;
  const delta = head - base;
  // Without a rest to compare with, the times as measured; else in the machine time each run got.
  const bm = rest ? (model.baseMachine ?? 1) : 1;
  const hm = rest ? (model.headMachine ?? 1) : 1;
  const variance = bm * bm * base * model.baseSampleMs + hm * hm * head * model.headSampleMs + (noise * bm * base) ** 2 + (noise * hm * head) ** 2;
  const scaledDelta = hm * head - bm * base;
  let z = scaledDelta === 0 || !(variance > 0) ? 0 : scaledDelta / Math.sqrt(variance);
  const whole = rest !== undefined && base > 0 && head > 0 && (rest.base <= MIN_REST * (base + rest.base) || rest.head <= MIN_REST * (head + rest.head));
  // A path that is nearly the whole run has no rest to stand in for the machine: only the functions' factor.
  const machine = rest && base > 0 && head > 0 ? (model.machine ?? (whole ? undefined : restRatio(rest, model))) : undefined;
  if (machine !== undefined && z !== 0) {
    const logRatio = Math.log(head / base) - Math.log(machine.ratio);
    const logVariance = model.baseSampleMs / base + model.headSampleMs / head + machine.logVariance + 2 * noise * noise;
    const zShare = logRatio / Math.sqrt(logVariance);
    z = Math.sign(zShare) === Math.sign(z) && Math.abs(z) >= TIME_GATE_Z ? zShare : 0;
  }
  const abs = Math.abs(z);
  return {
    base,
    head,
    delta,
    ratio: base > 0 ? delta / base : null,
    ...(machine !== undefined ? { shareRatio: head / base / machine.ratio - 1 } : {}),
    z,
    p: twoSidedP(abs),
    confidence: abs >= SURE_Z ? "sure" : abs >= LIKELY_Z ? "likely" : "noise",
  };
}

/** The rest of the run's ratio as the machine's factor, with its Poisson variance; none when either run has no rest. */
function restRatio(rest: { base: number; head: number }, model: NoiseModel): Pick<MachineRatio, "ratio" | "logVariance"> | undefined {
  if (!(rest.base > 0 && rest.head > 0)) return undefined;
  return { ratio: rest.head / rest.base, logVariance: model.baseSampleMs / rest.base + model.headSampleMs / rest.head };
}

/**
 * True when a change is one the data supports (`sure` or `likely`).
 *
 * @example
 * ```ts
 * import { assessChange, isSignificant } from "./significance.ts";
 * isSignificant(assessChange(50, 50, { baseSampleMs: 1, headSampleMs: 1 })); // false
 * ```
 */
export function isSignificant(change: Change): boolean {
  return change.confidence !== "noise";
}

/** P(|Z| ≥ z) for a standard normal Z (Abramowitz & Stegun 7.1.26, error under 1.5e-7). */
function twoSidedP(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.min(1, poly * Math.exp(-x * x));
}
