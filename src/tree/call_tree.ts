/**
 * The frame tree: a profile's samples as a call tree, the shape every
 * processor transforms and every renderer draws.
 *
 * @module
 */
import type { Frame, Profile } from "../format/types.ts";

/**
 * One frame on one call path. `time` includes the children; self time is
 * what the children do not account for ({@linkcode selfTime}).
 *
 * @example
 * ```ts
 * import type { CallNode } from "./call_tree.ts";
 * const leaf: CallNode = { frame: { name: "work", kind: "js" }, time: 3, children: [] };
 * const root: CallNode = { frame: { name: "(root)", kind: "root" }, time: 3, children: [leaf] };
 * ```
 */
export interface CallNode {
  /** The function (or pseudo-frame) this node stands for. */
  readonly frame: Frame;
  /** Total milliseconds on this call path, children included. */
  time: number;
  /** Callees, in time order (timeline) or heaviest first (aggregated). */
  children: CallNode[];
  /** Set by `groupLibraryFrames`: the library group this node is folded into. */
  group?: FrameGroup;
}

/**
 * A run of library frames, folded into one line by the renderers.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { buildCallTree, type FrameGroup, walk } from "./call_tree.ts";
 * import { groupLibraryFrames } from "./processors.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([
 *   { name: "main", file: "/app/a.ts", kind: "js" },
 *   { name: "parse", file: "/app/node_modules/yaml/index.js", kind: "js" },
 *   { name: "scan", file: "/app/node_modules/yaml/scan.js", kind: "js" },
 *   { name: "read", file: "/app/node_modules/yaml/read.js", kind: "js" },
 * ], 3);
 * const groups = new Set<FrameGroup>();
 * walk(groupLibraryFrames(buildCallTree(b.build())), (n) => void (n.group && groups.add(n.group)));
 * // one group of yaml frames
 * ```
 */
export interface FrameGroup {
  /** The first (outermost) node of the group; always drawn. */
  readonly root: CallNode;
  /** How many nodes the group holds. */
  readonly count: number;
  /** The nodes the renderers leave out (empty when too few would be). */
  readonly hidden: ReadonlySet<CallNode>;
  /** Package or runtime names of the hidden frames, in order of appearance. */
  readonly libraries: readonly string[];
}

/**
 * Frame of the synthetic root node that stands for the whole profile.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { buildCallTree, ROOT_FRAME } from "./call_tree.ts";
 * buildCallTree(new ProfileBuilder("main").build()).frame === ROOT_FRAME; // true
 * ```
 */
export const ROOT_FRAME: Frame = { name: "(root)", kind: "root" };

/**
 * Frame of a `[self]` leaf: its parent's own time, made explicit so that a
 * timeline keeps it in time order and processors can merge or drop it.
 *
 * @example
 * ```ts
 * import { isSelfNode, SELF_FRAME, type CallNode } from "./call_tree.ts";
 * const own: CallNode = { frame: SELF_FRAME, time: 2, children: [] };
 * isSelfNode(own); // true
 * ```
 */
export const SELF_FRAME: Frame = { name: "[self]", kind: "self" };

/**
 * True for a `[self]` leaf (see {@linkcode SELF_FRAME}).
 *
 * @example
 * ```ts
 * import { isSelfNode, SELF_FRAME } from "./call_tree.ts";
 * isSelfNode({ frame: SELF_FRAME, time: 1, children: [] }); // true
 * isSelfNode({ frame: { name: "work", kind: "js" }, time: 1, children: [] }); // false
 * ```
 */
export function isSelfNode(node: CallNode): boolean {
  return node.frame.kind === "self";
}

/**
 * Milliseconds in `node` that no child accounts for: with `[self]` leaves,
 * the time a processor folded into it (a removed tiny callee, say).
 *
 * @example
 * ```ts
 * import { selfTime, type CallNode } from "./call_tree.ts";
 * const child: CallNode = { frame: { name: "work", kind: "js" }, time: 3, children: [] };
 * selfTime({ frame: { name: "main", kind: "js" }, time: 5, children: [child] }); // 2
 * ```
 */
export function selfTime(node: CallNode): number {
  let t = node.time;
  for (const c of node.children) t -= c.time;
  // Floating-point sums may leave a hair below zero.
  return t > 1e-9 ? t : 0;
}

/**
 * Milliseconds spent in the function of `node` itself on this call path:
 * its `[self]` leaves plus its {@linkcode selfTime}.
 *
 * @example
 * ```ts
 * import { ownTime, SELF_FRAME, type CallNode } from "./call_tree.ts";
 * const self: CallNode = { frame: SELF_FRAME, time: 2, children: [] };
 * const work: CallNode = { frame: { name: "work", kind: "js" }, time: 3, children: [] };
 * ownTime({ frame: { name: "main", kind: "js" }, time: 5, children: [self, work] }); // 2
 * ```
 */
export function ownTime(node: CallNode): number {
  let t = node.time;
  for (const c of node.children) if (!isSelfNode(c)) t -= c.time;
  return t > 1e-9 ? t : 0;
}

/**
 * Options for {@linkcode buildCallTree}.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { buildCallTree, type BuildCallTreeOptions } from "./call_tree.ts";
 * const options: BuildCallTreeOptions = { timeline: true };
 * const tree = buildCallTree(new ProfileBuilder("main").build(), options);
 * ```
 */
export interface BuildCallTreeOptions {
  /**
   * Keep samples in time order instead of merging repeated calls: a call that
   * returns and is called again becomes a second node.
   * @default {false}
   */
  timeline?: boolean;
  /**
   * Give each node's own time a `[self]` leaf ({@linkcode SELF_FRAME}); in a
   * timeline, one leaf per stretch of own time, in time order.
   * @default {false}
   */
  selfNodes?: boolean;
}

/**
 * Builds the call tree of a profile under a synthetic root whose time is the
 * profile's total.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { buildCallTree } from "./call_tree.ts";
 * const b = new ProfileBuilder("main");
 * const f = { name: "f", kind: "js" } as const;
 * b.addSample([f], 3);
 * const root = buildCallTree(b.build()); // root.time === 3, root.children[0].frame.name === "f"
 * ```
 */
export function buildCallTree(profile: Profile, options: BuildCallTreeOptions = {}): CallNode {
  const selfNodes = options.selfNodes ?? false;
  return options.timeline ? buildTimeline(profile, selfNodes) : buildAggregated(profile, selfNodes);
}

function buildAggregated(profile: Profile, selfNodes: boolean): CallNode {
  const { stacks, frames } = profile;
  const weight = new Float64Array(stacks.length);
  const root: CallNode = { frame: ROOT_FRAME, time: 0, children: [] };
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    const w = profile.weights[i]!;
    root.time += w;
    if (s >= 0) weight[s]! += w;
  }
  // Stacks are interned parent-first, but foreign files need not be: order
  // them by depth so that every parent is made before its children.
  const order = stackOrder(profile);
  const nodes: (CallNode | undefined)[] = new Array(stacks.length);
  for (const s of order) {
    const node: CallNode = { frame: frames[stacks.frame[s]!]!, time: 0, children: [] };
    if (selfNodes && weight[s]! > 0) node.children.push({ frame: SELF_FRAME, time: weight[s]!, children: [] });
    nodes[s] = node;
    const p = stacks.parent[s]!;
    (p === -1 ? root : nodes[p]!).children.push(node);
  }
  // Children before parents: reverse depth order adds totals bottom-up.
  for (let k = order.length - 1; k >= 0; k--) {
    const s = order[k]!;
    const node = nodes[s]!;
    node.time += weight[s]!;
    const p = stacks.parent[s]!;
    if (p !== -1) nodes[p]!.time += node.time;
  }
  pruneEmpty(root);
  sortByTime(root);
  return root;
}

/** Stack ids ordered so that each parent precedes its children. */
function stackOrder(profile: Profile): Int32Array {
  const { parent, length } = profile.stacks;
  let sorted = true;
  for (let s = 0; s < length && sorted; s++) if (parent[s]! >= s) sorted = false;
  const order = new Int32Array(length);
  if (sorted) {
    for (let s = 0; s < length; s++) order[s] = s;
    return order;
  }
  const depth = new Int32Array(length).fill(-1);
  for (let s = 0; s < length; s++) {
    const chain: number[] = [];
    let t = s;
    while (t !== -1 && depth[t] === -1) {
      chain.push(t);
      t = parent[t]!;
    }
    let d = t === -1 ? 0 : depth[t]! + 1;
    for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]!] = d++;
  }
  const ids = Array.from({ length }, (_, i) => i).sort((a, b) => depth[a]! - depth[b]!);
  order.set(ids);
  return order;
}

function buildTimeline(profile: Profile, selfNodes: boolean): CallNode {
  const { stacks, frames } = profile;
  const root: CallNode = { frame: ROOT_FRAME, time: 0, children: [] };
  // The open calls, root first, and the stack id each stands for; depthOf
  // finds an open stack's place in the path (-1: not open).
  const path: CallNode[] = [root];
  const pathStacks: number[] = [-1];
  const depthOf = new Int32Array(stacks.length).fill(-1);
  const chain: number[] = [];
  for (let i = 0; i < profile.samples.length; i++) {
    const w = profile.weights[i]!;
    // A sample of no weight adds nothing, and must not split a call in two.
    if (!(w > 0)) continue;
    // The sample's stacks, leaf first, up to the first one already open.
    chain.length = 0;
    let s = profile.samples[i]!;
    let depth = -1;
    for (; s !== -1; s = stacks.parent[s]!) {
      if (depthOf[s] !== -1) {
        depth = depthOf[s]!;
        break;
      }
      chain.push(s);
    }
    const keep = s === -1 ? 1 : depth + 1;
    for (let k = keep; k < pathStacks.length; k++) depthOf[pathStacks[k]!] = -1;
    path.length = keep;
    pathStacks.length = keep;
    for (let k = chain.length - 1; k >= 0; k--) {
      const node: CallNode = { frame: frames[stacks.frame[chain[k]!]!]!, time: 0, children: [] };
      path[path.length - 1]!.children.push(node);
      depthOf[chain[k]!] = path.length;
      path.push(node);
      pathStacks.push(chain[k]!);
    }
    for (const node of path) node.time += w;
    const leaf = path[path.length - 1]!;
    if (selfNodes && leaf !== root) {
      // Consecutive samples in the same function extend one stretch.
      const last = leaf.children[leaf.children.length - 1];
      if (last && isSelfNode(last)) last.time += w;
      else leaf.children.push({ frame: SELF_FRAME, time: w, children: [] });
    }
  }
  return root;
}

/**
 * Visits every node, parents before children, without recursion.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { buildCallTree, walk } from "./call_tree.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", kind: "js" }, { name: "work", kind: "js" }], 3);
 * const names: string[] = [];
 * walk(buildCallTree(b.build()), (node, depth) => void names.push(`${depth}:${node.frame.name}`));
 * // names starts with "0:(root)", "1:main"
 * ```
 */
export function walk(root: CallNode, visit: (node: CallNode, depth: number) => void): void {
  const todo: [CallNode, number][] = [[root, 0]];
  while (todo.length > 0) {
    const [node, depth] = todo.pop()!;
    visit(node, depth);
    for (let i = node.children.length - 1; i >= 0; i--) todo.push([node.children[i]!, depth + 1]);
  }
}

/** Drops zero-weight subtrees (stacks that only lead to other profiles' samples). */
function pruneEmpty(root: CallNode): void {
  walk(root, (node) => {
    if (node.children.some((c) => c.time <= 0)) node.children = node.children.filter((c) => c.time > 0);
  });
}

/** Orders every node's children heaviest first. */
export function sortByTime(root: CallNode): void {
  walk(root, (node) => {
    node.children.sort((a, b) => b.time - a.time);
  });
}
