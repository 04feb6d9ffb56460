/**
 * Module hooks for Node children that run TypeScript through tsx: tsx
 * prints each module on a single line (esbuild's whitespace minification),
 * and V8 counts line ticks by line only, so every tick of a module would
 * land on its line 1. These hooks print tsx's output again with one
 * statement per line (esbuild, tsx's own dependency, chaining tsx's inline
 * map), so that line ticks map back to the TypeScript lines. The code that
 * runs is the same program; only its layout changes.
 *
 * Registered by the preload only when tsx is loaded.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeFileAtomicSync } from "../../../runtimes/_files.ts";
import { privateCacheDir } from "../cache_dir.ts";

/**
 * Printed modules, by a hash of tsx's output, so that a script profiled
 * again costs no esbuild call (whose first call takes ~60 ms, time the
 * profile would show): the way tsx caches its own output. In the user's
 * private cache: what is kept there runs as the module.
 */
let cacheDir: string | null | undefined;

function cacheFile(code: string, url: string): string | undefined {
  cacheDir ??= privateCacheDir("printed-v1") ?? null;
  if (cacheDir === null) return undefined;
  // Required here: node:crypto takes longer to load than the rest of the preload.
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return join(cacheDir, `${createHash("sha1").update(url).update("\0").update(code).digest("hex")}.js`);
}

function fromCache(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function toCache(file: string | undefined, printed: string): void {
  if (file === undefined) return;
  try {
    writeFileAtomicSync(file, printed);
  } catch {
    // No cache this time.
  }
}

/** The part of esbuild's API used here. */
export interface Esbuild {
  transform(code: string, options: Record<string, unknown>): Promise<{ code: string }>;
  transformSync(code: string, options: Record<string, unknown>): { code: string };
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}

let esbuildPath: string | undefined;
let esbuild: Promise<Esbuild> | undefined;

/**
 * Receives the path of tsx's esbuild from the preload. esbuild itself is
 * loaded at the first module not in the cache: most runs find every module
 * there and never pay for it.
 */
export function initialize(data: { esbuild?: string } | undefined): void {
  esbuildPath = data?.esbuild;
}

async function loadEsbuild(path: string): Promise<Esbuild> {
  const mod = (await import(pathToFileURL(path).href)) as Esbuild & { default?: Esbuild };
  return typeof mod.transform === "function" ? mod : mod.default!;
}

const TS_URL = /\.(?:ts|mts|cts|tsx)(?:\?.*)?$/;

const OPTIONS = { loader: "js", sourcemap: "inline", target: "esnext", legalComments: "inline" };

/** tsx's output for `url`, if this is a module to print again. */
function tsxOutput(url: string, result: LoadResult): string | undefined {
  if (result.format !== "module" || result.source == null || !TS_URL.test(url) || !url.startsWith("file:")) return undefined;
  const code = typeof result.source === "string" ? result.source : new TextDecoder().decode(result.source as Uint8Array);
  // Only what tsx transformed: it ends with an inline map.
  return /\/\/# sourceMappingURL=data:[^\n]*\s*$/.test(code) ? code : undefined;
}

/** Prints tsx's single-line ES modules again, one statement per line. */
export async function load(url: string, context: object, nextLoad: (url: string, context: object) => Promise<LoadResult>): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  const code = esbuildPath ? tsxOutput(url, result) : undefined;
  if (code === undefined) return result;
  try {
    const file = cacheFile(code, url);
    let printed = fromCache(file);
    if (printed === undefined) {
      printed = (await (await (esbuild ??= loadEsbuild(esbuildPath!))).transform(code, { ...OPTIONS, sourcefile: url })).code;
      toCache(file, printed);
    }
    return { ...result, source: printed };
  } catch {
    // Keep tsx's output: line ticks of this module then stay on one line.
    return result;
  }
}

/**
 * The same as {@linkcode load}, for `module.registerHooks` (Node 22.15+),
 * which tsx uses where it exists: those hooks run in the main thread.
 * `build` gives esbuild when a module is not in the cache.
 */
export function loadSyncWith(build: () => Esbuild) {
  return (url: string, context: object, nextLoad: (url: string, context: object) => LoadResult): LoadResult => {
    const result = nextLoad(url, context);
    const code = tsxOutput(url, result);
    if (code === undefined) return result;
    try {
      const file = cacheFile(code, url);
      let printed = fromCache(file);
      if (printed === undefined) {
        printed = build().transformSync(code, { ...OPTIONS, sourcefile: url }).code;
        toCache(file, printed);
      }
      return { ...result, source: printed };
    } catch {
      return result;
    }
  };
}
