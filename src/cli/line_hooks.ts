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
import { pathToFileURL } from "node:url";

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

let esbuild: Esbuild | undefined;

/** Receives the path of tsx's esbuild from the preload. */
export async function initialize(data: { esbuild?: string } | undefined): Promise<void> {
  if (!data?.esbuild) return;
  try {
    const mod = (await import(pathToFileURL(data.esbuild).href)) as Esbuild & { default?: Esbuild };
    esbuild = typeof mod.transform === "function" ? mod : mod.default;
  } catch {
    esbuild = undefined;
  }
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
  const code = esbuild ? tsxOutput(url, result) : undefined;
  if (code === undefined) return result;
  try {
    return { ...result, source: (await esbuild!.transform(code, { ...OPTIONS, sourcefile: url })).code };
  } catch {
    // Keep tsx's output: line ticks of this module then stay on one line.
    return result;
  }
}

/**
 * The same as {@linkcode load}, for `module.registerHooks` (Node 22.15+),
 * which tsx uses where it exists: those hooks run in the main thread.
 */
export function loadSyncWith(build: Esbuild) {
  return (url: string, context: object, nextLoad: (url: string, context: object) => LoadResult): LoadResult => {
    const result = nextLoad(url, context);
    const code = tsxOutput(url, result);
    if (code === undefined) return result;
    try {
      return { ...result, source: build.transformSync(code, { ...OPTIONS, sourcefile: url }).code };
    } catch {
      return result;
    }
  };
}
