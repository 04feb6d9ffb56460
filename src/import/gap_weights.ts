/**
 * Weights of samples from a sampler that records nothing while the thread
 * waits (JavaScriptCore's, in Bun): a gap between two samples is busy time
 * of the earlier stack, idle time, or a mix, and the samples alone cannot
 * tell which. A sample never stands for more than the sampler could have
 * covered:
 *
 * - with the thread's busy time known (the scheduler's count, see
 *   `thread_busy.ts`), each sample covers at most `c` of its span, with `c`
 *   chosen so that the samples add up to that busy time: a CPU-bound run
 *   keeps all its spans (a loaded machine delays the sampler, not the
 *   work), a program woken by timers or requests keeps a few intervals per
 *   sample, the same for every sample;
 * - without it, a span of up to two intervals is busy (the sampler's rhythm
 *   with its jitter), as is a longer one between two such spans (the sampler
 *   ran late inside busy code); any other sample covers one interval.
 *
 * @module
 */

/**
 * The busy part of each span (µs), in the order given. `spans` are the
 * times each sample stands for before the split (µs); the rest is idle.
 * With `leadIn`, the first span is the time before the first sample.
 *
 * @example
 * ```ts
 * import { busySpans } from "./gap_weights.ts";
 * // Three samples 10 ms apart, 3 ms of measured busy time: 1 ms each.
 * busySpans([10_000, 10_000, 10_000], 1, 3); // [1000, 1000, 1000]
 * // No busy time known: one interval each, as the gaps are long.
 * busySpans([10_000, 10_000, 10_000], 1); // [1000, 1000, 1000]
 * ```
 */
export function busySpans(spans: readonly number[], intervalMs: number, busyMs?: number, leadIn = false): number[] {
  if (busyMs !== undefined && Number.isFinite(busyMs)) {
    const cap = waterLevel(spans, Math.max(0, busyMs * 1000));
    return spans.map((s) => Math.min(s, cap));
  }
  const short = 2000 * intervalMs;
  const isShort = (i: number) => i >= 0 && i < spans.length && spans[i]! <= short;
  return spans.map((s, i) => {
    if (s <= short || (s <= 5 * short / 2 && isShort(i - 1) && isShort(i + 1))) return s;
    // The lead-in has no sample at its start: all of a long one is waiting.
    return i === 0 && leadIn ? 0 : Math.min(s, 1000 * intervalMs);
  });
}

/** The cap `c` with `sum(min(span, c)) = busy`; Infinity when busy covers every span. */
function waterLevel(spans: readonly number[], busy: number): number {
  const sorted = spans.filter((s) => s > 0).sort((a, b) => a - b);
  let left = busy;
  for (let k = 0; k < sorted.length; k++) {
    const rest = sorted.length - k;
    if (sorted[k]! * rest >= left) return left / rest;
    left -= sorted[k]!;
  }
  return Infinity;
}
