/**
 * Instruments the user's code as Bun loads it, for `tsprof --backend
 * portable` on Bun: a `Bun.plugin` registered in the preload strips
 * TypeScript with esbuild (which keeps a source map, unlike Bun's own
 * transpiler) and instruments the JavaScript.
 *
 * Bun runs no CommonJS that a plugin returns (oven-sh/bun#19279: the module
 * silently does nothing), and an `onLoad` cannot decline a file. So
 * CommonJS code is returned as an ES module that gives it `module`,
 * `exports`, `require`, `__filename` and `__dirname`, and exports
 * `module.exports` both as the default and under the name "module.exports",
 * which Bun's `require()` returns as the module's value. Named imports of
 * such a module from ESM are lost; CommonJS modules under `node_modules`
 * are never touched.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { loaderFilter, loaderFor, type LoaderOptions, shouldInstrument } from "./filter.ts";
import { instrumentCode, isModule, type RawSourceMap } from "./transform.ts";
import { escapeRegExp } from "../../src/paths.ts";

declare const Bun: {
  plugin(plugin: {
    name: string;
    setup(build: { onLoad(options: { filter: RegExp }, fn: (args: { path: string }) => { contents: string; loader: string }): void }): void;
  }): void;
};

/**
 * Starts instrumenting every module Bun loads from now on.
 *
 * @example
 * ```ts
 * import { installBunLoader } from "./bun_loader.ts";
 * installBunLoader();
 * ```
 */
export function installBunLoader(options: LoaderOptions = {}): void {
  const fromSource = import.meta.url.endsWith(".ts");
  const filter = loaderFilter(options, import.meta.url, fileURLToPath);
  const recorderSpecifier = fileURLToPath(new URL(fromSource ? "./recorder.ts" : "./portable.js", import.meta.url));
  // esbuild starts its service (a worker thread) at its first transform:
  // now, rather than inside the first module the program imports.
  transformSync("", { loader: "js" });
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
        if (isModule(js)) {
          const code = instrumentCode(js, { file: path, format: "esm", recorderSpecifier, inputMap: map });
          return code === undefined ? keep() : { contents: code, loader: "js" };
        }
        const code = instrumentCode(js, { file: path, format: "cjs", inputMap: map });
        return code === undefined ? keep() : { contents: commonJsAsModule(code, path), loader: "js" };
      });
    },
  });
}

/**
 * CommonJS code as an ES module (see the module comment). The prefix goes on
 * the first line, so line numbers stay true.
 */
export function commonJsAsModule(code: string, file: string): string {
  const f = JSON.stringify(file);
  const dir = JSON.stringify(dirname(file));
  const body = code.startsWith("#!") ? `//${code.slice(2)}` : code;
  return (
    `import { createRequire as __tsprof$cr } from "node:module";` +
    `var module = { exports: {}, id: ${f}, filename: ${f}, loaded: false }, exports = module.exports, ` +
    `__tsprof$req = __tsprof$cr(${f}), __filename = ${f}, __dirname = ${dir}, ` +
    // createRequire's `main` is read-only; `require.main === module` must hold in the entry.
    `require = Object.assign(function require(id) { return __tsprof$req(id); }, ` +
    `{ resolve: __tsprof$req.resolve, cache: __tsprof$req.cache, main: import.meta.main ? module : __tsprof$req.main });` +
    `${body}\n;var __tsprof$exports = module.exports; export { __tsprof$exports as "module.exports", __tsprof$exports as default };\n`
  );
}
