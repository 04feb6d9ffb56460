/**
 * What a Bun process profiled by `--cpu-prof` notes at its exit so that its
 * gaps between samples can be split into busy and idle time: how long its
 * main thread was busy since it started (`thread_busy.ts`), which covers
 * the profile (Bun starts its sampler as the process starts).
 *
 * @module
 */
import { mainThreadStats } from "../../../runtimes/_thread_stats.ts";
import { threadBusyMs } from "../../import/thread_busy.ts";

/**
 * `{ busyMs }` for the note, or nothing where the system keeps no counters.
 *
 * @example
 * ```ts
 * import { mainThreadBusy } from "./bun_busy.ts";
 * const note = { exitCode: 0, ...mainThreadBusy() };
 * ```
 */
export function mainThreadBusy(): { busyMs?: number } {
  const stats = mainThreadStats();
  return stats ? { busyMs: threadBusyMs(stats) } : {};
}
