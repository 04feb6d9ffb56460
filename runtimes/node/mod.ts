/**
 * The Node backend: V8's sampler through an in-process `node:inspector`
 * session. Node answers inspector calls synchronously on the main thread, so
 * the profile can be collected even inside an `exit` handler.
 *
 * @module
 */
import process from "node:process";
import type { Backend, BackendStartOptions, Recording } from "../../src/backend.ts";
import { inspectorBackend } from "../../src/inspector_profiler.ts";
import { connectInspector, processCpuTimeMs } from "../_inspector_session.ts";
import { type AwaitTracker, trackAwaits } from "./awaits.ts";

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
  let tracker: AwaitTracker | undefined;
  const charged = (recording: Recording, t: AwaitTracker | undefined): Recording =>
    t ? { ...recording, profile: t.charge(recording.profile, recording.durationMs) } : recording;
  const take = () => {
    const t = tracker;
    tracker = undefined;
    // Stopped right before the sampler: that moment is the profile's end.
    t?.stop();
    return t;
  };
  const backend: Backend = {
    name: sampler.name,
    runtimeVersion: sampler.runtimeVersion,
    async start(options: BackendStartOptions = {}) {
      const t = options.async === false ? undefined : trackAwaits({ minMs: (options.intervalMs ?? 1) / 4 });
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
      return charged(await sampler.stop(), t);
    },
  };
  const stopSync = sampler.stopSync?.bind(sampler);
  return stopSync ? { ...backend, stopSync: () => { const t = take(); return charged(stopSync(), t); } } : backend;
}
