/**
 * Deno's emit cache: the JavaScript Deno made of each TypeScript module,
 * with an inline map, at `$DENO_DIR/gen/file/<absolute path>.js`. Neither
 * Deno's `--cpu-prof` line ticks nor its inspector's code carry a map, so
 * this is where the map of a TypeScript module is found.
 *
 * @module
 */
import { type MapFetcher, mapOfCode, type ReadText, toPath } from "./map_source.ts";

const TS_LIKE = /\.(?:ts|mts|cts|tsx|jsx)$/;

/**
 * A {@linkcode MapFetcher} for TypeScript files, reading Deno's emit cache
 * under `denoDir`.
 *
 * @example
 * ```ts
 * import { denoEmitMaps } from "./deno_cache.ts";
 * const fetchMap = denoEmitMaps("/home/me/.cache/deno", () => undefined);
 * fetchMap("/app/main.ts"); // undefined: nothing cached
 * ```
 */
export function denoEmitMaps(denoDir: string, readText: ReadText): MapFetcher {
  return (file) => {
    const path = toPath(file);
    if (path === undefined || !TS_LIKE.test(path)) return undefined;
    // Windows paths are cached without the drive's colon.
    const emitted = `${denoDir}/gen/file/${path.replace(/^\/+/, "").replace(/^([A-Za-z]):/, "$1")}.js`;
    const code = readText(emitted);
    return code === undefined ? undefined : mapOfCode(code, emitted, readText);
  };
}
