/**
 * Reads the scheduler's counters of the calling process's main thread
 * (Linux only), for {@linkcode threadBusyMs}. Not a backend; free of
 * runtime-only modules so that any backend or preload may import it.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { parseThreadStats, type ThreadStats } from "../src/import/thread_busy.ts";

/**
 * The main thread's counters now, or undefined where the system keeps none
 * (not Linux, or a kernel without scheduler statistics).
 *
 * @example
 * ```ts
 * import { mainThreadStats } from "./_thread_stats.ts";
 * const before = mainThreadStats();
 * ```
 */
export function mainThreadStats(): ThreadStats | undefined {
  try {
    const task = `/proc/self/task/${process.pid}`;
    return parseThreadStats(readFileSync(`${task}/schedstat`, "utf8"), readFileSync(`${task}/status`, "utf8"));
  } catch {
    return undefined;
  }
}
