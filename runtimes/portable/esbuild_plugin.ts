/**
 * An esbuild plugin that instruments the user's code for the portable
 * backend, for bundles and browser builds: each module is stripped of
 * TypeScript and JSX by esbuild itself, instrumented, and handed back with a
 * source map that esbuild chains into the bundle's. Instrumented modules
 * import the recorder, so it is bundled once and runs before them.
 *
 * @example
 * ```ts
 * import * as esbuild from "esbuild";
 * import { writeFileSync } from "node:fs";
 * import { tsprofPlugin } from "tsprof/esbuild";
 * writeFileSync("app.ts", "export const twice = (n: number) => n * 2;\n");
 * await esbuild.build({ entryPoints: ["app.ts"], bundle: true, format: "esm", outfile: "out.js", plugins: [tsprofPlugin()] });
 * ```
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loaderFor, shouldInstrument, toolPathsFrom } from "./filter.ts";
import { instrumentCode, type RawSourceMap } from "./transform.ts";

/**
 * Options for {@linkcode tsprofPlugin}.
 *
 * @example
 * ```ts
 * import { tsprofPlugin, type TsprofPluginOptions } from "tsprof/esbuild";
 * const options: TsprofPluginOptions = { exclude: /\.test\.ts$/ };
 * const plugin = tsprofPlugin(options);
 * ```
 */
export interface TsprofPluginOptions {
  /**
   * Instrument code under `node_modules` too.
   * @default {false}
   */
  readonly includeNodeModules?: boolean;
  /** Only files whose path matches are instrumented (all by default). */
  readonly include?: RegExp;
  /** Files whose path matches are not instrumented. */
  readonly exclude?: RegExp;
}

/**
 * The parts of esbuild's plugin API the plugin uses (esbuild's own
 * `PluginBuild` fits it).
 *
 * @example
 * ```ts
 * import { tsprofPlugin, type PluginBuild } from "tsprof/esbuild";
 * const setup: (build: PluginBuild) => void = tsprofPlugin().setup;
 * ```
 */
export interface PluginBuild {
  /** Registers a loader for the files whose path matches `options.filter`. */
  onLoad(
    options: { filter: RegExp },
    fn: (args: { path: string }) => Promise<{ contents: string; loader: "js"; resolveDir: string } | undefined>,
  ): void;
  /** esbuild itself, to strip types before instrumenting. */
  esbuild: {
    transform(input: string, options: object): Promise<{ code: string; map: string }>;
  };
}

/**
 * An esbuild plugin, as `esbuild.build({ plugins })` takes it.
 *
 * @example
 * ```ts
 * import { tsprofPlugin, type EsbuildPlugin } from "tsprof/esbuild";
 * const plugin: EsbuildPlugin = tsprofPlugin({ exclude: /vendor/ });
 * ```
 */
export interface EsbuildPlugin {
  /** The plugin's name in esbuild's messages. */
  name: string;
  /** Called once by esbuild at the start of a build. */
  setup(build: PluginBuild): void;
}

/**
 * The plugin: instruments every module of the build except tsprof's own and
 * those under `node_modules` (unless asked).
 *
 * @example
 * ```ts
 * import { tsprofPlugin } from "tsprof/esbuild";
 * const plugins = [tsprofPlugin({ includeNodeModules: false })];
 * // esbuild.build({ entryPoints: ["app.ts"], bundle: true, plugins })
 * ```
 */
export function tsprofPlugin(options: TsprofPluginOptions = {}): EsbuildPlugin {
  const fromSource = import.meta.url.endsWith(".ts");
  const filter = {
    toolPaths: toolPathsFrom(import.meta.url, fileURLToPath),
    ...(options.includeNodeModules ? { includeNodeModules: true } : {}),
  };
  const recorderSpecifier = fileURLToPath(new URL(fromSource ? "./recorder.ts" : "./portable.js", import.meta.url));
  return {
    name: "tsprof-portable",
    setup(build) {
      build.onLoad({ filter: /\.(?:[cm]?[jt]s|[jt]sx)$/ }, async ({ path }) => {
        if (!shouldInstrument(path, filter)) return undefined;
        if (options.include && !options.include.test(path)) return undefined;
        if (options.exclude?.test(path)) return undefined;
        const source = await readFile(path, "utf8");
        const out = await build.esbuild.transform(source, { loader: loaderFor(path), sourcemap: "external", sourcefile: path });
        const code = instrumentCode(out.code, {
          file: path,
          format: "detect",
          recorderSpecifier,
          cjs: "require",
          inputMap: JSON.parse(out.map) as RawSourceMap,
        });
        return code === undefined ? undefined : { contents: code, loader: "js", resolveDir: dirname(path) };
      });
    },
  };
}
