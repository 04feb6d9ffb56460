/**
 * Weights of samples from a sampler that records nothing while the thread
 * waits (JavaScriptCore's, in Bun): a gap between two samples is busy time
 * of the earlier stack, idle time, or a mix, and the samples alone cannot
 * tell which. A sample never stands for more than the sampler could have
 * covered:
 *
 * - a span of up to two intervals is the sampler's rhythm: the thread had a
 *   JavaScript stack at both ends, running or blocked in a synchronous
 *   call (`spawnSync`, `readFileSync`, `Atomics.wait`), and a wall-clock
 *   profiler charges both to the code. It is kept whole, whatever the
 *   busy time says, since a blocked thread uses no CPU;
 * - with the thread's busy time known (the scheduler's count, see
 *   `thread_busy.ts`), each longer span (and the lead-in) covers at most
 *   `c`, with `c` chosen so that they add up to the busy time the short
 *   spans leave: a CPU-bound run keeps all its spans (a loaded machine
 *   delays the sampler, not the work), a program woken by timers or
 *   requests keeps a few intervals per sample, the same for every sample;
 * - without it, a span of up to two intervals is busy (the sampler's rhythm
 *   with its jitter), as is a longer one between two such spans (the sampler
 *   ran late inside busy code); any other sample covers one interval.
 *
 * Where the program's `await`s were recorded, the part of a longer span
 * during which an `await` that began in it was pending is idle whatever the
 * busy time: the thread suspended that function after the span's sample,
 * and no JavaScript was sampled until the next (its runtime's own work
 * then is the wait's, as `charge_awaits.ts` counts it). Without this, the
 * one long span of a program that waits once took all the busy time the
 * samples left: the sample before an `await` (tsprof's own marking of it,
 * at worst) held half of the wait.
 *
 * @module
 */

/**
 * The busy part of each span (µs), in the order given. `spans` are the
 * times each sample stands for before the split (µs); the rest is idle.
 * With `leadIn`, the first span is the time before the first sample; spans
 * 0 to `startup - 1` are the start-up's, before the program's first sample.
 *
 * @example
 * ```ts
 * import { busySpans } from "./gap_weights.ts";
 * // Three samples 10 ms apart, 3 ms of measured busy time: 1 ms each.
 * busySpans([10_000, 10_000, 10_000], 1, 3); // [1000, 1000, 1000]
 * // Blocked in a synchronous call, sampled every ms, no CPU used: still the code's time.
 * busySpans([1000, 1000, 10_000], 1, 0); // [1000, 1000, 0]
 * // No busy time known: one interval each, as the gaps are long.
 * busySpans([10_000, 10_000, 10_000], 1); // [1000, 1000, 1000]
 * ```
 */
export function busySpans(spans: readonly number[], intervalMs: number, busyMs?: number, leadIn = false, startup = 0, waiting?: readonly number[]): number[] {
  const short = 2000 * intervalMs;
  // What of each span may be busy: all of it, but for a wait's time in a long one.
  const open = (s: number, i: number) => (waiting === undefined || s <= short ? s : Math.max(0, s - waiting[i]!));
  if (busyMs !== undefined && Number.isFinite(busyMs)) {
    const rhythm = (s: number, i: number) => s <= short && !(i === 0 && leadIn);
    // The start-up's spans (the runtime loading modules, sampled sparsely)
    // take their share of the busy time first: spread over the whole run,
    // it would lengthen every later sample before a wait.
    const early = (i: number) => i < startup;
    let kept = 0;
    const first: number[] = [];
    const pooled: number[] = [];
    spans.forEach((s, i) => (rhythm(s, i) ? (kept += s) : early(i) ? first.push(open(s, i)) : pooled.push(open(s, i))));
    let left = Math.max(0, busyMs * 1000 - kept);
    const firstCap = waterLevel(first, left);
    for (const s of first) left -= Math.min(s, firstCap);
    const cap = waterLevel(pooled, Math.max(0, left));
    return spans.map((s, i) => (rhythm(s, i) ? s : Math.min(open(s, i), early(i) ? firstCap : cap)));
  }
  const isShort = (i: number) => i >= 0 && i < spans.length && spans[i]! <= short;
  return spans.map((s, i) => {
    if (s <= short) return s;
    if (s <= 5 * short / 2 && isShort(i - 1) && isShort(i + 1)) return open(s, i);
    // The lead-in has no sample at its start: all of a long one is waiting.
    return i === 0 && leadIn ? 0 : Math.min(open(s, i), 1000 * intervalMs);
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

/**
 * A line for the report when much of the time in functions is estimated
 * rather than observed: the share charged beyond one interval per sample
 * in gaps longer than two intervals. Nothing when every gap was busy (the
 * busy time covers them all) or the estimate is small (a tenth of the time
 * in functions, or ten intervals). The last span, the program's end, is not
 * counted either. Spans before `from` are the start-up's,
 * which the report labels as such rather than as functions: they take
 * their busy time first (see {@linkcode busySpans}) and are not counted.
 *
 * @example
 * ```ts
 * import { estimateNote } from "./gap_weights.ts";
 * // Ten 1 ms bursts 10 ms apart, one sample each, 30 ms busy in all.
 * estimateNote(Array.from({ length: 10 }, () => 10_000), 1, 30); // "Bun records no idle samples: 67% of ..."
 * ```
 */
export function estimateNote(spans: readonly number[], intervalMs: number, busyMs?: number, from = 0, waiting?: readonly number[]): string | undefined {
  const busy = busySpans(spans, intervalMs, busyMs, false, from, waiting);
  let total = 0;
  let estimated = 0;
  let allBusy = true;
  // The last span runs to the profile's end: the program's own end (exit
  // handlers, the runtime's shutdown), unsampled; one sample's time, not bursts.
  for (let i = from; i < spans.length - 1; i++) {
    total += busy[i]!;
    if (busy[i]! < spans[i]!) allBusy = false;
    if (spans[i]! > 2000 * intervalMs) estimated += Math.max(0, busy[i]! - 1000 * intervalMs);
  }
  // A few intervals' worth of estimate misleads no one, whatever its share.
  if (allBusy || total === 0 || estimated < Math.max(0.1 * total, 10_000 * intervalMs)) return undefined;
  const share = `Bun records no idle samples: ${Math.round((100 * estimated) / total)}% of the time in functions is estimated`;
  return busyMs === undefined
    ? `${share} at one interval per sample; functions that run in short bursts may show half their time or less`
    : `${share} from the main thread's busy time; with Bun's own work (HTTP, I/O) on that thread, the time of functions that run in short bursts may be off by half or more, either way (--backend portable measures them)`;
}

/**
 * How much of each span (µs) is waiting that began in it: `spans` follow
 * one another from `startUs`; `intervals` are `[start, end]` pairs on the
 * same clock (a program's `await`s, suspended to resumed), each counted in
 * the span it began in only. That span is the gap after the last sample
 * before the function suspended; later spans may hold the program's code
 * again while an outer `await` is still pending (its callee runs), and are
 * left to the busy time.
 *
 * @example
 * ```ts
 * import { waitingInSpans } from "./gap_weights.ts";
 * waitingInSpans([1000, 10_000, 1000], 0, [[2000, 9000], [5000, 11_500]]); // [0, 9000, 0]
 * ```
 */
export function waitingInSpans(spans: readonly number[], startUs: number, intervals: readonly (readonly [number, number])[]): number[] {
  const sorted = intervals.filter(([a, b]) => b > a).map(([a, b]) => [a, b] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(spans.length).fill(0);
  let k = 0;
  let from = startUs;
  for (let i = 0; i < spans.length && k < sorted.length; i++) {
    const to = from + spans[i]!;
    // The intervals that began in this span, clipped to it; their union, as they come in order.
    let reach = from;
    for (; k < sorted.length && sorted[k]![0] < to; k++) {
      const [a, b] = sorted[k]!;
      if (a < from) continue;
      const end = Math.min(b, to);
      if (end > reach) {
        out[i]! += end - Math.max(a, reach);
        reach = end;
      }
    }
    from = to;
  }
  return out;
}
