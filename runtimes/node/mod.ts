/**
 * The Node backend: V8's sampler through an in-process `node:inspector`
 * session. Node answers inspector calls synchronously on the main thread, so
 * the profile can be collected even inside an `exit` handler.
 *
 * @module
 */
import process from "node:process";
import type { Backend, Recording } from "../../src/backend.ts";
import { inspectorBackend } from "../_inspector_backend.ts";
import { connectInspector, processCpuTimeMs } from "../_inspector_session.ts";
import { keptOpen, readTextFile } from "../_files.ts";
import { mapsFromTable } from "../../src/sourcemap/map_source.ts";
import { runtimeMaps } from "./runtime_maps.ts";
import { withAwaits } from "../_with_awaits.ts";
import { trackNodeAwaits } from "./awaits.ts";
import { stoppedAtExit } from "../_stop_at_exit.ts";

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
  const sampler = inspectorBackend({
    name: "node",
    runtimeVersion: process.versions.node,
    synchronous: true,
    connect: connectInspector,
    cpuTimeMs: processCpuTimeMs,
  });
  const backend = withAwaits(sampler, { track: (minMs, marked) => trackNodeAwaits({ minMs, marked }), finish: mapped, readSource: readTextFile });
  return stoppedAtExit(backend as Backend & { stopSync(): Recording }, (listener) => {
    process.on("exit", listener);
    return () => process.off("exit", listener);
  });
}

/**
 * Node maps a stopped recording through the maps it holds (tsx's, code
 * compiled through `vm` with an inline map) and those beside the code on
 * disk, after the waits are charged.
 */
async function mapped(recording: Recording): Promise<Recording> {
  const [{ mapWithKnownMaps }, { fileLineReader }] = await Promise.all([
    import("../../src/sourcemap/map_with_sources.ts"),
    import("../../src/sourcemap/source_lines.ts"),
  ]);
  const files = keptOpen();
  const { profile, warnings } = files.closeAfter(() =>
    mapWithKnownMaps(recording.profile, mapsFromTable(runtimeMaps([recording.profile]), readTextFile), readTextFile, fileLineReader(files.open))
  );
  const all = [...(recording.warnings ?? []), ...warnings];
  return { ...recording, profile, ...(all.length > 0 ? { warnings: all } : {}) };
}
