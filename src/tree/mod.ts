/**
 * `tsprof/tree`: call trees and the processors that tidy them, for custom
 * reports. Build a tree from a profile with {@linkcode buildCallTree}, tidy
 * it with {@linkcode processTree} (or one processor at a time: each is a
 * pure function from tree to tree), walk it with {@linkcode walk}.
 *
 * @example The hottest functions of a profile, by own time
 * ```ts
 * import { buildCallTree, flatProfile, processTree } from "tsprof/tree";
 * import { profile } from "tsprof";
 * const { session } = await profile(() => [3, 1, 2].sort());
 * const tree = processTree(buildCallTree(session.profiles[0]!), { showAll: true });
 * const top = flatProfile(tree).slice(0, 5);
 * ```
 *
 * @module
 */
export { buildCallTree, isSelfNode, ownTime, ROOT_FRAME, SELF_FRAME, selfTime, walk, type BuildCallTreeOptions, type CallNode, type FrameGroup } from "./call_tree.ts";
export {
  aggregateRepeatedCalls,
  foldRecursion,
  groupLibraryFrames,
  isLibraryFrame,
  mergeConsecutiveSelfTime,
  processProfile,
  processTree,
  removeFrames,
  removeIrrelevantNodes,
  removeRuntimeFrames,
  removeToolFrames,
  removeUnnecessarySelfTime,
  type FoldRecursionOptions,
  type GroupLibraryFramesOptions,
  type ProcessOptions,
  type ProcessProfileOptions,
  type RemoveIrrelevantNodesOptions,
  type RemoveRuntimeFramesOptions,
  type RemoveToolFramesOptions,
  type TimelineOptions,
} from "./processors.ts";
export { flatProfile, type FlatRow } from "./flat.ts";
