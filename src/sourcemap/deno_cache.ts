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
  return emitMaps(denoEmits(denoDir, readText), readText);
}

/**
 * The maps of the code a runtime emitted for each file (`emitted`, see
 * {@linkcode denoEmits}), by the code's sourceMappingURL.
 *
 * @example
 * ```ts
 * import { emitMaps } from "./deno_cache.ts";
 * const fetchMap = emitMaps(() => ({ code: "//# sourceMappingURL=data:application/json,%7B%7D", path: "/c/a.ts.js" }), () => undefined);
 * fetchMap("/app/a.ts"); // { map: "{}", url: "/c/a.ts.js" }
 * ```
 */
export function emitMaps(emitted: (file: string) => { readonly code: string; readonly path: string } | undefined, readText: ReadText): MapFetcher {
  return (file) => {
    const e = emitted(file);
    return e === undefined ? undefined : mapOfCode(e.code, e.path, readText);
  };
}

/**
 * The JavaScript Deno made of a TypeScript `file` and where it is cached;
 * `undefined` for other files and when nothing is cached.
 *
 * @example
 * ```ts
 * import { denoEmits } from "./deno_cache.ts";
 * denoEmits("/home/me/.cache/deno", () => undefined)("/app/main.ts"); // undefined: nothing cached
 * ```
 */
export function denoEmits(denoDir: string, readText: ReadText): (file: string) => { readonly code: string; readonly path: string } | undefined {
  return (file) => {
    const path = toPath(file);
    if (path === undefined || !TS_LIKE.test(path)) return undefined;
    // Windows paths are cached without the drive's colon.
    const emitted = `${denoDir}/gen/file/${path.replace(/^\/+/, "").replace(/^([A-Za-z]):/, "$1")}.js`;
    const code = readText(emitted);
    return code === undefined ? undefined : { code, path: emitted };
  };
}

/**
 * Where Deno keeps its cache (what `deno info` prints), from the
 * environment, the platform and the home folder.
 *
 * @example
 * ```ts
 * import { denoCacheDir } from "./deno_cache.ts";
 * denoCacheDir({}, "linux", "/home/me"); // "/home/me/.cache/deno"
 * denoCacheDir({ DENO_DIR: "/cache/deno" }, "linux", "/home/me"); // "/cache/deno"
 * ```
 */
export function denoCacheDir(env: Readonly<Record<string, string | undefined>>, platform: string, home: string): string {
  if (env.DENO_DIR) return env.DENO_DIR;
  if (platform === "darwin") return `${home}/Library/Caches/deno`;
  if (platform === "win32") return `${env.LOCALAPPDATA ?? home}/deno`;
  return `${env.XDG_CACHE_HOME ?? `${home}/.cache`}/deno`;
}
