/**
 * The derived data of one profile under one setting of "all frames" (call
 * tree, visible stacks, flame layouts, timeline, function table), each
 * built on first use: the page opens on the call tree without paying for
 * the timeline of a million samples.
 *
 * @module
 */
import { type Profile, profileTotal } from "../format/types.ts";
import type { PayloadHeader } from "../render/html_payload.ts";
import type { CallNode } from "../tree/call_tree.ts";
import { processTree } from "../tree/processors.ts";
import {
  buildTimeline,
  callTreeOf,
  functionStats,
  hiddenFrames,
  invertTree,
  layoutTree,
  type Timeline,
  type TreeLayout,
  type VisibleStacks,
  visibleStacks,
} from "./model.ts";

/** Derived data of one profile under one setting of "all frames", built on demand. */
export class ProfileModel {
  readonly profile: Profile;
  readonly #header: PayloadHeader;
  readonly #showAll: boolean;
  #callTree: CallNode | undefined;
  #visible: VisibleStacks | undefined;
  #layout: TreeLayout | undefined;
  #inverted: TreeLayout | undefined;
  #timeline: Timeline | undefined;
  #stats: ReturnType<typeof functionStats> | undefined;
  readonly total: number;

  constructor(profile: Profile, header: PayloadHeader, showAll: boolean) {
    this.profile = profile;
    this.#header = header;
    this.#showAll = showAll;
    this.total = profileTotal(profile);
  }

  /**
   * The console's pipeline: frames removed and tiny nodes dropped on the
   * flat tables first (the same result, without a node object per stack),
   * then `processTree` on what is left.
   */
  get callTree(): CallNode {
    if (!this.#callTree) {
      const o = this.#header.options;
      const minTime = this.#showAll ? 0 : o.filterThreshold * this.total;
      const tree = callTreeOf(this.layout, this.profile.frames, this.total, minTime);
      this.#callTree = processTree(tree, {
        showAll: this.#showAll,
        filterThreshold: o.filterThreshold,
        foldRecursion: o.foldRecursion,
        toolPaths: o.toolPaths,
        groupMinHidden: o.groupMinHidden,
        groupShowShare: o.groupShowShare,
        ...(this.#header.meta.cwd !== undefined ? { cwd: this.#header.meta.cwd } : {}),
        ...(o.showRegex !== undefined ? { showRegex: new RegExp(o.showRegex) } : {}),
        ...(o.hideRegex !== undefined ? { hideRegex: new RegExp(o.hideRegex) } : {}),
      });
    }
    return this.#callTree;
  }

  get visible(): VisibleStacks {
    if (!this.#visible) {
      const o = this.#header.options;
      const hidden = hiddenFrames(this.profile.frames, {
        showAll: this.#showAll,
        toolPaths: o.toolPaths,
        showRegex: o.showRegex !== undefined ? new RegExp(o.showRegex) : undefined,
      });
      this.#visible = visibleStacks(this.profile, hidden, o.foldRecursion);
    }
    return this.#visible;
  }

  get layout(): TreeLayout {
    return (this.#layout ??= layoutTree(this.visible.tree));
  }

  get inverted(): TreeLayout {
    return (this.#inverted ??= layoutTree(invertTree(this.visible.tree)));
  }

  get timeline(): Timeline {
    return (this.#timeline ??= buildTimeline(this.visible.tree, this.visible.runNode, this.profile.weights));
  }

  get stats(): ReturnType<typeof functionStats> {
    return (this.#stats ??= functionStats(this.layout, this.profile.frames.length));
  }
}

