/**
 * The Node backend: V8's sampler through an in-process `node:inspector`
 * session. Node answers inspector calls synchronously on the main thread, so
 * the profile can be collected even inside an `exit` handler.
 *
 * @module
 */
import { Session } from "node:inspector";
import process from "node:process";
import type { Backend } from "../../src/backend.ts";
import { inspectorBackend } from "../../src/inspector_profiler.ts";

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
    connect() {
      const session = new Session();
      session.connect();
      return session;
    },
    cpuTimeMs() {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
  });
}
