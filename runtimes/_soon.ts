/**
 * A timer a millisecond out that never keeps the program running, made once
 * and re-armed for the price of a `refresh()`: the await tracker's `soon`
 * (`src/async/await_tracker.ts`), which may arm it a thousand times a second.
 *
 * @module
 */
import { setTimeout } from "node:timers";

/**
 * Returns the function that (re)starts an unref'd 1 ms timer calling `callback`.
 *
 * @example
 * ```ts
 * import { soonTimer } from "./_soon.ts";
 * const arm = soonTimer(() => console.log("a millisecond passed"));
 * arm();
 * ```
 */
export function soonTimer(callback: () => void): () => void {
  const timer = setTimeout(callback, 1).unref();
  return () => void timer.refresh();
}
