/**
 * Await attribution on Node: the runtime-neutral tracker
 * (`src/async/await_tracker.ts`) over `node:v8`'s `promiseHooks`.
 *
 * @module
 */
import { promiseHooks } from "node:v8";
import { fileURLToPath } from "node:url";
import { type AwaitTracker, trackAwaits } from "../../src/async/await_tracker.ts";
import { soonTimer } from "../_soon.ts";
import { toolPathsFrom } from "../../src/tool_paths.ts";
import { registerAwaitPoints } from "../../src/async/await_point_names.ts";

/**
 * Starts recording the waits of `await`s on the calling Node thread. With
 * `marked`, the program's modules were marked as they loaded
 * (`src/async/await_edits_js.ts`): the tracker is made the registry their
 * marks call, and records at them only.
 *
 * @example
 * ```ts
 * import { trackNodeAwaits } from "./awaits.ts";
 * const tracker = trackNodeAwaits({ minMs: 0.25 });
 * await new Promise((r) => setTimeout(r, 10));
 * tracker.stop();
 * ```
 */
export function trackNodeAwaits(options: { readonly minMs: number; readonly marked?: boolean }): AwaitTracker {
  const tracker = trackAwaits((init, before) => promiseHooks.createHook({ init, before }) as () => void, {
    ...options,
    toolPaths: toolPathsFrom(import.meta.url, fileURLToPath),
    soon: soonTimer,
  });
  if (tracker.pointFor) registerAwaitPoints(tracker.pointFor);
  return tracker;
}
