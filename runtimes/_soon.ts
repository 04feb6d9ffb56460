/**
 * What the await recorders' `soon` can be (`src/async/stack_budget.ts`):
 * the function that has a callback called shortly, without keeping the
 * program running, armed up to a thousand times a second.
 *
 * @module
 */
import { setTimeout } from "node:timers";

/**
 * Returns the function that (re)starts an unref'd 1 ms timer calling
 * `callback`: made once, re-armed for the price of a `refresh()`. V8's
 * runtimes (Node) use it.
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
