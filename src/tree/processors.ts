/**
 * Processors: pure functions from a call tree to a new call tree. Each keeps
 * the root's total: time taken out of a removed node stays with its nearest
 * kept ancestor as self time. Renderers run them through
 * {@linkcode processTree}.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { codeOrigin, packageName } from "../paths.ts";
import { type CallNode, type FrameGroup, sortByTime } from "./call_tree.ts";

/** Options shared by the processors, as set from the CLI or the library. */
export interface ProcessOptions {
  /**
   * Show everything: keep runtime internals, fold no library frames and keep
   * tiny nodes.
   * @default {false}
   */
  showAll?: boolean;
  /**
   * The tree is a timeline: never merge repeated calls.
   * @default {false}
   */
  timeline?: boolean;
  /**
   * Nodes under this share of the total are folded into their parent.
   * @default {0.01}
   */
  filterThreshold?: number;
  /** Frames whose file matches are folded away as library code. */
  hideRegex?: RegExp;
  /** Frames whose file matches are shown even if they are library code. */
  showRegex?: RegExp;
  /** Frames whose file starts with one of these paths are tsprof's own and never shown. */
  toolPaths?: readonly string[];
  /**
   * Fold direct recursion: a function calling itself shows as one node.
   * @default {false}
   */
  foldRecursion?: boolean;
}

const PSEUDO = new Set(["idle", "gc", "program", "root"]);

/**
 * Removes the nodes for which `remove` is true, hoisting their children to
 * the nearest kept ancestor; siblings that then share a frame are merged
 * (in a timeline, only when adjacent). Iterative: trees can be 10,000 deep.
 */
export function removeFrames(
  root: CallNode,
  remove: (frame: Frame) => boolean,
  options: { timeline?: boolean } = {},
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
  // (old child, new parent) pairs; pushed in reverse to keep time order.
  const todo: [CallNode, CallNode][] = [];
  for (let i = root.children.length - 1; i >= 0; i--) todo.push([root.children[i]!, newRoot]);
  while (todo.length > 0) {
    const [old, parent] = todo.pop()!;
    const target = remove(old.frame) ? parent : attach(parent, old);
    for (let i = old.children.length - 1; i >= 0; i--) todo.push([old.children[i]!, target]);
  }
  if (!options.timeline) sortByTime(newRoot);
  return newRoot;
}

/**
 * Removes the runtime's own JavaScript (Node's `node:internal`, Deno's
 * `ext:`, Bun's builtins) and native frames without a source; idle, GC and
 * program time stay as they are.
 */
export function removeRuntimeFrames(root: CallNode, options: ProcessOptions = {}): CallNode {
  return removeFrames(
    root,
    (f) => !PSEUDO.has(f.kind) && codeOrigin(f.file) === "runtime" && !matches(options.showRegex, f.file),
    options,
  );
}

/** Removes tsprof's own frames (its preload, backend and CLI). */
export function removeToolFrames(root: CallNode, options: ProcessOptions = {}): CallNode {
  const paths = options.toolPaths;
  if (!paths || paths.length === 0) return root;
  return removeFrames(root, (f) => f.file !== undefined && paths.some((p) => f.file!.startsWith(p)), options);
}

/**
 * Folds nodes under `filterThreshold` of the root's total into their parent
 * (as the parent's self time).
 */
export function removeIrrelevantNodes(root: CallNode, options: ProcessOptions = {}): CallNode {
  const threshold = (options.filterThreshold ?? 0.01) * root.time;
  return mapTree(root, (children) => children.filter((c) => c.time >= threshold));
}

/**
 * Folds direct recursion: a node whose parent is the same frame is merged
 * into the parent, so `fib → fib → fib` shows once with the same total.
 */
export function foldRecursion(root: CallNode, options: ProcessOptions = {}): CallNode {
  const newRoot: CallNode = { frame: root.frame, time: root.time, children: [] };
  const todo: [CallNode, CallNode][] = root.children.map((c) => [c, newRoot]);
  const index = new Map<CallNode, Map<Frame, CallNode>>();
  while (todo.length > 0) {
    const [old, parent] = todo.pop()!;
    let target: CallNode;
    if (old.frame === parent.frame) {
      // The parent's total already holds this call; only its callees move up.
      target = parent;
    } else {
      let byFrame = index.get(parent);
      if (!byFrame) index.set(parent, (byFrame = new Map()));
      const existing = byFrame.get(old.frame);
      if (existing) {
        existing.time += old.time;
        target = existing;
      } else {
        target = { frame: old.frame, time: old.time, children: [] };
        byFrame.set(old.frame, target);
        parent.children.push(target);
      }
    }
    for (const c of old.children) todo.push([c, target]);
  }
  if (!options.timeline) sortByTime(newRoot);
  return newRoot;
}

/**
 * Marks runs of library frames (node_modules, Deno caches, runtime code) as
 * groups that the renderers fold into one `[N frames hidden]` line. A frame
 * is library code unless `showRegex` matches its file; `hideRegex` makes app
 * code count as library code.
 */
export function groupLibraryFrames(root: CallNode, options: ProcessOptions = {}): CallNode {
  const copy = mapTree(root, (c) => c);
  const isHidden = (f: Frame): boolean => {
    if (PSEUDO.has(f.kind)) return false;
    if (matches(options.showRegex, f.file)) return false;
    if (matches(options.hideRegex, f.file)) return true;
    return codeOrigin(f.file) !== "app";
  };
  const todo: [CallNode, FrameGroup | undefined][] = [[copy, undefined]];
  while (todo.length > 0) {
    const [node, parentGroup] = todo.pop()!;
    let group: FrameGroup | undefined;
    if (node !== copy && isHidden(node.frame)) {
      group = parentGroup ?? { root: node, count: 0, libraries: [] };
      group.count++;
      const lib = (node.frame.file && packageName(node.frame.file)) || node.frame.file || "native";
      if (!group.libraries.includes(lib)) group.libraries.push(lib);
      node.group = group;
    }
    for (const c of node.children) todo.push([c, group]);
  }
  return copy;
}

/**
 * The standard pipeline, as the console and JSON renderers use it:
 * tool frames out, runtime frames out, recursion folded (if asked),
 * tiny nodes folded, library frames grouped.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { buildCallTree } from "./call_tree.ts";
 * import { processTree } from "./processors.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", kind: "js" }], 10);
 * const tree = processTree(buildCallTree(b.build()), { filterThreshold: 0.05 });
 * ```
 */
export function processTree(root: CallNode, options: ProcessOptions = {}): CallNode {
  let tree = removeToolFrames(root, options);
  if (!options.showAll) tree = removeRuntimeFrames(tree, options);
  if (options.foldRecursion) tree = foldRecursion(tree, options);
  if (!options.showAll) {
    tree = removeIrrelevantNodes(tree, options);
    tree = groupLibraryFrames(tree, options);
  }
  return tree;
}

function matches(re: RegExp | undefined, file: string | undefined): boolean {
  if (!re || file === undefined) return false;
  re.lastIndex = 0;
  return re.test(file);
}

/** Copies a tree, letting `filter` choose each node's children. */
function mapTree(root: CallNode, filter: (children: CallNode[]) => CallNode[]): CallNode {
  const copy = (n: CallNode): CallNode => ({ frame: n.frame, time: n.time, children: [] });
  const newRoot = copy(root);
  const todo: [CallNode, CallNode][] = [[root, newRoot]];
  while (todo.length > 0) {
    const [old, made] = todo.pop()!;
    for (const c of filter(old.children)) {
      const child = copy(c);
      made.children.push(child);
      todo.push([c, child]);
    }
  }
  return newRoot;
}
