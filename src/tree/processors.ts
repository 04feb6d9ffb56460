/**
 * Processors: pure functions from a call tree to a new call tree, each in
 * its own module under `processors/`, and {@linkcode processTree}, the one
 * pipeline every renderer runs them through.
 *
 * Every processor leaves its input untouched, keeps the root's total (time
 * taken out of a removed node stays in its nearest kept ancestor), and works
 * without recursion, since stacks can be 10,000 frames deep.
 *
 * @module
 */
import { type Frame, type Profile, profileTotal } from "../format/types.ts";
import { buildCallTree, type CallNode } from "./call_tree.ts";
import { type GroupLibraryFramesOptions, groupLibraryFrames } from "./processors/group_library_frames.ts";
import { type RemoveIrrelevantNodesOptions, removeIrrelevantNodes } from "./processors/remove_irrelevant_nodes.ts";
import {
  aggregateRepeatedCalls,
  foldRecursion,
  isRuntimeFrame,
  isToolFrame,
  removeFrames,
  type RemoveRuntimeFramesOptions,
  type RemoveToolFramesOptions,
} from "./processors/remove_frames.ts";
import { mergeConsecutiveSelfTime, removeUnnecessarySelfTime } from "./processors/self_time.ts";

export {
  aggregateRepeatedCalls,
  type FoldRecursionOptions,
  foldRecursion,
  isRuntimeFrame,
  isToolFrame,
  removeFrames,
  type RemoveRuntimeFramesOptions,
  removeRuntimeFrames,
  type RemoveToolFramesOptions,
  removeToolFrames,
  type TimelineOptions,
} from "./processors/remove_frames.ts";
export { type GroupLibraryFramesOptions, groupLibraryFrames, isLibraryFrame } from "./processors/group_library_frames.ts";
export { type RemoveIrrelevantNodesOptions, removeIrrelevantNodes } from "./processors/remove_irrelevant_nodes.ts";
export { mergeConsecutiveSelfTime, removeUnnecessarySelfTime } from "./processors/self_time.ts";

/**
 * Options of the whole pipeline: every processor's, plus the switches.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { processTree, type ProcessOptions } from "tsprof/tree";
 * const options: ProcessOptions = { filterThreshold: 0, hideRegex: /generated\// };
 * const tree = processTree(buildCallTree(new ProfileBuilder("main").build()), options);
 * ```
 */
export interface ProcessOptions
  extends RemoveRuntimeFramesOptions, RemoveToolFramesOptions, RemoveIrrelevantNodesOptions, GroupLibraryFramesOptions {
  /**
   * Show everything: keep runtime internals and tiny nodes, fold no library
   * frames.
   * @default {false}
   */
  showAll?: boolean;
  /**
   * Fold recursion (see {@linkcode foldRecursion}).
   * @default {false}
   */
  foldRecursion?: boolean;
}

export { PROCESS_OPTIONS } from "./process_options.ts";

/**
 * The standard pipeline, in this order:
 * 1. {@linkcode removeToolFrames} (tsprof's own frames);
 * 2. {@linkcode removeRuntimeFrames}, unless `showAll`;
 * 3. {@linkcode foldRecursion}, if `foldRecursion`;
 * 4. {@linkcode aggregateRepeatedCalls}, unless `timeline`;
 * 5. {@linkcode removeIrrelevantNodes}, unless `showAll`;
 * 6. {@linkcode mergeConsecutiveSelfTime}, in a timeline;
 * 7. {@linkcode removeUnnecessarySelfTime};
 * 8. {@linkcode groupLibraryFrames}, unless `showAll`.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { processTree } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", kind: "js" }], 10);
 * const tree = processTree(buildCallTree(b.build()), { filterThreshold: 0.05 });
 * ```
 */
export function processTree(root: CallNode, options: ProcessOptions = {}): CallNode {
  const timeline = options.timeline ?? false;
  // One pass for tsprof's frames, the runtime's and (outside a timeline) the
  // merging of repeated calls: each pass rebuilds the whole tree.
  let tree = removeFrames(root, framesToRemove(options), { timeline });
  if (options.foldRecursion) {
    tree = foldRecursion(tree, options);
    if (!timeline) tree = aggregateRepeatedCalls(tree);
  }
  if (!options.showAll) tree = removeIrrelevantNodes(tree, options);
  return finish(tree, options);
}

/**
 * Options for {@linkcode processProfile}: the pipeline's, plus the tree's
 * `[self]` leaves.
 *
 * @example
 * ```ts
 * import type { ProcessProfileOptions } from "tsprof/tree";
 * const options: ProcessProfileOptions = { selfNodes: true, filterThreshold: 0.05 };
 * ```
 */
export interface ProcessProfileOptions extends ProcessOptions {
  /**
   * Give each node's own time a `[self]` leaf (see `buildCallTree`).
   * @default {false}
   */
  selfNodes?: boolean;
}

/**
 * Builds a profile's call tree and runs {@linkcode processTree}'s pipeline
 * on it, with the same result, but cheaper: frames are removed and tiny
 * nodes skipped while the tree is built from the stack table, so a million
 * samples of distinct stacks never become a million nodes only to be
 * dropped.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { processProfile } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "run", file: "node:internal/main", kind: "js" }, { name: "main", file: "/app/a.ts", kind: "js" }], 10);
 * processProfile(b.build(), { selfNodes: true }).children[0]!.frame.name; // "main"
 * ```
 */
export function processProfile(profile: Profile, options: ProcessProfileOptions = {}): CallNode {
  const timeline = options.timeline ?? false;
  const selfNodes = options.selfNodes ?? false;
  const minTime = options.showAll ? 0 : (options.filterThreshold ?? 0.01) * profileTotal(profile);
  const foldRecursion = options.foldRecursion ?? false;
  return finish(buildCallTree(profile, { timeline, selfNodes, removeFrame: framesToRemove(options), foldRecursion, minTime }), options);
}

/**
 * The frames the pipeline's first pass removes: tsprof's own, and the
 * runtime's unless `showAll`.
 *
 * @example
 * ```ts
 * import { framesToRemove } from "./processors.ts";
 * framesToRemove({})({ name: "run", file: "node:internal/main", kind: "js" }); // true
 * ```
 */
export function framesToRemove(options: ProcessOptions): (frame: Frame) => boolean {
  const isTool = isToolFrame(options);
  if (options.showAll) return isTool;
  const isRuntime = isRuntimeFrame(options);
  return (f) => isTool(f) || isRuntime(f);
}

/** The pipeline's steps after irrelevant nodes are gone: a small tree by then. */
function finish(root: CallNode, options: ProcessOptions): CallNode {
  let tree = root;
  if (options.timeline) tree = mergeConsecutiveSelfTime(tree);
  tree = removeUnnecessarySelfTime(tree);
  if (!options.showAll) tree = groupLibraryFrames(tree, options);
  return tree;
}
