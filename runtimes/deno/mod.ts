/**
 * The Deno backend: V8's sampler through Deno's `node:inspector`, which
 * answers asynchronously (so there is no `stopSync`).
 *
 * @module
 */
import process from "node:process";
import type { Backend } from "../../src/backend.ts";
import { inspectorBackend } from "../_inspector_backend.ts";
import { connectInspector, processCpuTimeMs, readTextFile as readText } from "../_inspector_session.ts";
import { denoCacheDir, denoEmitMaps } from "../../src/sourcemap/deno_cache.ts";

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
    connect: connectInspector,
    cpuTimeMs: processCpuTimeMs,
    // Deno's inspector reports positions in the transpiled JavaScript; the
    // maps of TypeScript modules are in Deno's emit cache.
    mapSources: { readText, fallback: denoEmitMaps(denoCacheDir(process.env, process.platform, process.env.HOME ?? process.env.USERPROFILE ?? ""), readText) },
  });
}
