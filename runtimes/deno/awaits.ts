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
import { trackMarkedAwaits } from "../../src/async/marked_awaits.ts";
import { registerAwaitMarks } from "../../src/async/await_point_names.ts";

declare const Deno: { unrefTimer(id: number): void };

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
 * A look at a promise's maker costs Deno more than Node, and its file work
 * makes many promises of its own: fewer looks a millisecond than Node's,
 * still above what a library makes while a program loads. What each rate
 * costs: bench/RESULTS-awaits.md.
 */
const DENO_LOOKS_PER_MS = 5;

/**
 * Starts recording the waits of `await`s in this Deno isolate, or returns
 * `undefined` where Deno's core offers no promise hooks. With `marked`, the
 * program's modules are marked as they load (`src/cli/child/await_marks.ts`):
 * the tracker is made the registry their marks call, and records at them
 * only, with no promise hook.
 *
 * @example
 * ```ts
 * import { trackDenoAwaits } from "./awaits.ts";
 * const tracker = trackDenoAwaits({ minMs: 0.25, toolPaths: [] });
 * tracker?.stop();
 * ```
 */
export function trackDenoAwaits(options: { readonly minMs: number; readonly toolPaths: readonly string[]; readonly marked?: boolean }): AwaitTracker | undefined {
  const { minMs, toolPaths } = options;
  if (options.marked) {
    // The marks run on Deno's Node layer already: its global `setImmediate` is that layer's.
    const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => unknown };
    // Deno runs its first immediate late (after a timer of 5 ms): that one is not one the marks count on.
    setImmediate?.(() => {});
    const tracker = trackMarkedAwaits({ minMs, toolPaths, afterTurn: setImmediate && ((callback) => void setImmediate(callback)) });
    registerAwaitMarks(tracker.marks);
    return tracker;
  }
  const core = denoCore();
  if (!core) return undefined;
  return trackAwaits((init, before) => {
    core.setPromiseHooks(init as Hook, before as Hook, undefined, undefined);
    return () => {};
  }, { minMs, toolPaths, soon: denoSoonTimer, looksPerMs: DENO_LOOKS_PER_MS });
}

/**
 * `runtimes/_soon.ts` with Deno's own timers: a Deno process that imports
 * any `node:` module (`node:timers` there) starts its Node compatibility
 * layer, which costs a profiled run more than Deno's `--cpu-prof` does.
 * Re-armed by clearing and setting again, as Deno's timers have no `refresh()`.
 */
function denoSoonTimer(callback: () => void): () => void {
  let id: number | undefined;
  const fire = () => {
    id = undefined;
    callback();
  };
  return () => {
    if (id !== undefined) clearTimeout(id as unknown as Parameters<typeof clearTimeout>[0]);
    // Deno's timers are numbers (the type checker knows Node's).
    const timer = setTimeout(fire, 1) as unknown as number;
    Deno.unrefTimer(timer);
    id = timer;
  };
}
