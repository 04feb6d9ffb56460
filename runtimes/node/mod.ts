/**
 * The Node backend: V8's sampler through an in-process `node:inspector`
 * session. Node answers inspector calls synchronously on the main thread, so
 * the profile can be collected even inside an `exit` handler.
 *
 * @module
 */
import process from "node:process";
import type { Backend } from "../../src/backend.ts";
import { inspectorBackend } from "../../src/inspector_profiler.ts";
import { mapsFromTable } from "../../src/sourcemap/map_source.ts";
import { connectInspector, processCpuTimeMs, readTextFile } from "../_inspector_session.ts";
import { runtimeMaps } from "./runtime_maps.ts";

/**
 * Creates a backend that samples the calling Node thread.
 *
 * @example
 * ```ts
 * import { nodeBackend } from "./mod.ts";
 * const backend = nodeBackend();
 * await backend.start({ intervalMs: 1 });
 * const recording = await backend.stop();
 * ```
 */
export function nodeBackend(): Backend {
  return inspectorBackend({
    name: "node",
    runtimeVersion: process.versions.node,
    synchronous: true,
    connect: connectInspector,
    cpuTimeMs: processCpuTimeMs,
    // `stop()` maps through the maps Node holds (tsx's, code compiled
    // through `vm` with an inline map) and those beside the code on disk.
    // `stopSync()` leaves that to its caller (the CLI's preloads).
    mapSources: { readText: readTextFile, knownMaps: (profile) => mapsFromTable(runtimeMaps([profile]), readTextFile) },
  });
}
