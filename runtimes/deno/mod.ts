/**
 * The Deno backend: V8's sampler through Deno's `node:inspector`, which
 * answers asynchronously (so there is no `stopSync`).
 *
 * @module
 */
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { Backend } from "../../src/backend.ts";
import { inspectorBackend } from "../_inspector_backend.ts";
import { connectInspector, processCpuTimeMs } from "../_inspector_session.ts";
import { readTextFile as readText } from "../_files.ts";
import { placeWaitFrames, sourceOutline } from "../../src/async/place_frames.ts";
import { denoCacheDir, denoEmitMaps, denoEmits } from "../../src/sourcemap/deno_cache.ts";
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
  const denoDir = denoCacheDir(process.env, process.platform, process.env.HOME ?? process.env.USERPROFILE ?? "");
  const sampler = inspectorBackend({
    name: "deno",
    runtimeVersion: Deno.version.deno,
    synchronous: false,
    connect: connectInspector,
    cpuTimeMs: processCpuTimeMs,
    // Deno's inspector reports positions in the transpiled JavaScript; the
    // maps of TypeScript modules are in Deno's emit cache.
    mapSources: { readText, fallback: denoEmitMaps(denoDir, readText) },
  });
  // Deno's stack traces name the TypeScript, as the mapped samples do: waits are charged after mapping.
  const toolPaths = toolPathsFrom(import.meta.url, fileURLToPath);
  // They leave out where each function starts: found from the source, as the CLI does.
  const outline = sourceOutline(readText, denoEmits(denoDir, readText));
  return withAwaits(sampler, {
    track: (minMs) => trackDenoAwaits({ minMs, toolPaths }),
    placeWaits: (waits) => placeWaitFrames(waits, outline),
    readSource: readText,
  });
}
