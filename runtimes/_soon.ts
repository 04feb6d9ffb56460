/**
 * What the await recorders' `soon` can be (`src/async/stack_budget.ts`):
 * the function that has a callback called shortly, without keeping the
 * program running, armed up to a thousand times a second; and their
 * `afterTurn` (`src/async/marked_awaits.ts`).
 *
 * @module
 */
import { setImmediate, setTimeout } from "node:timers";

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

/**
 * Has `callback` called once the event loop has turned: an immediate, which
 * the loop runs before it waits for any event (it does not wait while one
 * is pending, so the immediate is not unref'd: it keeps the program for
 * that turn only).
 *
 * @example
 * ```ts
 * import { afterTurn } from "./_soon.ts";
 * afterTurn(() => console.log("the loop turned"));
 * ```
 */
export function afterTurn(callback: () => void): void {
  setImmediate(callback);
}
