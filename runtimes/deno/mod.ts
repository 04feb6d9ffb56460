/**
 * The Deno backend: V8's sampler through Deno's `node:inspector`, which
 * answers asynchronously (so there is no `stopSync`).
 *
 * @module
 */
import { Session } from "node:inspector";
import process from "node:process";
import type { Backend } from "../../src/backend.ts";
import { inspectorBackend } from "../../src/inspector_profiler.ts";

declare const Deno: { version: { deno: string } };

/**
 * Creates a backend that samples the calling Deno thread.
 *
 * @example
 * ```ts
 * import { denoBackend } from "./mod.ts";
 * const backend = denoBackend();
 * await backend.start({ intervalMs: 1 });
 * const recording = await backend.stop();
 * ```
 */
export function denoBackend(): Backend {
  return inspectorBackend({
    name: "deno",
    runtimeVersion: Deno.version.deno,
    synchronous: false,
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
