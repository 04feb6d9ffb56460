/**
 * WebAssembly the runtime runs for itself. Node 22.18+ strips TypeScript's
 * types with a wasm build of swc (amaro), called from its own module
 * loader: each `.ts` module loaded while the sampler runs (a dynamic
 * `import()`, `node --test`'s test files) drew dozens of rows of
 * `wasm-function[2943]  wasm://wasm/00ad0bc6` at the program's import, the
 * runtime's work in frames the report could not tell from the program's. A
 * wasm module that is only ever entered from the runtime's own JavaScript is
 * the runtime's code: its frames become native frames, which the report
 * folds away with the runtime's. A program's wasm is entered from its own
 * code (its glue) and stays.
 *
 * @module
 */
import { codeOrigin } from "../paths.ts";

/** The call frame fields read here, as V8 profiles give them. */
interface CallFrameLike {
  readonly url: string;
}

/** A V8 profile node: its frame and its children's ids. */
interface NodeLike {
  readonly id: number;
  readonly callFrame: CallFrameLike;
  readonly children?: readonly number[];
}

const WASM_URL = "wasm://";

/**
 * The urls of the wasm modules that `nodes` enter from the runtime's
 * JavaScript only (`toFile` turns a url into the file it names).
 *
 * @example
 * ```ts
 * import { runtimeWasmUrls } from "./runtime_wasm.ts";
 * const nodes = [
 *   { id: 1, callFrame: { url: "node:internal/deps/amaro/dist/index" }, children: [2] },
 *   { id: 2, callFrame: { url: "wasm://wasm/00ad0bc6" } },
 * ];
 * runtimeWasmUrls(nodes, (u) => u); // Set { "wasm://wasm/00ad0bc6" }
 * ```
 */
export function runtimeWasmUrls(nodes: readonly NodeLike[], toFile: (url: string) => string): Set<string> {
  if (!nodes.some((n) => n.callFrame.url.startsWith(WASM_URL))) return new Set();
  const parentOf = new Map<number, NodeLike>();
  for (const n of nodes) for (const c of n.children ?? []) parentOf.set(c, n);
  // Per wasm url: entered from the runtime's code (true), or from the program's (false, for good).
  const entered = new Map<string, boolean>();
  for (const n of nodes) {
    const url = n.callFrame.url;
    if (!url.startsWith(WASM_URL)) continue;
    let caller = parentOf.get(n.id);
    if (caller === undefined || caller.callFrame.url.startsWith(WASM_URL)) continue;
    // Past V8's builtins without a file (`js-to-wasm`): the code that called them. A stack cut
    // short there, or a start function `WebAssembly.instantiate` ran, says nothing of who called.
    while (caller !== undefined && caller.callFrame.url === "") caller = parentOf.get(caller.id);
    if (caller === undefined || caller.callFrame.url.startsWith(WASM_URL)) continue;
    const byRuntime = codeOrigin(toFile(caller.callFrame.url)) === "runtime";
    entered.set(url, (entered.get(url) ?? true) && byRuntime);
  }
  const out = new Set<string>();
  for (const [url, runtime] of entered) if (runtime) out.add(url);
  return out;
}
