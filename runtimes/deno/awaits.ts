/**
 * Await attribution on Deno: the runtime-neutral tracker
 * (`src/async/await_tracker.ts`) over the promise hooks of Deno's core.
 * Deno's `node:v8` has no `promiseHooks`; its core has V8's hooks, through
 * `Deno[Deno.internal].core.setPromiseHooks`, which is not a public API: when
 * it is missing, nothing is recorded. Hooks added there cannot be removed:
 * stopped, the tracker's do nothing.
 *
 * @module
 */
import { type AwaitTracker, trackAwaits } from "../../src/async/await_tracker.ts";
import { soonTimer } from "../_soon.ts";

type Hook = ((...args: never[]) => void) | undefined;
interface DenoCore {
  setPromiseHooks(init: Hook, before: Hook, after: Hook, resolve: Hook): void;
}

function denoCore(): DenoCore | undefined {
  const deno = (globalThis as { Deno?: Record<symbol, { core?: DenoCore }> & { internal?: symbol } }).Deno;
  const internal = deno?.internal;
  const core = internal === undefined ? undefined : deno?.[internal]?.core;
  return typeof core?.setPromiseHooks === "function" ? core : undefined;
}

/**
 * Starts recording the waits of `await`s in this Deno isolate, or returns
 * `undefined` where Deno's core offers no promise hooks.
 *
 * @example
 * ```ts
 * import { trackDenoAwaits } from "./awaits.ts";
 * const tracker = trackDenoAwaits({ minMs: 0.25, toolPaths: [] });
 * tracker?.stop();
 * ```
 */
export function trackDenoAwaits(options: { readonly minMs: number; readonly toolPaths: readonly string[] }): AwaitTracker | undefined {
  const core = denoCore();
  if (!core) return undefined;
  return trackAwaits((init, before) => {
    core.setPromiseHooks(init as Hook, before as Hook, undefined, undefined);
    return () => {};
  }, { ...options, soon: soonTimer });
}
