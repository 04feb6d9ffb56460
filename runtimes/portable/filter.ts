/**
 * Which files the loaders instrument: the user's own code, never tsprof's,
 * and never a package's unless asked.
 *
 * @module
 */

import { toolPathsFrom } from "../../src/tool_paths.ts";

/** What to instrument. */
export interface InstrumentFilter {
  /** Path prefixes of tsprof itself, never instrumented (its recorder above all). */
  readonly toolPaths: readonly string[];
  /**
   * Instrument code under `node_modules` too.
   * @default {false}
   */
  readonly includeNodeModules?: boolean;
}

/**
 * Options of the loaders that instrument what a runtime loads (Node's
 * module hooks, Bun's plugin).
 */
export interface LoaderOptions {
  /**
   * Instrument code under `node_modules` too.
   * @default {false}
   */
  readonly includeNodeModules?: boolean;
}

/** The filter of a loader living at `moduleUrl`: never tsprof's own files, node_modules only if asked. */
export function loaderFilter(options: LoaderOptions, moduleUrl: string, toPath: (url: string) => string): InstrumentFilter {
  return { toolPaths: toolPathsFrom(moduleUrl, toPath), ...(options.includeNodeModules ? { includeNodeModules: true } : {}) };
}

const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/**
 * True when `file` (an absolute path) is code to instrument.
 *
 * @example
 * ```ts
 * import { shouldInstrument } from "./filter.ts";
 * shouldInstrument("/app/main.ts", { toolPaths: ["/tools/tsprof/dist/"] }); // true
 * shouldInstrument("/app/node_modules/x/index.js", { toolPaths: [] }); // false
 * ```
 */
export function shouldInstrument(file: string, filter: InstrumentFilter): boolean {
  if (!SCRIPT_FILE.test(file) || file.endsWith(".d.ts")) return false;
  if (!filter.includeNodeModules && /[\\/]node_modules[\\/]/.test(file)) return false;
  return !filter.toolPaths.some((p) => file.startsWith(p));
}

export { toolPathsFrom } from "../../src/tool_paths.ts";

/** esbuild's loader for a file, by its extension. */
export function loaderFor(file: string): "ts" | "tsx" | "jsx" | "js" {
  if (/\.[cm]?ts$/.test(file)) return "ts";
  if (file.endsWith(".tsx")) return "tsx";
  if (file.endsWith(".jsx")) return "jsx";
  return "js";
}
