/**
 * The Node backend: V8's sampler through an in-process `node:inspector`
 * session. Node answers inspector calls synchronously on the main thread, so
 * the profile can be collected even inside an `exit` handler.
 *
 * @module
 */
import process from "node:process";
import type { Backend, BackendStartOptions, Recording } from "../../src/backend.ts";
import { inspectorBackend } from "../_inspector_backend.ts";
import { connectInspector, processCpuTimeMs, readTextFile } from "../_inspector_session.ts";
import { mapsFromTable } from "../../src/sourcemap/map_source.ts";
import { runtimeMaps } from "./runtime_maps.ts";
import { type AwaitTracker, matchSampledFrames } from "../../src/async/await_tracker.ts";
import { chargeAwaits } from "../../src/async/charge_awaits.ts";
import { trackNodeAwaits } from "./awaits.ts";

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
  return withAwaits(inspectorBackend({
    name: "node",
    runtimeVersion: process.versions.node,
    synchronous: true,
    connect: connectInspector,
    cpuTimeMs: processCpuTimeMs,
  }));
}

/**
 * The sampler with the waits of `await`s recorded beside it (unless
 * `async: false`) and charged to them when it stops.
 */
function withAwaits(sampler: Backend): Backend {
  // `stop()` maps through the maps Node holds (tsx's, code compiled through
  // `vm` with an inline map) and those beside the code on disk. `stopSync()`
  // leaves that to its caller (the CLI's preloads).
  const mapped = async (recording: Recording): Promise<Recording> => {
    const { mapWithKnownMaps } = await import("../../src/sourcemap/map_with_sources.ts");
    const { profile, warnings } = mapWithKnownMaps(recording.profile, mapsFromTable(runtimeMaps([recording.profile]), readTextFile), readTextFile);
    const all = [...(recording.warnings ?? []), ...warnings];
    return { ...recording, profile, ...(all.length > 0 ? { warnings: all } : {}) };
  };
  let tracker: AwaitTracker | undefined;
  // The tracker stops right before the sampler: that moment is the profile's end.
  const charged = (recording: Recording, t: { tracker: AwaitTracker; end: number } | undefined): Recording => {
    if (!t) return recording;
    const { profile, durationMs } = recording;
    return { ...recording, profile: chargeAwaits(profile, t.end - durationMs, matchSampledFrames(profile, t.tracker.waits())) };
  };
  const take = () => {
    const t = tracker;
    tracker = undefined;
    return t && { tracker: t, end: t.stop() };
  };
  const backend: Backend = {
    name: sampler.name,
    runtimeVersion: sampler.runtimeVersion,
    async start(options: BackendStartOptions = {}) {
      const t = options.async === false ? undefined : trackNodeAwaits({ minMs: (options.intervalMs ?? 1) / 4 });
      try {
        await sampler.start(options);
      } catch (e) {
        t?.stop();
        throw e;
      }
      tracker = t;
    },
    async stop() {
      const t = take();
      // Waits are matched to the sampled frames as V8 reported them, so the
      // profile is mapped after they are charged (their frames map with it).
      return mapped(charged(await sampler.stop(), t));
    },
  };
  const stopSync = sampler.stopSync?.bind(sampler);
  return stopSync ? { ...backend, stopSync: () => { const t = take(); return charged(stopSync(), t); } } : backend;
}
