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
  /** Keep track of the frames on the path, for `onPath` (it costs). */
  readonly trackPath?: boolean;
}

/**
 * Rebuilds a tree without the nodes `remove` picks: their children move up
 * to the nearest kept ancestor, and siblings that then share a frame merge
 * (in a timeline, only adjacent ones). `onPath(frame)` tells whether a kept
 * ancestor has that frame (with `trackPath`). A `[self]` leaf that would land on the root is
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
  const trackPath = options.trackPath ?? false;
  const onPathCount = new Map<Frame, number>();
  const onPath = (f: Frame): boolean => (onPathCount.get(f) ?? 0) > 0;
  // Parallel stacks: a node to place under a new parent, or (old ===
  // undefined) the end of the subtree of a kept node whose frame is `leave`.
  // Pushed in reverse to keep time order.
  const olds: (CallNode | undefined)[] = [];
  const parents: (CallNode | Frame)[] = [];
  for (let i = root.children.length - 1; i >= 0; i--) {
    olds.push(root.children[i]!);
    parents.push(newRoot);
  }
  while (olds.length > 0) {
    const old = olds.pop();
    const parent = parents.pop()!;
    if (old === undefined) {
      const leave = parent as Frame;
      onPathCount.set(leave, onPathCount.get(leave)! - 1);
      continue;
    }
    const into = parent as CallNode;
    if (isSelfNode(old)) {
      if (into !== newRoot) attach(into, old);
      continue;
    }
    let target = into;
    if (!remove(old, onPath)) {
      target = attach(into, old);
      if (trackPath) {
        onPathCount.set(old.frame, (onPathCount.get(old.frame) ?? 0) + 1);
        olds.push(undefined);
        parents.push(old.frame);
      }
    }
    for (let i = old.children.length - 1; i >= 0; i--) {
      olds.push(old.children[i]!);
      parents.push(target);
    }
  }
  return newRoot;
}

/** Remembers a predicate's answer per frame: frames are few, nodes many. */
export function perFrame(test: (frame: Frame) => boolean): (frame: Frame) => boolean {
  const memo = new Map<Frame, boolean>();
  return (frame) => {
    let answer = memo.get(frame);
    if (answer === undefined) memo.set(frame, (answer = test(frame)));
    return answer;
  };
}

/** Tests a regular expression against a file, `false` when either is missing. */
export function matches(re: RegExp | undefined, file: string | undefined): boolean {
  if (!re || file === undefined) return false;
  re.lastIndex = 0;
  return re.test(file);
}
