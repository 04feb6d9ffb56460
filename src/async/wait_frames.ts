/**
 * The waits of one call of a function share its stack (`marked_awaits.ts`
 * hands the stack taken at one `await` to the next ones of the call), and a
 * program in a loop keeps thousands of waits on a few stacks. The steps
 * that rework a wait's frames do so once per stack: the waits that shared
 * one share the result, so reading the waits costs what their stacks do,
 * not their number times the stack's depth.
 *
 * @module
 */

/** What the frame steps read and rework of a wait: its stack and, where the runtime left frames unplaced, its calls. */
export interface WaitFrames {
  readonly stack: readonly unknown[];
  readonly calls?: readonly unknown[];
}

/**
 * `make`, called once per distinct stack (by the identity of a wait's
 * `stack` and `calls` arrays): the waits that share one share its result.
 *
 * @example
 * ```ts
 * import { oncePerStack } from "./wait_frames.ts";
 * const stack = [{ name: "main" }];
 * let made = 0;
 * const idOf = oncePerStack(() => made++);
 * [idOf({ stack }), idOf({ stack })]; // [0, 0]
 * ```
 */
export function oncePerStack<W extends WaitFrames, T>(make: (w: W) => T): (w: W) => T {
  const done = new Map<unknown, Map<unknown, T>>();
  return (w) => {
    let byCalls = done.get(w.stack);
    if (byCalls === undefined) done.set(w.stack, (byCalls = new Map()));
    if (byCalls.has(w.calls)) return byCalls.get(w.calls)!;
    const made = make(w);
    byCalls.set(w.calls, made);
    return made;
  };
}

/**
 * `waits` with `rework` applied to each distinct stack once
 * ({@linkcode oncePerStack}); a wait whose frames it leaves as they were is
 * returned as it was.
 *
 * @example
 * ```ts
 * import { mapWaitFrames } from "./wait_frames.ts";
 * const stack = [{ name: "main" }];
 * const waits = [{ start: 0, stack }, { start: 5, stack }];
 * const out = mapWaitFrames(waits, (w) => ({ stack: w.stack.map((f) => ({ ...f, line: 1 })) }));
 * out[0]!.stack === out[1]!.stack; // true: reworked once
 * ```
 */
export function mapWaitFrames<W extends WaitFrames>(waits: readonly W[], rework: (w: W) => { readonly stack: W["stack"]; readonly calls?: W["calls"] }): W[] {
  const reworked = oncePerStack(rework);
  return waits.map((w) => {
    const r = reworked(w);
    if (r.stack === w.stack && r.calls === w.calls) return w;
    const { calls: _, ...rest } = w;
    return (r.calls === undefined ? { ...rest, stack: r.stack } : { ...rest, stack: r.stack, calls: r.calls }) as unknown as W;
  });
}
