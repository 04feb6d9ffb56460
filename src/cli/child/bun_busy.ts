/**
 * What a Bun process profiled by `--cpu-prof` notes of its main thread at
 * exit, so that its profile can be read right: how long the thread was busy
 * since it started (`thread_busy.ts`), which splits the profile's gaps into
 * busy and idle time, with a reading taken as the preload started, which
 * tells the part before the profile began (Bun starts its sampler a few
 * milliseconds into the thread's life); and when the program ended, as Bun
 * ends its profile at the last sample, which may come early.
 *
 * @module
 */
import { mainThreadStats } from "../../../runtimes/_thread_stats.ts";
import { type BusyReading, threadBusyMs } from "../../import/thread_busy.ts";
import type { BunThreadNote } from "../protocol.ts";

/**
 * How busy the main thread has been since it started, read now: taken as
 * the preload starts, it tells the busy time before the profile began from
 * the program's (`busyAfter` in `thread_busy.ts`).
 *
 * @example
 * ```ts
 * import { busyReading, mainThreadNote } from "./bun_busy.ts";
 * const early = busyReading();
 * // ... at exit:
 * const note = mainThreadNote(early);
 * ```
 */
export function busyReading(): BusyReading | undefined {
  const stats = mainThreadStats();
  // Bun's profile is stamped with the wall clock.
  return stats && { atMs: performance.timeOrigin + performance.now(), busyMs: threadBusyMs(stats) };
}

/**
 * The main thread's note, taken now (at exit); `early` is the reading the
 * preload took as it started.
 *
 * @example
 * ```ts
 * import { mainThreadNote } from "./bun_busy.ts";
 * const note = { exitCode: 0, ...mainThreadNote() };
 * ```
 */
export function mainThreadNote(early?: BusyReading): BunThreadNote {
  const stats = mainThreadStats();
  // Bun's profile is stamped with the wall clock, in microseconds.
  const endedAtMs = performance.timeOrigin + performance.now();
  return stats ? { busyMs: threadBusyMs(stats), endedAtMs, ...(early ? { busyAt: early } : {}) } : { endedAtMs };
}
