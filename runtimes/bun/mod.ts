/**
 * The Bun backend: JavaScriptCore's sampler through Bun's `node:inspector`.
 *
 * Why not `bun:jsc`'s sampler: measured on deep recursion (8,000 frames,
 * `/usr/bin/time -v`), `bun:jsc` took 3.4 s and 1.4 GB to hand over 268
 * samples (it dumps every stack as JS objects, ~16 KB a sample, and a
 * synchronous loop leaves no moment to drain it), while the inspector took
 * 1.6 s and 240 MB for the same run and the same positions (TypeScript
 * lines, definition positions, line ticks). The inspector answers
 * asynchronously, so there is no `stopSync`; the CLI records Bun with
 * `bun --cpu-prof` instead, which writes its profile on every exit path.
 *
 * JSC takes no samples while the thread waits, so gaps between samples are
 * partly idle time: the scheduler's count of the thread's busy time says
 * how much (`src/import/gap_weights.ts`); the weights add up to the wall time.
 *
 * @module
 */
import type { Backend } from "../../src/backend.ts";
import { inspectorBackend } from "../_inspector_backend.ts";
import { isMainThread } from "node:worker_threads";
import { connectInspector, processCpuTimeMs } from "../_inspector_session.ts";
import { readTextFile } from "../_files.ts";
import { mainThreadStats } from "../_thread_stats.ts";

declare const Bun: { version: string };

/**
 * Creates a backend that samples the calling Bun thread.
 *
 * @example
 * ```ts
 * import { bunBackend } from "./mod.ts";
 * const backend = bunBackend();
 * await backend.start({ intervalMs: 1 });
 * const recording = await backend.stop();
 * ```
 */
export function bunBackend(): Backend {
  return inspectorBackend({
    name: "bun",
    runtimeVersion: Bun.version,
    synchronous: false,
    idleGaps: true,
    connect: connectInspector,
    cpuTimeMs: processCpuTimeMs,
    // Only the main thread's counters are found by pid; a worker goes without.
    threadStats: () => (isMainThread ? mainThreadStats() : undefined),
    // Positions are in the files that ran: bundles map through their maps,
    // frames move to their definitions, as the CLI does with --cpu-prof.
    mapSources: { readText: readTextFile, engine: "jsc" },
  });
}
