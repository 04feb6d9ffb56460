/**
 * The Deno backend: V8's sampler through Deno's `node:inspector`, which
 * answers asynchronously (so there is no `stopSync`).
 *
 * @module
 */
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { Backend, Recording } from "../../src/backend.ts";
import { inspectorBackend } from "../_inspector_backend.ts";
import { connectInspector, processCpuTimeMs } from "../_inspector_session.ts";
import { readTextFile as readText } from "../_files.ts";
import { denoCacheDir, denoEmitMaps } from "../../src/sourcemap/deno_cache.ts";
import { placeAtNames } from "../../src/sourcemap/definitions.ts";
import { toolPathsFrom } from "../../src/tool_paths.ts";
import { withAwaits } from "../_with_awaits.ts";
import { trackDenoAwaits } from "./awaits.ts";

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
  const sampler = inspectorBackend({
    name: "deno",
    runtimeVersion: Deno.version.deno,
    synchronous: false,
    connect: connectInspector,
    cpuTimeMs: processCpuTimeMs,
    // Deno's inspector reports positions in the transpiled JavaScript; the
    // maps of TypeScript modules are in Deno's emit cache.
    mapSources: { readText, fallback: denoEmitMaps(denoCacheDir(process.env, process.platform, process.env.HOME ?? process.env.USERPROFILE ?? ""), readText) },
  });
  // Deno's stack traces name the TypeScript, as the mapped samples do: waits are charged after mapping.
  const toolPaths = toolPathsFrom(import.meta.url, fileURLToPath);
  // The frames the waits bring (a module's top level, named by a stack trace without its line) are placed as the sampled ones were.
  const finish = async (r: Recording): Promise<Recording> => ({ ...r, profile: placeAtNames(r.profile, readText) });
  return withAwaits(sampler, { track: (minMs) => trackDenoAwaits({ minMs, toolPaths }), finish, readSource: readText });
}
