/**
 * Processors that take frames out of the tree: runtime internals, tsprof's
 * own frames, or any frames a predicate picks. The time of a removed frame
 * stays with its nearest kept ancestor.
 *
 * @module
 */
import type { Frame } from "../../format/types.ts";
import { isRuntimeCode } from "../../paths.ts";
import { type CallNode, sortByTime } from "../call_tree.ts";
import { matches, perFrame, rebuildTree } from "./_tree.ts";

/**
 * Options of every processor that rebuilds the tree.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { removeFrames, type TimelineOptions } from "tsprof/tree";
 * const options: TimelineOptions = { timeline: true };
 * const tree = removeFrames(buildCallTree(new ProfileBuilder("main").build(), options), () => false, options);
 * ```
 */
export interface TimelineOptions {
  /**
   * The tree is a timeline: keep children in time order and merge only
   * adjacent siblings with the same frame.
   * @default {false}
   */
  timeline?: boolean;
}

/** Frame kinds that stand for no code of their own: never removed as runtime code. */

/**
 * Removes the nodes whose frame `remove` picks, moving their callees up to
 * the nearest kept ancestor; siblings that then share a frame merge (in a
 * timeline, only adjacent ones). A removed node's own time becomes its
 * caller's own time.
 *
 * @example
 * ```ts
 * import { buildCallTree } from "tsprof/tree";
 * import { ProfileBuilder } from "tsprof/format";
 * import { removeFrames } from "tsprof/tree";
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

/**
 * Options for {@linkcode removeRuntimeFrames}.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { removeRuntimeFrames, type RemoveRuntimeFramesOptions } from "tsprof/tree";
 * const options: RemoveRuntimeFramesOptions = { showRegex: /^node:fs/ };
 * const tree = removeRuntimeFrames(buildCallTree(new ProfileBuilder("main").build()), options);
 * ```
 */
export interface RemoveRuntimeFramesOptions extends TimelineOptions {
  /** Runtime frames whose file matches stay (`--show 'node:*'`). */
  showRegex?: RegExp;
}

/**
 * Removes the runtime's own JavaScript (Node's `node:internal/…`, Deno's
 * `ext:`, Bun's `node:`/`internal:` builtins) and native frames (builtins,
 * as the importer marks them; a frame is not the runtime's for lacking a file). Idle, GC and program time stay as they are.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { removeRuntimeFrames } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "run", file: "node:internal/main", kind: "js" }, { name: "main", file: "/app/a.ts", kind: "js" }], 3);
 * removeRuntimeFrames(buildCallTree(b.build())).children[0]!.frame.name; // "main"
 * ```
 */
export function removeRuntimeFrames(root: CallNode, options: RemoveRuntimeFramesOptions = {}): CallNode {
  return removeFrames(root, isRuntimeFrame(options), options);
}

/**
 * The test {@linkcode removeRuntimeFrames} applies: runtime JavaScript and
 * native frames without a source, unless `showRegex` keeps them.
 *
 * @example
 * ```ts
 * import { isRuntimeFrame } from "./remove_frames.ts";
 * isRuntimeFrame({})({ name: "run", file: "node:internal/main", kind: "js" }); // true
 * ```
 */
export function isRuntimeFrame(options: RemoveRuntimeFramesOptions = {}): (frame: Frame) => boolean {
  return (f) => isRuntimeCode(f) && !matches(options.showRegex, f.file);
}

/**
 * Options for {@linkcode removeToolFrames}.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { removeToolFrames, type RemoveToolFramesOptions } from "tsprof/tree";
 * const options: RemoveToolFramesOptions = { toolPaths: ["/opt/tsprof/"] };
 * const tree = removeToolFrames(buildCallTree(new ProfileBuilder("main").build()), options);
 * ```
 */
export interface RemoveToolFramesOptions extends TimelineOptions {
  /** Files under these paths are tsprof's own (its preload, backend, CLI). */
  toolPaths?: readonly string[];
}

/**
 * Removes tsprof's own frames: those whose file starts with one of `toolPaths`.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { removeToolFrames } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "start", file: "/tsprof/src/cli/preload.ts", kind: "js" }, { name: "main", file: "/app/a.ts", kind: "js" }], 3);
 * removeToolFrames(buildCallTree(b.build()), { toolPaths: ["/tsprof/"] }).children[0]!.frame.name; // "main"
 * ```
 */
export function removeToolFrames(root: CallNode, options: RemoveToolFramesOptions = {}): CallNode {
  return removeFrames(root, isToolFrame(options), options);
}

/**
 * The test {@linkcode removeToolFrames} applies: the frame's file is under
 * one of `toolPaths`.
 *
 * @example
 * ```ts
 * import { isToolFrame } from "./remove_frames.ts";
 * isToolFrame({ toolPaths: ["/tsprof/"] })({ name: "start", file: "/tsprof/src/cli/preload.ts", kind: "js" }); // true
 * ```
 */
export function isToolFrame(options: RemoveToolFramesOptions = {}): (frame: Frame) => boolean {
  const paths = options.toolPaths ?? [];
  return (f) => f.file !== undefined && paths.some((p) => f.file!.startsWith(p));
}

/**
 * Merges sibling calls of the same function, at every level, and orders
 * children heaviest first: turns a timeline into a call tree (pyinstrument's
 * `aggregate_repeated_calls`).
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { aggregateRepeatedCalls } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * const work = { name: "work", kind: "js" } as const;
 * b.addSample([work], 1);
 * b.addSample([{ name: "other", kind: "js" }], 1);
 * b.addSample([work], 1);
 * aggregateRepeatedCalls(buildCallTree(b.build(), { timeline: true })).children.length; // 2: work (2 ms), other
 * ```
 */
export function aggregateRepeatedCalls(root: CallNode): CallNode {
  return removeFrames(root, () => false, { timeline: false });
}

/**
 * Options for {@linkcode foldRecursion}.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { foldRecursion, type FoldRecursionOptions } from "tsprof/tree";
 * const options: FoldRecursionOptions = { timeline: false };
 * const tree = foldRecursion(buildCallTree(new ProfileBuilder("main").build()), options);
 * ```
 */
export type FoldRecursionOptions = TimelineOptions;

/**
 * Folds recursion: a call of a function that is already on the call path,
 * directly (`fib → fib`) or through others (`parse → expr → parse`), is
 * taken out and its callees move up to its caller, as speedscope's
 * "flatten recursion" does. Kept nodes keep their totals, so `fib` shows
 * once with the time its outermost call took, never a sum over the levels.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { foldRecursion } from "tsprof/tree";
 * const fib = { name: "fib", kind: "js" } as const;
 * const b = new ProfileBuilder("main");
 * b.addSample([fib, fib, fib], 3);
 * foldRecursion(buildCallTree(b.build())).children[0]!.children.length; // 0: one fib node
 * ```
 */
export function foldRecursion(root: CallNode, options: FoldRecursionOptions = {}): CallNode {
  const out = rebuildTree(root, (old, onPath) => onPath(old.frame), { ...options, trackPath: true });
  if (!options.timeline) sortByTime(out);
  return out;
}
