/**
 * Instruments the user's code as Node loads it, for `tsprof --backend
 * portable` on Node: where Node has in-thread hooks (`module.registerHooks`,
 * 22.15 and later), through them for every module; before that, ES modules
 * through `module.register` hooks (Node 20.6 and later) and CommonJS modules
 * (which Node 20 loads without those hooks, tsx's TypeScript included) by
 * wrapping `Module.prototype._compile` (on every version: tsx compiles
 * required TypeScript itself).
 *
 * @module
 */
import Module, { register } from "node:module";
import { fileURLToPath } from "node:url";
import { loaderFilter, type LoaderOptions, shouldInstrument } from "./filter.ts";
import { type HooksData, instrumentLoaded, type LoadResult } from "./node_hooks.ts";
import { instrumentCode } from "./transform.ts";

/**
 * Starts instrumenting every module loaded from now on. The recorder must
 * exist already (import `./mod.ts` or `./recorder.ts` first). Returns the
 * id of the thread Node runs the hooks on where that is not the main
 * thread (before Node 22.15): Node starts it with the first hooks registered.
 *
 * @example
 * ```ts
 * import { installNodeLoader } from "./node_loader.ts";
 * installNodeLoader();
 * await import("./app.ts");
 * ```
 */
export function installNodeLoader(options: LoaderOptions = {}): { readonly hooksThreadId?: number } {
  const fromSource = import.meta.url.endsWith(".ts");
  const filter = loaderFilter(options, import.meta.url, fileURLToPath);
  // From the npm build every entry sits in dist/, next to this chunk.
  const recorderUrl = new URL(fromSource ? "./recorder.ts" : "./portable.js", import.meta.url).href;
  const data: HooksData = { ...filter, recorderUrl };
  // Node 22.15+ runs loaders in-thread (tsx too, whose hooks then come before
  // any off-thread ones): hook in the same way, for ESM and CommonJS alike.
  const registerHooks = (Module as unknown as { registerHooks?: (hooks: object) => void }).registerHooks;
  let hooksThreadId: number | undefined;
  if (typeof registerHooks === "function") {
    registerHooks({
      load(url: string, context: object, nextLoad: (url: string, context: object) => LoadResult): LoadResult {
        return instrumentLoaded(url, nextLoad(url, context), data);
      },
    });
  } else {
    // register() returns once the hooks' initialize has run.
    const thread = new Int32Array(new SharedArrayBuffer(4));
    register(fromSource ? "./node_hooks.ts" : "./portable_node_hooks.js", import.meta.url, { data: { ...data, thread } });
    if (thread[0]! > 0) hooksThreadId = thread[0];
  }
  // CommonJS that loaders compile themselves (tsx's require hook) passes
  // through _compile only; what a hook instrumented already is left alone.

  const proto = (Module as unknown as { prototype: { _compile(content: string, filename: string): unknown } }).prototype;
  const compile = proto._compile;
  proto._compile = function (this: unknown, content: string, filename: string) {
    if (typeof content === "string" && shouldInstrument(filename, filter)) {
      const code = instrumentCode(content, { file: filename, format: "cjs" });
      if (code !== undefined) content = code;
    }
    return compile.call(this, content, filename);
  };
  return hooksThreadId === undefined ? {} : { hooksThreadId };
}
