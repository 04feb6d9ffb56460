/**
 * The HTML report's data model: pure functions from a profile (stack table
 * plus runs of samples) to what the flame graph, timeline and functions
 * views draw. No DOM here, so every runtime's test suite checks it.
 *
 * Everything works on flat typed arrays rather than node objects: a
 * million-sample profile has hundreds of thousands of unique stacks, and
 * the views must stay fast on them.
 *
 * @module
 */
import { Int32Vec } from "../format/builder.ts";
import { StackInterner } from "../format/stack_interner.ts";
import type { Frame, Profile } from "../format/types.ts";
import { type CallNode, treeOfPaths } from "../tree/call_tree.ts";
import { keptStacks } from "../tree/kept_stacks.ts";
import { framesToRemove } from "../tree/processors.ts";

/**
 * A tree as a parent-first prefix table: node `i` is frame `frame[i]`
 * called from node `parent[i]` (`-1` for a root), with `self[i]`
 * milliseconds spent in it and not in its children. Parents always have
 * lower ids than their children.
 */
export interface FlatTree {
  readonly frame: Int32Array;
  readonly parent: Int32Array;
  readonly self: Float64Array;
}

/** A {@linkcode FlatTree} with totals, children lists and flame-graph positions. */
export interface TreeLayout {
  readonly tree: FlatTree;
  /** Total ms of each node, children included. */
  readonly total: Float64Array;
  /** Depth of each node; roots are 0. */
  readonly depth: Int32Array;
  /** Where each node starts on the flame graph's x axis, in ms. */
  readonly start: Float64Array;
  /** Children of node `i` are `children[childStart[i] .. childStart[i + 1]]`, heaviest first. */
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** Root nodes, heaviest first. */
  readonly roots: Int32Array;
  /** Sum of the roots' totals. */
  readonly grandTotal: number;
  /** Deepest depth plus one. */
  readonly depthCount: number;
}

/** Which frames the views leave out, as `processTree` does for the console. */
export interface HideOptions {
  readonly showAll: boolean;
  readonly toolPaths: readonly string[];
  readonly showRegex?: RegExp | undefined;
}

/**
 * Frames to leave out of the flame graph, timeline and functions table:
 * tsprof's own frames always, runtime internals unless `showAll` (or
 * `showRegex` matches), the same rule as the console's processors.
 */
export function hiddenFrames(frames: readonly Frame[], options: HideOptions): Uint8Array {
  const remove = framesToRemove({ showAll: options.showAll, toolPaths: options.toolPaths, ...(options.showRegex ? { showRegex: options.showRegex } : {}) });
  return Uint8Array.from(frames, (f) => (remove(f) ? 1 : 0));
}

/** A profile's stacks with frames left out: the kept tree and where each old stack went. */
export interface VisibleStacks {
  /** The kept stacks, self time from the samples. */
  readonly tree: FlatTree;
  /** Node of each old stack; `-1` where nothing was left. */
  readonly map: Int32Array;
  /** Run `i`'s node (`-1`: nothing left of its stack). */
  readonly runNode: Int32Array;
  /** Milliseconds of samples with nothing left of their stack. */
  readonly emptyTime: number;
}

/**
 * Removes hidden frames from a profile's stack table (a removed frame's
 * callees move up to its caller; equal siblings merge) and, with
 * `foldRecursion`, every call of a function already on the call path, as
 * the `foldRecursion` processor does.
 */
export function visibleStacks(profile: Profile, hidden: Uint8Array, foldRecursion = false): VisibleStacks {
  const { table, of: map } = keptStacks(profile, hidden, { foldRecursion });
  const self = new Float64Array(table.length);
  const runNode = new Int32Array(profile.samples.length);
  let emptyTime = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    const node = s === -1 ? -1 : map[s]!;
    runNode[i] = node;
    if (node === -1) emptyTime += profile.weights[i]!;
    else self[node]! += profile.weights[i]!;
  }
  return { tree: { frame: table.frame, parent: table.parent, self }, map, runNode, emptyTime };
}

/** Totals, depths, sorted children and x positions of a tree. */
export function layoutTree(tree: FlatTree): TreeLayout {
  const n = tree.frame.length;
  const total = Float64Array.from(tree.self);
  for (let i = n - 1; i >= 0; i--) {
    const p = tree.parent[i]!;
    if (p !== -1) total[p]! += total[i]!;
  }
  const depth = new Int32Array(n);
  let depthCount = 0;
  const count = new Int32Array(n + 1);
  let rootCount = 0;
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i]!;
    if (p === -1) rootCount++;
    else {
      depth[i] = depth[p]! + 1;
      count[p]!++;
    }
    if (depth[i]! + 1 > depthCount) depthCount = depth[i]! + 1;
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i]! + count[i]!;
  const fill = childStart.slice(0, n);
  const children = new Int32Array(childStart[n]!);
  const roots = new Int32Array(rootCount);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i]!;
    if (p === -1) roots[r++] = i;
    else children[fill[p]!++] = i;
  }
  const byTotal = (a: number, b: number) => total[b]! - total[a]! || a - b;
  for (let i = 0; i < n; i++) {
    const a = childStart[i]!;
    const b = childStart[i + 1]!;
    if (b - a > 1) children.subarray(a, b).sort(byTotal);
  }
  roots.sort(byTotal);
  const start = new Float64Array(n);
  let x = 0;
  for (const root of roots) {
    start[root] = x;
    x += total[root]!;
  }
  // Parents first, so each parent's start is known before its children's.
  for (let i = 0; i < n; i++) {
    let cx = start[i]!;
    for (let k = childStart[i]!; k < childStart[i + 1]!; k++) {
      const c = children[k]!;
      start[c] = cx;
      cx += total[c]!;
    }
  }
  return { tree, total, depth, start, childStart, children, roots, grandTotal: x, depthCount };
}

/**
 * The aggregated call tree of a laid-out tree as `CallNode`s, with a
 * `[self]` leaf for each node's own time (as `buildCallTree` with
 * `selfNodes` makes them), leaving out nodes and leaves under `minTime`.
 * On the tree of {@linkcode visibleStacks} this is what `buildCallTree`
 * followed by the removal processors and `removeIrrelevantNodes` give,
 * made without a node object per stack: a million-stack profile becomes a
 * tree of hundreds.
 *
 * @param rootTime the whole profile's time (samples with no frame left included)
 */
export function callTreeOf(layout: TreeLayout, frames: readonly Frame[], rootTime: number, minTime: number): CallNode {
  return treeOfPaths(layout.tree, layout.tree.self, frames, rootTime, { selfNodes: true, minTime });
}

/** Grows a prefix table keyed by (parent, frame), with each node's self time. */
class TreeBuilder {
  readonly #paths = new StackInterner();
  self: number[] = [];
  node(parent: number, frame: number): number {
    const id = this.#paths.intern(parent, frame);
    if (id === this.self.length) this.self.push(0);
    return id;
  }
  build(): FlatTree {
    const { frame, parent } = this.#paths.table();
    return { frame, parent, self: Float64Array.from(this.self) };
  }
}

/**
 * Share of a chart's width under which the inverted trees stop following
 * callers: the rest of a node's weight stays with it as if no caller were
 * known. 1e-5 keeps a pixel's detail at 100x zoom on a 1000-pixel chart,
 * while a million-sample profile (whose full inverted tree would have
 * tens of millions of nodes) inverts in well under a second.
 */
export const INVERT_RESOLUTION = 1e-5;

/**
 * Inverts the paths from `starts` up to their roots: each start node (with
 * its weight) becomes an inverted path `frame(start) → frame(parent) → …`,
 * merged by frame level by level. Callers of nodes lighter than
 * `minWeight` are not followed.
 */
function invertPaths(tree: FlatTree, starts: Int32Array, weights: Float64Array, minWeight: number): FlatTree {
  const paths = new StackInterner(starts.length);
  let self = new Float64Array(Math.max(16, starts.length));
  let total = new Float64Array(self.length);
  const node = (up: number, f: number): number => {
    const id = paths.intern(up, f);
    if (id === self.length) {
      const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      self = grow(self);
      total = grow(total);
    }
    return id;
  };
  // Live paths: where each one is in `tree`, its weight, and its inverted node.
  let at = Int32Array.from(starts);
  let weight = Float64Array.from(weights);
  let owner = new Int32Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const id = node(-1, tree.frame[at[i]!]!);
    owner[i] = id;
    total[id]! += weight[i]!;
  }
  let live = at.length;
  while (live > 0) {
    let next = 0;
    for (let i = 0; i < live; i++) {
      const o = owner[i]!;
      const w = weight[i]!;
      const p = tree.parent[at[i]!]!;
      if (p === -1 || total[o]! < minWeight) {
        self[o]! += w;
        continue;
      }
      const id = node(o, tree.frame[p]!);
      total[id]! += w;
      at[next] = p;
      weight[next] = w;
      owner[next] = id;
      next++;
    }
    live = next;
  }
  const { frame, parent } = paths.table();
  return { frame, parent, self: self.slice(0, paths.length) };
}

/**
 * The inverted (bottom-up) tree: roots are the functions where time was
 * spent, their children the callers. A root's total is the function's self
 * time. See {@linkcode INVERT_RESOLUTION} for where it stops.
 */
export function invertTree(tree: FlatTree, resolution: number = INVERT_RESOLUTION): FlatTree {
  const starts: number[] = [];
  const weights: number[] = [];
  let sum = 0;
  for (let i = 0; i < tree.frame.length; i++) {
    const w = tree.self[i]!;
    if (w <= 0) continue;
    starts.push(i);
    weights.push(w);
    sum += w;
  }
  return invertPaths(tree, Int32Array.from(starts), Float64Array.from(weights), sum * resolution);
}

/** Time per function: self, and total counted once per call path. */
export interface FunctionStats {
  /** Frame indices of the functions with any time, in frame order. */
  readonly frames: Int32Array;
  /** Self ms by frame index. */
  readonly self: Float64Array;
  /**
   * Total ms by frame index: time with the function anywhere on the stack,
   * counted once per sample however often it recurses.
   */
  readonly total: Float64Array;
}

/** Self and total time of every function in a laid-out tree. */
export function functionStats(layout: TreeLayout, frameCount: number): FunctionStats {
  const { tree, total: nodeTotal, childStart, children, roots } = layout;
  const self = new Float64Array(frameCount);
  const total = new Float64Array(frameCount);
  const onPath = new Int32Array(frameCount);
  // Depth-first with an explicit stack; a negative entry means "leave node ~x".
  const todo: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) todo.push(roots[r]!);
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (x < 0) {
      onPath[tree.frame[~x]!]!--;
      continue;
    }
    const f = tree.frame[x]!;
    self[f]! += tree.self[x]!;
    if (onPath[f] === 0) total[f]! += nodeTotal[x]!;
    onPath[f]!++;
    todo.push(~x);
    for (let k = childStart[x + 1]! - 1; k >= childStart[x]!; k--) todo.push(children[k]!);
  }
  const used: number[] = [];
  for (let f = 0; f < frameCount; f++) if (total[f]! > 0) used.push(f);
  return { frames: Int32Array.from(used), self, total };
}

/** The two halves of the sandwich view of one function. */
export interface Sandwich {
  /** Inverted: the function at the root, its callers below. */
  readonly callers: FlatTree;
  /** The function at the root, what it calls below, merged over all its calls. */
  readonly callees: FlatTree;
}

/**
 * Callers and callees of frame `f`. Only its outermost calls count (a
 * recursive call sits inside one already counted), so both roots total the
 * function's total time.
 */
export function sandwich(layout: TreeLayout, f: number, resolution: number = INVERT_RESOLUTION): Sandwich {
  const { tree, total, childStart, children, roots } = layout;
  const outermost: number[] = [];
  const todo: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) todo.push(roots[r]!);
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (tree.frame[x] === f) outermost.push(x);
    else for (let k = childStart[x + 1]! - 1; k >= childStart[x]!; k--) todo.push(children[k]!);
  }
  let sum = 0;
  for (const x of outermost) sum += total[x]!;
  const minWeight = sum * resolution;
  const starts = Int32Array.from(outermost);
  const callers = invertPaths(tree, starts, Float64Array.from(outermost, (x) => total[x]!), minWeight);
  // Callees: the outermost calls' subtrees merged under one root; subtrees
  // lighter than the resolution stay as their caller's self time.
  const callees = new TreeBuilder();
  const root = callees.node(-1, f);
  const copy: [number, number][] = [];
  for (const x of outermost) {
    callees.self[root]! += tree.self[x]!;
    for (let k = childStart[x]!; k < childStart[x + 1]!; k++) copy.push([children[k]!, root]);
  }
  while (copy.length > 0) {
    const [y, parent] = copy.pop()!;
    if (total[y]! < minWeight) {
      callees.self[parent]! += total[y]!;
      continue;
    }
    const node = callees.node(parent, tree.frame[y]!);
    callees.self[node]! += tree.self[y]!;
    for (let k = childStart[y]!; k < childStart[y + 1]!; k++) copy.push([children[k]!, node]);
  }
  return { callers, callees: callees.build() };
}

/**
 * The timeline as boxes, one list per depth, ordered by time. A box covers
 * runs `from[i]` up to (not including) `to[i]`; `runStart` turns run indices
 * into milliseconds.
 */
export interface Timeline {
  /** Start of each run in ms from the profile's start; one extra entry: the end. */
  readonly runStart: Float64Array;
  readonly rows: readonly TimelineRow[];
  /** Number of boxes in all rows. */
  readonly boxCount: number;
}

/** The boxes at one depth of the timeline. */
export interface TimelineRow {
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Node of each box in the {@linkcode FlatTree} the timeline was made from. */
  readonly node: Int32Array;
}

/**
 * The time-ordered flame chart: a box for every stretch of time a node
 * stays on the stack. Runs of no node leave gaps.
 */
export function buildTimeline(tree: FlatTree, runNode: Int32Array, runWeight: Float64Array): Timeline {
  const n = runNode.length;
  const runStart = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) runStart[i + 1] = runStart[i]! + runWeight[i]!;
  const rows: { from: Int32Vec; to: Int32Vec; node: Int32Vec }[] = [];
  const open: number[] = []; // node open at each depth
  const openFrom: number[] = [];
  const openDepth = new Int32Array(tree.frame.length).fill(-1);
  const chain: number[] = [];
  let boxCount = 0;
  const close = (depth: number, at: number) => {
    while (open.length > depth) {
      const d = open.length - 1;
      const node = open.pop()!;
      openDepth[node] = -1;
      const row = rows[d]!;
      row.from.push(openFrom.pop()!);
      row.to.push(at);
      row.node.push(node);
      boxCount++;
    }
  };
  for (let i = 0; i < n; i++) {
    const leaf = runNode[i]!;
    if (runWeight[i]! <= 0) continue;
    chain.length = 0;
    let s = leaf;
    while (s !== -1 && openDepth[s] === -1) {
      chain.push(s);
      s = tree.parent[s]!;
    }
    // `s` is the deepest node still open (or -1): close what is below it.
    close(s === -1 ? 0 : openDepth[s]! + 1, i);
    for (let k = chain.length - 1; k >= 0; k--) {
      const node = chain[k]!;
      openDepth[node] = open.length;
      if (rows.length <= open.length) rows.push({ from: new Int32Vec(64), to: new Int32Vec(64), node: new Int32Vec(64) });
      open.push(node);
      openFrom.push(i);
    }
  }
  close(0, n);
  return {
    runStart,
    rows: rows.map((r) => ({ from: r.from.trimmed(), to: r.to.trimmed(), node: r.node.trimmed() })),
    boxCount,
  };
}

/** First index in the row whose box ends after run `run` starts (binary search). */
export function firstBoxEndingAfter(row: TimelineRow, run: number): number {
  let lo = 0;
  let hi = row.to.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (row.to[mid]! <= run) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First run whose end lies after `ms` (binary search over run starts). */
export function runAt(runStart: Float64Array, ms: number): number {
  let lo = 0;
  let hi = runStart.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runStart[mid + 1]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Frames whose name or file contains `query` (ignoring case); `undefined`
 * for an empty query.
 */
export function searchFrames(frames: readonly Frame[], query: string): Uint8Array | undefined {
  const q = query.trim().toLowerCase();
  if (q === "") return undefined;
  const out = new Uint8Array(frames.length);
  frames.forEach((f, i) => {
    if (f.name.toLowerCase().includes(q) || (f.file !== undefined && f.file.toLowerCase().includes(q))) out[i] = 1;
  });
  return out;
}
