/**
 * Drops nodes too small to matter.
 *
 * @module
 */
import type { CallNode } from "../call_tree.ts";
import { copyTree } from "./_tree.ts";

/** Options for {@linkcode removeIrrelevantNodes}. */
export interface RemoveIrrelevantNodesOptions {
  /**
   * Nodes under this share of the root's total (0 to 1) are dropped, with
   * their subtree; their time stays in the parent's total.
   * @default {0.01}
   */
  filterThreshold?: number;
}

/**
 * Drops the nodes (and `[self]` leaves) under `filterThreshold` of the
 * total. Their time stays in the parent's total, uncounted by any row, as in
 * pyinstrument.
 */
export function removeIrrelevantNodes(root: CallNode, options: RemoveIrrelevantNodesOptions = {}): CallNode {
  const threshold = (options.filterThreshold ?? 0.01) * root.time;
  return copyTree(root, (children) => (children.some((c) => c.time < threshold) ? children.filter((c) => c.time >= threshold) : children));
}
