/**
 * What a Bun process profiled by `--cpu-prof` notes of its main thread at
 * exit, so that its profile can be read right: how long the thread was busy
 * since it started (`thread_busy.ts`), which covers the profile (Bun starts
 * its sampler as the process starts) and splits its gaps into busy and idle
 * time; and when the program ended, as Bun ends its profile at the last
 * sample, which may come early.
 *
 * @module
 */
import { mainThreadStats } from "../../../runtimes/_thread_stats.ts";
import { threadBusyMs } from "../../import/thread_busy.ts";
import type { BunThreadNote } from "../protocol.ts";

/**
 * The main thread's note, taken now (at exit).
 *
 * @example
 * ```ts
 * import { mainThreadNote } from "./bun_busy.ts";
 * const note = { exitCode: 0, ...mainThreadNote() };
 * ```
 */
export function mainThreadNote(): BunThreadNote {
  const stats = mainThreadStats();
  // Bun's profile is stamped with the wall clock, in microseconds.
  const endedAtMs = performance.timeOrigin + performance.now();
  return stats ? { busyMs: threadBusyMs(stats), endedAtMs } : { endedAtMs };
}
