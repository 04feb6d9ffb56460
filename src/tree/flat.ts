/**
 * The flat view: one row per function with its self and total time, the
 * "top functions" table.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { type CallNode, isSelfNode, ownTime } from "./call_tree.ts";

/**
 * One function's times over the whole tree.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { flatProfile, type FlatRow } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "work", kind: "js" }], 2);
 * const rows: FlatRow[] = flatProfile(buildCallTree(b.build())); // [{ frame: work, self: 2, total: 2 }]
 * ```
 */
export interface FlatRow {
  /** The function. */
  readonly frame: Frame;
  /** Milliseconds spent in the function itself, over all its calls. */
  readonly self: number;
  /**
   * Milliseconds with the function on the stack: the time of the samples
   * whose stack holds it at least once. Recursion is counted once per call
   * path, never once per level.
   */
  readonly total: number;
}

/**
 * Sums self and total time per function. A node adds its total only when no
 * ancestor is the same function, so `fib → fib → fib` counts once.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { flatProfile } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * const fib = { name: "fib", kind: "js" } as const;
 * b.addSample([fib, fib, fib], 4);
 * b.addSample([fib], 1);
 * flatProfile(buildCallTree(b.build())); // [{ frame: fib, self: 5, total: 5 }]
 * ```
 */
export function flatProfile(root: CallNode): FlatRow[] {
  const self = new Map<Frame, number>();
  const total = new Map<Frame, number>();
  const onPath = new Map<Frame, number>();
  // A node to visit, or (node === undefined) the end of a frame's subtree.
  const todo: ({ node: CallNode } | { node: undefined; leave: Frame })[] = [];
  for (const c of root.children) todo.push({ node: c });
  while (todo.length > 0) {
    const e = todo.pop()!;
    if (e.node === undefined) {
      onPath.set(e.leave, onPath.get(e.leave)! - 1);
      continue;
    }
    const node = e.node;
    if (isSelfNode(node)) continue;
    const f = node.frame;
    self.set(f, (self.get(f) ?? 0) + ownTime(node));
    const depth = onPath.get(f) ?? 0;
    if (depth === 0) total.set(f, (total.get(f) ?? 0) + node.time);
    onPath.set(f, depth + 1);
    todo.push({ node: undefined, leave: f });
    for (const c of node.children) todo.push({ node: c });
  }
  return [...total].map(([frame, t]) => ({ frame, self: self.get(frame) ?? 0, total: t }));
}
