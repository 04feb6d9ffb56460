/**
 * Instruments the user's code as Bun loads it, for `tsprof --backend
 * portable` on Bun: a `Bun.plugin` registered in the preload strips
 * TypeScript with esbuild (which keeps a source map, unlike Bun's own
 * transpiler) and instruments the JavaScript. CommonJS code reads the
 * recorder from globalThis (the preload made it): a `require` of the ES
 * module that exports it fails silently inside a plugin-loaded file.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { type InstrumentFilter, loaderFor, shouldInstrument, toolPathsFrom } from "./filter.ts";
import { instrumentCode, type RawSourceMap } from "./transform.ts";

declare const Bun: {
  plugin(plugin: {
    name: string;
    setup(build: { onLoad(options: { filter: RegExp }, fn: (args: { path: string }) => { contents: string; loader: string }): void }): void;
  }): void;
};

/** Options for {@linkcode installBunLoader}. */
export interface BunLoaderOptions {
  /**
   * Instrument code under `node_modules` too.
   * @default {false}
   */
  readonly includeNodeModules?: boolean;
}

/**
 * Starts instrumenting every module Bun loads from now on.
 *
 * @example
 * ```ts
 * import { installBunLoader } from "./bun_loader.ts";
 * installBunLoader();
 * ```
 */
export function installBunLoader(options: BunLoaderOptions = {}): void {
  const fromSource = import.meta.url.endsWith(".ts");
  const filter: InstrumentFilter = {
    toolPaths: toolPathsFrom(import.meta.url, fileURLToPath),
    ...(options.includeNodeModules ? { includeNodeModules: true } : {}),
  };
  const recorderSpecifier = fileURLToPath(new URL(fromSource ? "./recorder.ts" : "./portable.js", import.meta.url));
  Bun.plugin({
    name: "tsprof-portable",
    setup(build) {
      // Bun's onLoad must return contents, so files not to instrument are
      // kept out by the filter itself.
      const skip = [...filter.toolPaths.map(escapeRegExp), ...(filter.includeNodeModules ? [] : [".*[\\\\/]node_modules[\\\\/]"])];
      const only = new RegExp(`^(?!${skip.join("|")}).*\\.(?:[cm]?[jt]s|[jt]sx)$`);
      build.onLoad({ filter: only }, ({ path }) => {
        const keep = (): { contents: string; loader: string } => ({ contents: readFileSync(path, "utf8"), loader: loaderFor(path) });
        if (!shouldInstrument(path, filter)) return keep();
        const source = readFileSync(path, "utf8");
        let js: string;
        let map: RawSourceMap;
        try {
          const out = transformSync(source, { loader: loaderFor(path), sourcemap: "external", sourcefile: path, target: "esnext" });
          js = out.code;
          map = JSON.parse(out.map) as RawSourceMap;
        } catch {
          return keep();
        }
        const code = instrumentCode(js, { file: path, format: "detect", recorderSpecifier, cjs: "global", inputMap: map });
        return code === undefined ? keep() : { contents: code, loader: "js" };
      });
    },
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
