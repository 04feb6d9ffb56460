/**
 * A timeline's clean-up after nodes are dropped.
 *
 * @module
 */
import type { CallNode } from "../call_tree.ts";
import { rebuildTree } from "./_tree.ts";

/**
 * Merges adjacent siblings of the same frame, at every level: a timeline's
 * calls that only a dropped node kept apart (a millisecond of `(program)`
 * or a timer's callback, say) become one, their callees joined in time
 * order, as the sampler would have built them without it. `[self]` leaves
 * merge too.
 *
 * @example
 * ```ts
 * import { type CallNode, mergeAdjacentCalls } from "tsprof/tree";
 * const call = (time: number): CallNode => ({ frame: { name: "wait", kind: "js" }, time, children: [] });
 * const root: CallNode = { frame: { name: "main", kind: "js" }, time: 3, children: [call(1), call(2)] };
 * mergeAdjacentCalls(root).children.length; // 1 (3 ms)
 * ```
 */
export function mergeAdjacentCalls(root: CallNode): CallNode {
  return rebuildTree(root, () => false, { timeline: true });
}
