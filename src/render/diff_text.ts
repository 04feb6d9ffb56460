/**
 * How the diff reports write times and changes, shared by the console and
 * markdown renderers so that both say the same thing the same way.
 *
 * @module
 */
import type { Change } from "../diff/significance.ts";
import type { DiffSide } from "../diff/diff_tree.ts";

/**
 * A duration for people: `850 ms` under a second, `1.234 s` above.
 *
 * @example
 * ```ts
 * import { formatMs } from "./diff_text.ts";
 * formatMs(850); // "850 ms"
 * formatMs(1234.5); // "1.235 s"
 * ```
 */
export function formatMs(ms: number): string {
  const a = Math.abs(ms);
  if (a >= 1000) return `${(ms / 1000).toFixed(3)} s`;
  if (a >= 10 || a === 0) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/**
 * A change with its sign: `+250 ms`, `-1.200 s`, `±0 ms`.
 *
 * @example
 * ```ts
 * import { formatDelta } from "./diff_text.ts";
 * formatDelta(250); // "+250 ms"
 * ```
 */
export function formatDelta(ms: number): string {
  if (Math.abs(ms) < 0.05) return "±0 ms";
  return ms > 0 ? `+${formatMs(ms)}` : `-${formatMs(-ms)}`;
}

/**
 * The change as a percentage of the base, or `new` / `gone`.
 *
 * @example
 * ```ts
 * import { formatRatio } from "./diff_text.ts";
 * formatRatio({ base: 100, head: 150, delta: 50, ratio: 0.5, z: 5, p: 0, confidence: "sure" }); // "+50%"
 * ```
 */
export function formatRatio(change: Change): string {
  if (change.base === 0 && change.head > 0) return "new";
  if (change.head === 0 && change.base > 0) return "gone";
  if (change.ratio === null) return "";
  const pct = change.ratio * 100;
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  return `${pct >= 0 ? "+" : ""}${pct.toFixed(digits)}%`;
}

/**
 * {@linkcode formatRatio} in parentheses after a space, or nothing where a
 * change has none (no time on either side).
 *
 * @example
 * ```ts
 * import { ratioInParens } from "./diff_text.ts";
 * ratioInParens({ base: 0, head: 0, delta: 0, ratio: null, z: 0, p: 1, confidence: "noise" }); // ""
 * ```
 */
export function ratioInParens(change: Change): string {
  const r = formatRatio(change);
  return r === "" ? "" : ` (${r})`;
}

/**
 * One side of a diff in a line: runtime, time, samples, command.
 *
 * @example
 * ```ts
 * import { describeSide } from "./diff_text.ts";
 * describeSide({ runtime: "node 20.1.0", totalMs: 1500, samples: 1500, sampleMs: 1 }); // "node 20.1.0, 1.500 s, 1500 samples"
 * ```
 */
export function describeSide(side: DiffSide): string {
  const command = side.command && side.command.length > 0 ? `, ${side.command.join(" ")}` : "";
  return `${side.runtime || "unknown runtime"}, ${formatMs(side.totalMs)}, ${side.samples} samples${command}`;
}

/**
 * What a report says of how changes were judged, for a noise model's spread.
 *
 * @example
 * ```ts
 * import { noiseRule } from "./diff_text.ts";
 * noiseRule(0.05); // "shown: changes the sample counts support (z ≥ 3 ..."
 * ```
 */
export function noiseRule(noise: number): string {
  return `shown: changes the sample counts support (z ≥ 3 under a Poisson model with ${+(noise * 100).toFixed(1)}% run-to-run spread; "sure" at z ≥ 4)`;
}
