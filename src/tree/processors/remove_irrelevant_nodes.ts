/**
 * Drops nodes too small to matter.
 *
 * @module
 */
import type { CallNode } from "../call_tree.ts";
import { copyTree } from "./_tree.ts";

/**
 * Options for {@linkcode removeIrrelevantNodes}.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { removeIrrelevantNodes, type RemoveIrrelevantNodesOptions } from "tsprof/tree";
 * const options: RemoveIrrelevantNodesOptions = { filterThreshold: 0.05 };
 * const tree = removeIrrelevantNodes(buildCallTree(new ProfileBuilder("main").build()), options);
 * ```
 */
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
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { removeIrrelevantNodes } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "big", kind: "js" }], 999);
 * b.addSample([{ name: "tiny", kind: "js" }], 1);
 * removeIrrelevantNodes(buildCallTree(b.build()), { filterThreshold: 0.01 }).children.length; // 1
 * ```
 */
export function removeIrrelevantNodes(root: CallNode, options: RemoveIrrelevantNodesOptions = {}): CallNode {
  const threshold = (options.filterThreshold ?? 0.01) * root.time;
  return copyTree(root, (children) => (children.some((c) => c.time < threshold) ? children.filter((c) => c.time >= threshold) : children));
}
