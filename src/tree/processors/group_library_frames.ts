/**
 * Folds runs of library frames into groups, which the console draws as one
 * `[N frames hidden]  lib-a, lib-b` line.
 *
 * @module
 */
import { type Frame, MODULE_LOADING_FRAME } from "../../format/types.ts";
import { frameOrigin, libraryName } from "../../paths.ts";
import { type CallNode, type FrameGroup, isSelfNode, ownTime } from "../call_tree.ts";
import { copyTree, matches, perFrame } from "./_tree.ts";

/**
 * Options for {@linkcode groupLibraryFrames} and {@linkcode isLibraryFrame}.
 *
 * @example
 * ```ts
 * import { isLibraryFrame, type GroupLibraryFramesOptions } from "tsprof/tree";
 * const options: GroupLibraryFramesOptions = { showRegex: /node_modules\/my-lib\// };
 * isLibraryFrame({ name: "f", file: "/app/node_modules/my-lib/a.js", kind: "js" }, options); // false
 * ```
 */
export interface GroupLibraryFramesOptions {
  /** Frames whose file matches are app code, even inside node_modules (`--show`). */
  showRegex?: RegExp;
  /** Frames whose file matches are library code, even the app's own (`--hide`). */
  hideRegex?: RegExp;
  /**
   * A group is folded only if it would hide at least this many frames:
   * hiding one frame behind a line saves no space.
   * @default {2}
   */
  groupMinHidden?: number;
  /**
   * A frame inside a group stays in view when its own time is more than
   * this share of the total (0 to 1), so a hot library function is not hidden.
   * @default {0.2}
   */
  groupShowShare?: number;
  /** Working directory, to name code hidden with `--hide` by its folder. */
  cwd?: string;
}

const PSEUDO_KINDS: ReadonlySet<string> = new Set(["idle", "gc", "program", "root", "self"]);

/**
 * True when a frame counts as library code: `showRegex` matches → no; else
 * `hideRegex` matches → yes; else whether it comes from a package or the
 * runtime. Pseudo-frames (idle, GC) never are.
 *
 * @example
 * ```ts
 * import { isLibraryFrame } from "tsprof/tree";
 * isLibraryFrame({ name: "parse", file: "/app/node_modules/yaml/index.js", kind: "js" }); // true
 * isLibraryFrame({ name: "main", file: "/app/main.ts", kind: "js" }); // false
 * ```
 */
export function isLibraryFrame(frame: Frame, options: GroupLibraryFramesOptions = {}): boolean {
  if (PSEUDO_KINDS.has(frame.kind)) return false;
  if (matches(options.showRegex, frame.file)) return false;
  if (matches(options.hideRegex, frame.file)) return true;
  return frameOrigin(frame) !== "app";
}

const isModuleLoading = (f: Frame) => f.kind === MODULE_LOADING_FRAME.kind && f.name === MODULE_LOADING_FRAME.name;

interface Building {
  readonly root: CallNode;
  readonly members: CallNode[];
}

/**
 * Marks each run of library frames (a library frame and the library frames
 * it calls, down to the next app frame) as a {@linkcode FrameGroup}. In a
 * group, a frame stays in view when it is the group's root, when it calls
 * something outside the group (so the path to app code is visible), or when
 * its own time is over `groupShowShare` of the total; the others are hidden.
 * A group that would hide fewer than `groupMinHidden` frames hides none.
 * `[self]` leaves belong to their parent's group, and so does the
 * `(module loading)` between a library module and the modules it imports.
 * Returns a new tree.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { buildCallTree } from "tsprof/tree";
 * import { groupLibraryFrames } from "tsprof/tree";
 * const b = new ProfileBuilder("main");
 * b.addSample([
 *   { name: "main", file: "/app/a.ts", kind: "js" },
 *   { name: "parse", file: "/app/node_modules/yaml/index.js", kind: "js" },
 *   { name: "scan", file: "/app/node_modules/yaml/scan.js", kind: "js" },
 *   { name: "read", file: "/app/node_modules/yaml/read.js", kind: "js" },
 * ], 3);
 * const tree = groupLibraryFrames(buildCallTree(b.build()));
 * // the yaml frames under main form one group, drawn as "[N frames hidden]"
 * ```
 */
export function groupLibraryFrames(root: CallNode, options: GroupLibraryFramesOptions = {}): CallNode {
  const out = copyTree(root);
  const minHidden = options.groupMinHidden ?? 2;
  const showShare = (options.groupShowShare ?? 0.2) * out.time;
  const isLibrary = perFrame((f) => isLibraryFrame(f, options));
  const groups: Building[] = [];
  const groupOf = new Map<CallNode, Building>();
  // Depth-first in drawing order, so libraries are listed as they appear.
  const todo: [CallNode, Building | undefined][] = out.children.map((c) => [c, undefined] as [CallNode, undefined]).reverse();
  while (todo.length > 0) {
    const [node, parentGroup] = todo.pop()!;
    let group: Building | undefined;
    if (isSelfNode(node)) {
      group = parentGroup;
    } else if (isLibrary(node.frame)) {
      group = parentGroup;
      if (!group) groups.push((group = { root: node, members: [] }));
      group.members.push(node);
    } else if (parentGroup !== undefined && isModuleLoading(node.frame)) {
      // A library module's imports load under it: the loader between its
      // modules is the library's loading, not a break in its group.
      group = parentGroup;
      group.members.push(node);
    }
    if (group) groupOf.set(node, group);
    for (let i = node.children.length - 1; i >= 0; i--) todo.push([node.children[i]!, group]);
  }
  const made = new Map<Building, FrameGroup>();
  for (const g of groups) {
    let hidden: CallNode[] = g.members.filter((m) =>
      m !== g.root &&
      !m.children.some((c) => !isSelfNode(c) && groupOf.get(c) !== g) &&
      // The loader's own time is the library's loading, which the group's root shows.
      !(ownTime(m) > showShare && !isModuleLoading(m.frame))
    );
    if (hidden.length < minHidden) hidden = [];
    const libraries: string[] = [];
    for (const m of hidden) {
      if (isModuleLoading(m.frame)) continue;
      const lib = libraryName(m.frame.file, options.cwd);
      if (!libraries.includes(lib)) libraries.push(lib);
    }
    made.set(g, { root: g.root, count: g.members.length, hidden: new Set(hidden), libraries });
  }
  for (const [node, g] of groupOf) node.group = made.get(g)!;
  return out;
}
