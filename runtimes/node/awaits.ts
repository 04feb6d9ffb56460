/**
 * Await attribution on Node: the runtime-neutral tracker
 * (`src/async/await_tracker.ts`) over `node:v8`'s `promiseHooks`.
 *
 * @module
 */
import { promiseHooks } from "node:v8";
import { fileURLToPath } from "node:url";
import { type AwaitTracker, trackAwaits } from "../../src/async/await_tracker.ts";
import { trackMarkedAwaits } from "../../src/async/marked_awaits.ts";
import { afterTurn, soonTimer } from "../_soon.ts";
import { toolPathsFrom } from "../../src/tool_paths.ts";
import { registerAwaitMarks } from "../../src/async/await_point_names.ts";

/**
 * Starts recording the waits of `await`s on the calling Node thread. With
 * `marked`, the program's modules were marked as they loaded
 * (`src/async/await_edits_js.ts`): the tracker is made the registry their
 * marks call, and records at them only, with no promise hook.
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
  const toolPaths = toolPathsFrom(import.meta.url, fileURLToPath);
  if (options.marked) {
    const tracker = trackMarkedAwaits({ minMs: options.minMs, toolPaths, afterTurn });
    registerAwaitMarks(tracker.marks);
    return tracker;
  }
  return trackAwaits((init, before) => promiseHooks.createHook({ init, before }) as () => void, { minMs: options.minMs, toolPaths, soon: soonTimer });
}
