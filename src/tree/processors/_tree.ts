/**
 * Helpers the processors share: copying a tree and rebuilding it without
 * some nodes. Both are iterative, since stacks can be 10,000 frames deep,
 * and both leave their input untouched.
 *
 * @module
 */
import type { Frame } from "../../format/types.ts";
import { type CallNode, isSelfNode } from "../call_tree.ts";

/** Copies a tree, letting `filter` choose each node's children (groups are not copied). */
export function copyTree(root: CallNode, filter: (children: CallNode[], node: CallNode) => CallNode[] = (c) => c): CallNode {
  const copy = (n: CallNode): CallNode => ({ frame: n.frame, time: n.time, children: [] });
  const newRoot = copy(root);
  const todo: [CallNode, CallNode][] = [[root, newRoot]];
  while (todo.length > 0) {
    const [old, made] = todo.pop()!;
    for (const c of filter(old.children, old)) {
      const child = copy(c);
      made.children.push(child);
      todo.push([c, child]);
    }
  }
  return newRoot;
}

/** Options for {@linkcode rebuildTree}. */
export interface RebuildOptions {
  /**
   * The tree is a timeline: siblings merge only when adjacent, and the
   * children stay in time order.
   */
  readonly timeline?: boolean;
}

/**
 * Rebuilds a tree without the nodes `remove` picks: their children move up
 * to the nearest kept ancestor, and siblings that then share a frame merge
 * (in a timeline, only adjacent ones). `onPath(frame)` tells whether a kept
 * ancestor has that frame. A `[self]` leaf that would land on the root is
 * left out: the root's own time has no row. The root's total never changes.
 */
export function rebuildTree(
  root: CallNode,
  remove: (old: CallNode, onPath: (frame: Frame) => boolean) => boolean,
  options: RebuildOptions = {},
): CallNode {
  const newRoot: CallNode = { frame: root.frame, time: root.time, children: [] };
  const index = new Map<CallNode, Map<Frame, CallNode>>();
  const attach = (parent: CallNode, old: CallNode): CallNode => {
    if (options.timeline) {
      const last = parent.children[parent.children.length - 1];
      if (last && last.frame === old.frame) {
        last.time += old.time;
        return last;
      }
      const node: CallNode = { frame: old.frame, time: old.time, children: [] };
      parent.children.push(node);
      return node;
    }
    let byFrame = index.get(parent);
    if (!byFrame) index.set(parent, (byFrame = new Map()));
    const existing = byFrame.get(old.frame);
    if (existing) {
      existing.time += old.time;
      return existing;
    }
    const node: CallNode = { frame: old.frame, time: old.time, children: [] };
    byFrame.set(old.frame, node);
    parent.children.push(node);
    return node;
  };
  // Frames of the kept nodes from the root down to where the walk is.
  const onPathCount = new Map<Frame, number>();
  const onPath = (f: Frame): boolean => (onPathCount.get(f) ?? 0) > 0;
  // Entries: a node to place under a new parent, or (old === undefined) the
  // end of a kept node's subtree. Pushed in reverse to keep time order.
  type Entry = { old: CallNode; parent: CallNode } | { old: undefined; leave: Frame };
  const todo: Entry[] = [];
  for (let i = root.children.length - 1; i >= 0; i--) todo.push({ old: root.children[i]!, parent: newRoot });
  while (todo.length > 0) {
    const e = todo.pop()!;
    if (e.old === undefined) {
      onPathCount.set(e.leave, onPathCount.get(e.leave)! - 1);
      continue;
    }
    const { old, parent } = e;
    let target = parent;
    if (isSelfNode(old)) {
      if (parent !== newRoot) attach(parent, old);
      continue;
    }
    if (!remove(old, onPath)) {
      target = attach(parent, old);
      onPathCount.set(old.frame, (onPathCount.get(old.frame) ?? 0) + 1);
      todo.push({ old: undefined, leave: old.frame });
    }
    for (let i = old.children.length - 1; i >= 0; i--) todo.push({ old: old.children[i]!, parent: target });
  }
  return newRoot;
}

/** Tests a regular expression against a file, `false` when either is missing. */
export function matches(re: RegExp | undefined, file: string | undefined): boolean {
  if (!re || file === undefined) return false;
  re.lastIndex = 0;
  return re.test(file);
}
