/**
 * Processors for `[self]` leaves (see `SELF_FRAME`): the rows that show a
 * function's own time among its callees.
 *
 * @module
 */
import { type CallNode, isSelfNode } from "../call_tree.ts";
import { copyTree } from "./_tree.ts";

/**
 * Merges adjacent `[self]` siblings into one. In a timeline, taking out a
 * node between two stretches of own time leaves them side by side.
 *
 * @example
 * ```ts
 * import { SELF_FRAME, type CallNode } from "tsprof/tree";
 * import { mergeConsecutiveSelfTime } from "tsprof/tree";
 * const self = (time: number): CallNode => ({ frame: SELF_FRAME, time, children: [] });
 * const root: CallNode = { frame: { name: "main", kind: "js" }, time: 3, children: [self(1), self(2)] };
 * mergeConsecutiveSelfTime(root).children.length; // 1 (3 ms)
 * ```
 */
export function mergeConsecutiveSelfTime(root: CallNode): CallNode {
  const out = copyTree(root);
  const todo = [out];
  while (todo.length > 0) {
    const node = todo.pop()!;
    const kids: CallNode[] = [];
    for (const c of node.children) {
      const last = kids[kids.length - 1];
      if (last && isSelfNode(last) && isSelfNode(c)) last.time += c.time;
      else kids.push(c);
    }
    node.children = kids;
    for (const c of kids) todo.push(c);
  }
  return out;
}

/**
 * Drops a `[self]` leaf that is its parent's only child: the parent's line
 * already says the time is its own.
 *
 * @example
 * ```ts
 * import { SELF_FRAME, type CallNode } from "tsprof/tree";
 * import { removeUnnecessarySelfTime } from "tsprof/tree";
 * const root: CallNode = { frame: { name: "main", kind: "js" }, time: 3, children: [{ frame: SELF_FRAME, time: 3, children: [] }] };
 * removeUnnecessarySelfTime(root).children.length; // 0
 * ```
 */
export function removeUnnecessarySelfTime(root: CallNode): CallNode {
  return copyTree(root, (children) => (children.length === 1 && isSelfNode(children[0]!) ? [] : children));
}
