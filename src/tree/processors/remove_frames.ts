/**
 * Processors that take frames out of the tree: runtime internals, tsprof's
 * own frames, or any frames a predicate picks. The time of a removed frame
 * stays with its nearest kept ancestor.
 *
 * @module
 */
import type { Frame } from "../../format/types.ts";
import { codeOrigin } from "../../paths.ts";
import { type CallNode, sortByTime } from "../call_tree.ts";
import { matches, perFrame, rebuildTree } from "./_tree.ts";

/** Options of every processor that rebuilds the tree. */
export interface TimelineOptions {
  /**
   * The tree is a timeline: keep children in time order and merge only
   * adjacent siblings with the same frame.
   * @default {false}
   */
  timeline?: boolean;
}

/** Frame kinds that stand for no code of their own: never removed as runtime code. */
const PSEUDO_KINDS: ReadonlySet<string> = new Set(["idle", "gc", "program", "root", "self"]);

/**
 * Removes the nodes whose frame `remove` picks, moving their callees up to
 * the nearest kept ancestor; siblings that then share a frame merge (in a
 * timeline, only adjacent ones). A removed node's own time becomes its
 * caller's own time.
 *
 * @example
 * ```ts
 * import { buildCallTree } from "../call_tree.ts";
 * import { ProfileBuilder } from "../../format/builder.ts";
 * import { removeFrames } from "./remove_frames.ts";
 * const b = new ProfileBuilder("main");
 * const [main, wrap, work] = ["main", "wrap", "work"].map((name) => ({ name, kind: "js" as const }));
 * b.addSample([main!, wrap!, work!], 5);
 * const tree = removeFrames(buildCallTree(b.build()), (f) => f.name === "wrap"); // main → work
 * ```
 */
export function removeFrames(root: CallNode, remove: (frame: Frame) => boolean, options: TimelineOptions = {}): CallNode {
  const removed = perFrame(remove);
  const out = rebuildTree(root, (old) => removed(old.frame), options);
  if (!options.timeline) sortByTime(out);
  return out;
}

/** Options for {@linkcode removeRuntimeFrames}. */
export interface RemoveRuntimeFramesOptions extends TimelineOptions {
  /** Runtime frames whose file matches stay (`--show 'node:*'`). */
  showRegex?: RegExp;
}

/**
 * Removes the runtime's own JavaScript (Node's `node:internal/…`, Deno's
 * `ext:`, Bun's `node:`/`internal:` builtins) and native frames without a
 * source. Idle, GC and program time stay as they are.
 */
export function removeRuntimeFrames(root: CallNode, options: RemoveRuntimeFramesOptions = {}): CallNode {
  return removeFrames(
    root,
    (f) => !PSEUDO_KINDS.has(f.kind) && codeOrigin(f.file) === "runtime" && !matches(options.showRegex, f.file),
    options,
  );
}

/** Options for {@linkcode removeToolFrames}. */
export interface RemoveToolFramesOptions extends TimelineOptions {
  /** Files under these paths are tsprof's own (its preload, backend, CLI). */
  toolPaths?: readonly string[];
}

/** Removes tsprof's own frames: those whose file starts with one of `toolPaths`. */
export function removeToolFrames(root: CallNode, options: RemoveToolFramesOptions = {}): CallNode {
  const paths = options.toolPaths;
  if (!paths || paths.length === 0) return removeFrames(root, () => false, options);
  return removeFrames(root, (f) => f.file !== undefined && paths.some((p) => f.file!.startsWith(p)), options);
}

/**
 * Merges sibling calls of the same function, at every level, and orders
 * children heaviest first: turns a timeline into a call tree (pyinstrument's
 * `aggregate_repeated_calls`).
 */
export function aggregateRepeatedCalls(root: CallNode): CallNode {
  return removeFrames(root, () => false, { timeline: false });
}

/** Options for {@linkcode foldRecursion}. */
export type FoldRecursionOptions = TimelineOptions;

/**
 * Folds recursion: a call of a function that is already on the call path,
 * directly (`fib → fib`) or through others (`parse → expr → parse`), is
 * taken out and its callees move up to its caller, as speedscope's
 * "flatten recursion" does. Kept nodes keep their totals, so `fib` shows
 * once with the time its outermost call took, never a sum over the levels.
 */
export function foldRecursion(root: CallNode, options: FoldRecursionOptions = {}): CallNode {
  const out = rebuildTree(root, (old, onPath) => onPath(old.frame), { ...options, trackPath: true });
  if (!options.timeline) sortByTime(out);
  return out;
}
