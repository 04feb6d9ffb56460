/**
 * How much of a V8 profile's busy time came in short bursts between waits,
 * and a line for the report when that is much: V8's sampler misses part of
 * such bursts, and no weighting of the samples can give it back.
 *
 * Why (measured in bench/RESULTS-bursts.md): the sampler interrupts the
 * main thread with a signal every interval, waiting or not. The signal also
 * wakes the event loop's wait, and the loop, whose clock counts whole
 * milliseconds, then runs the timers that fell due since. So a timer's
 * callback starts right after a sample, and the next sample comes one
 * period later: a callback shorter than the period is never caught, and a
 * longer one loses what follows its last sample. A program woken by the
 * network does not start in step with the sampler and loses less.
 *
 * @module
 */
import type { V8CpuProfile } from "./v8_cpuprofile.ts";
import { medianIntervalMs, sampleSpans } from "./v8_cpuprofile.ts";

/** The share of busy time in short bursts from which the report carries a note. */
export const SHORT_BURST_NOTE_SHARE = 0.1;
/** And the least time in short bursts that does, in sampling intervals. */
export const SHORT_BURST_NOTE_INTERVALS = 10;

/**
 * The share (0 to 1) of the profile's busy (not idle) time that came in
 * runs of one or two samples with idle samples on both sides.
 *
 * @example
 * ```ts
 * import { shortBurstShare } from "./v8_bursts.ts";
 * const frame = (functionName: string) => ({ functionName, scriptId: "0", url: "", lineNumber: -1, columnNumber: -1 });
 * const cpu = {
 *   nodes: [
 *     { id: 1, callFrame: frame("(root)"), children: [2, 3] },
 *     { id: 2, callFrame: frame("(idle)") },
 *     { id: 3, callFrame: frame("tick") },
 *   ],
 *   startTime: 0, endTime: 4000, samples: [2, 3, 2, 2], timeDeltas: [0, 1000, 1000, 1000],
 * };
 * shortBurstShare(cpu); // 1: all the busy time was one sample between waits
 * ```
 */
export function shortBurstShare(cpu: V8CpuProfile): number {
  const { short, busy } = shortBursts(cpu);
  return busy > 0 ? short / busy : 0;
}

/** The busy time in short bursts, and all of it, µs (see {@linkcode shortBurstShare}). */
function shortBursts(cpu: V8CpuProfile): { short: number; busy: number } {
  const samples = cpu.samples ?? [];
  const idle = new Set(cpu.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  // spans[i + 1] is what sample i stands for (see sampleSpans).
  const spans = sampleSpans(cpu);
  let busy = 0;
  let short = 0;
  for (let i = 0; i < samples.length;) {
    if (idle.has(samples[i]!)) {
      i++;
      continue;
    }
    let j = i;
    let run = 0;
    for (; j < samples.length && !idle.has(samples[j]!); j++) run += spans[j + 1]!;
    busy += run;
    if (i > 0 && j < samples.length && j - i <= 2) short += run;
    i = j;
  }
  return { short, busy };
}

/**
 * A line for the report when at least {@linkcode SHORT_BURST_NOTE_SHARE}
 * of the busy time came in short bursts; `hint` ends it (what measures
 * such functions on this runtime).
 *
 * @example
 * ```ts
 * import { shortBurstNote } from "./v8_bursts.ts";
 * declare const cpu: import("./v8_cpuprofile.ts").V8CpuProfile;
 * shortBurstNote(cpu, "--backend portable measures them"); // a line, or undefined
 * ```
 */
export function shortBurstNote(cpu: V8CpuProfile, hint?: string): string | undefined {
  const { short, busy } = shortBursts(cpu);
  const share = busy > 0 ? short / busy : 0;
  // A few intervals' worth (a waiting program's wake-ups) misleads no one, whatever its share.
  if (share < SHORT_BURST_NOTE_SHARE || short < SHORT_BURST_NOTE_INTERVALS * 1000 * medianIntervalMs(cpu.timeDeltas ?? [])) return undefined;
  return `${Math.round(100 * share)}% of the busy time came in bursts of one or two samples between waits: V8's sampler misses part of such bursts (a timer's callback starts right after a sample), so functions that run in short bursts may show half their time or less${hint ? ` (${hint})` : ""}`;
}
