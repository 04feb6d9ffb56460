/**
 * The Deno backend: V8's sampler through Deno's `node:inspector`, which
 * answers asynchronously (so there is no `stopSync`).
 *
 * @module
 */
import process from "node:process";
import type { Backend } from "../../src/backend.ts";
import { inspectorBackend } from "../../src/inspector_profiler.ts";
import { connectInspector, processCpuTimeMs, readTextFile as readText } from "../_inspector_session.ts";
import { denoEmitMaps } from "../../src/sourcemap/deno_cache.ts";

/** Where Deno keeps its cache (what deno info prints). */
function denoDir(): string {
  const env = process.env;
  const home = env.HOME ?? env.USERPROFILE ?? "";
  if (env.DENO_DIR) return env.DENO_DIR;
  if (process.platform === "darwin") return `${home}/Library/Caches/deno`;
  if (process.platform === "win32") return `${env.LOCALAPPDATA ?? home}/deno`;
  return `${env.XDG_CACHE_HOME ?? `${home}/.cache`}/deno`;
}

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
    mapSources: { readText, fallback: denoEmitMaps(denoDir(), readText) },
  });
}
