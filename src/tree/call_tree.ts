/**
 * The frame tree: a profile's samples as a call tree, the shape every
 * processor transforms and every renderer draws.
 *
 * @module
 */
import type { Frame, Profile } from "../format/types.ts";
import { type KeptStacks, keptStacks } from "./kept_stacks.ts";

/**
 * One frame on one call path. `time` includes the children; self time is
 * what the children do not account for ({@linkcode selfTime}).
 *
 * @example
 * ```ts
 * import type { CallNode } from "tsprof/tree";
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
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree, type FrameGroup, walk } from "tsprof/tree";
 * import { groupLibraryFrames } from "tsprof/tree";
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
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree, ROOT_FRAME } from "tsprof/tree";
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
 * import { isSelfNode, SELF_FRAME, type CallNode } from "tsprof/tree";
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
 * import { isSelfNode, SELF_FRAME } from "tsprof/tree";
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
 * import { selfTime, type CallNode } from "tsprof/tree";
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
 * import { ownTime, SELF_FRAME, type CallNode } from "tsprof/tree";
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
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree, type BuildCallTreeOptions } from "tsprof/tree";
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
  /**
   * Frames to leave out while building, as `removeFrames` does to a built
   * tree: their time stays with the nearest kept caller and calls that then
   * share a path are one node. Done on the stack table, it costs one pass over
   * the stacks, not a second tree.
   * @default {() => false}
   */
  removeFrame?: (frame: Frame) => boolean;
  /**
   * Nodes and `[self]` leaves under this many milliseconds are left out with
   * their subtrees, as `removeIrrelevantNodes` does; in an aggregated tree
   * they are never made at all.
   * @default {0}
   */
  minTime?: number;
  /**
   * Fold recursion while building, as the `foldRecursion` processor does:
   * a call of a function already on the path is taken out.
   * @default {false}
   */
  foldRecursion?: boolean;
}

/**
 * Builds the call tree of a profile under a synthetic root whose time is the
 * profile's total. Calls of the same function on the same path are one node,
 * even where a foreign file's stack table repeats them.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * const f = { name: "f", kind: "js" } as const;
 * b.addSample([f], 3);
 * const root = buildCallTree(b.build()); // root.time === 3, root.children[0].frame.name === "f"
 * ```
 */
export function buildCallTree(profile: Profile, options: BuildCallTreeOptions = {}): CallNode {
  const selfNodes = options.selfNodes ?? false;
  const minTime = options.minTime ?? 0;
  const paths = keptPaths(profile, options);
  if (!options.timeline) return buildAggregated(profile, paths, selfNodes, minTime);
  const root = buildTimeline(profile, paths, selfNodes);
  if (minTime > 0) pruneBelow(root, minTime);
  return root;
}

function keptPaths(profile: Profile, options: BuildCallTreeOptions): KeptStacks {
  const remove = options.removeFrame;
  const removed = new Uint8Array(profile.frames.length);
  if (remove) for (let f = 0; f < removed.length; f++) removed[f] = remove(profile.frames[f]!) ? 1 : 0;
  return keptStacks(profile, removed, { foldRecursion: options.foldRecursion ?? false });
}

function buildAggregated(profile: Profile, paths: KeptStacks, selfNodes: boolean, minTime: number): CallNode {
  const { table, of } = paths;
  const own = new Float64Array(table.length);
  let rootTime = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    const w = profile.weights[i]!;
    rootTime += w;
    const k = s >= 0 ? of[s]! : -1;
    if (k >= 0) own[k]! += w;
  }
  return treeOfPaths(table, own, profile.frames, rootTime, { selfNodes, minTime });
}

/**
 * The aggregated call tree of a prefix table of call paths (parents before
 * children) and each path's own time. Nodes under `minTime` are never made,
 * so a million paths can become a tree of a few hundred nodes.
 *
 * @param rootTime the whole profile's time, paths' and empty samples' alike
 * @example
 * ```ts
 * import { treeOfPaths } from "./call_tree.ts";
 * const frames = [{ name: "main", kind: "js" }, { name: "work", kind: "js" }] as const;
 * const paths = { frame: Int32Array.of(0, 1), parent: Int32Array.of(-1, 0) };
 * const root = treeOfPaths(paths, Float64Array.of(1, 3), frames, 4, { selfNodes: true });
 * // main 4 → work 3, [self] 1
 * ```
 */
export function treeOfPaths(
  paths: { readonly frame: Int32Array; readonly parent: Int32Array },
  own: Float64Array,
  frames: readonly Frame[],
  rootTime: number,
  options: Pick<BuildCallTreeOptions, "selfNodes" | "minTime"> = {},
): CallNode {
  const { frame, parent } = paths;
  const selfNodes = options.selfNodes ?? false;
  const minTime = options.minTime ?? 0;
  const root: CallNode = { frame: ROOT_FRAME, time: rootTime, children: [] };
  // A backward sweep adds totals bottom-up, a forward one makes parents
  // before their children.
  const total = own.slice();
  for (let k = frame.length - 1; k >= 0; k--) {
    const p = parent[k]!;
    if (p !== -1) total[p]! += total[k]!;
  }
  const nodes: (CallNode | undefined)[] = new Array(frame.length);
  const made: CallNode[] = [root];
  for (let k = 0; k < frame.length; k++) {
    const t = total[k]!;
    // Time at or under zero only leads to other profiles' samples.
    if (!(t > 0) || t < minTime) continue;
    const p = parent[k]!;
    const above = p === -1 ? root : nodes[p];
    if (above === undefined) continue;
    const node: CallNode = { frame: frames[frame[k]!]!, time: t, children: [] };
    const w = own[k]!;
    if (selfNodes && w > 0 && w >= minTime) node.children.push({ frame: SELF_FRAME, time: w, children: [] });
    nodes[k] = node;
    made.push(node);
    above.children.push(node);
  }
  for (const node of made) if (node.children.length > 1) node.children.sort((a, b) => b.time - a.time);
  return root;
}

function buildTimeline(profile: Profile, paths: KeptStacks, selfNodes: boolean): CallNode {
  const { table, of } = paths;
  const frames = profile.frames;
  const root: CallNode = { frame: ROOT_FRAME, time: 0, children: [] };
  // The open calls, root first, and the kept path each stands for; depthOf
  // finds an open path's place in the open calls (-1: not open).
  const path: CallNode[] = [root];
  const pathStacks: number[] = [-1];
  const depthOf = new Int32Array(table.length).fill(-1);
  const chain: number[] = [];
  for (let i = 0; i < profile.samples.length; i++) {
    const w = profile.weights[i]!;
    root.time += w;
    // A sample of no weight adds nothing, and must not split a call in two.
    if (!(w > 0)) continue;
    // The sample's kept paths, leaf first, up to the first one already open.
    chain.length = 0;
    const sampled = profile.samples[i]!;
    let s = sampled >= 0 ? of[sampled]! : -1;
    let depth = -1;
    for (; s !== -1; s = table.parent[s]!) {
      if (depthOf[s] !== -1) {
        depth = depthOf[s]!;
        break;
      }
      chain.push(s);
    }
    const keep = s === -1 ? 1 : depth + 1;
    const leafAt = keep - 1 + chain.length;
    // Open calls below the sample's path stay open unless something now
    // follows them: a new callee or a stretch of own time. Time in the
    // caller alone, or in no kept frame, does not split a call in two.
    const closes = chain.length > 0 || (selfNodes && leafAt > 0);
    if (closes) {
      for (let k = keep; k < pathStacks.length; k++) depthOf[pathStacks[k]!] = -1;
      path.length = keep;
      pathStacks.length = keep;
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const node: CallNode = { frame: frames[table.frame[chain[k]!]!]!, time: 0, children: [] };
      path[path.length - 1]!.children.push(node);
      depthOf[chain[k]!] = path.length;
      path.push(node);
      pathStacks.push(chain[k]!);
    }
    for (let k = 1; k <= leafAt; k++) path[k]!.time += w;
    const leaf = path[leafAt]!;
    if (selfNodes && leaf !== root) {
      // Consecutive samples in the same function extend one stretch.
      const last = leaf.children[leaf.children.length - 1];
      if (last && isSelfNode(last)) last.time += w;
      else leaf.children.push({ frame: SELF_FRAME, time: w, children: [] });
    }
  }
  return root;
}

/** Drops, in place, the nodes and `[self]` leaves under `minTime` with their subtrees. */
function pruneBelow(root: CallNode, minTime: number): void {
  const todo = [root];
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (node.children.some((c) => c.time < minTime)) node.children = node.children.filter((c) => c.time >= minTime);
    for (const c of node.children) todo.push(c);
  }
}

/**
 * Visits every node, parents before children, without recursion.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree, walk } from "tsprof/tree";
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

/** Orders every node's children heaviest first. */
export function sortByTime(root: CallNode): void {
  walk(root, (node) => {
    node.children.sort((a, b) => b.time - a.time);
  });
}
