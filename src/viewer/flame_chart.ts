/**
 * An aggregated flame graph on a canvas (roots on top, callees below, each
 * box as wide as its total time, heaviest first). Used for the flame graph,
 * its inverted form and both halves of the sandwich. Click a box to zoom to
 * it; Escape or Reset zooms back out.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { ChartSurface, drawBox, FramePaint, readTheme, ROW_HEIGHT } from "./chart_surface.ts";
import { formatMs, formatPercent, frameLocation } from "./format.ts";
import type { TreeLayout } from "./model.ts";

/** What a flame chart needs to know besides its tree. */
export interface FlameContext {
  readonly frames: readonly Frame[];
  readonly cwd?: string | undefined;
  /** The total percentages refer to (the whole profile). */
  readonly percentOf: number;
  readonly paint: FramePaint;
  /**
   * The tree is inverted (callers below): a node's time is its root
   * function's time when called this way, and "self" means nothing.
   */
  readonly inverted?: boolean;
}

/** A flame graph over a {@linkcode TreeLayout}. */
export class FlameChart {
  readonly surface: ChartSurface;
  #layout: TreeLayout | undefined;
  #context: FlameContext;
  #match: Uint8Array | undefined;
  /** Zoomed-to node, or -1. */
  #focus = -1;
  /** Called when the zoom changes (for a Reset button). */
  onZoom: (zoomed: boolean) => void = () => {};

  constructor(context: FlameContext, className = "flame") {
    this.#context = context;
    this.surface = new ChartSurface(className);
    this.surface.onPaint((ctx) => this.#paint(ctx));
    const canvas = this.surface.canvas;
    canvas.addEventListener("mousemove", (e) => {
      const box = this.surface.boxAt(e);
      if (!box || !this.#layout) {
        this.surface.hideTooltip();
        canvas.style.cursor = "default";
        return;
      }
      canvas.style.cursor = "pointer";
      this.surface.showTooltip(e, this.describe(box.id));
    });
    canvas.addEventListener("click", (e) => {
      const box = this.surface.boxAt(e);
      if (box) this.zoomTo(box.id);
    });
  }

  /** Shows a tree (or nothing). Resets the zoom. */
  setData(layout: TreeLayout | undefined, context: FlameContext = this.#context): void {
    this.#layout = layout;
    this.#context = context;
    this.#focus = -1;
    this.onZoom(false);
    this.surface.setRows(layout?.depthCount ?? 0);
    this.surface.requestPaint();
  }

  /** Highlights the frames set in `match` (and fades the others); `undefined` clears. */
  setSearch(match: Uint8Array | undefined): void {
    this.#match = match;
    this.surface.requestPaint();
  }

  /** Zooms so that node `id` spans the width. */
  zoomTo(id: number): void {
    this.#focus = id;
    this.onZoom(true);
    this.surface.requestPaint();
  }

  /** Zooms back out to the whole tree. */
  resetZoom(): void {
    this.#focus = -1;
    this.onZoom(false);
    this.surface.requestPaint();
  }

  get zoomed(): boolean {
    return this.#focus !== -1;
  }

  /** Tooltip lines for a node. */
  describe(id: number): string[] {
    const layout = this.#layout!;
    const { frames, cwd, percentOf } = this.#context;
    const frame = frames[layout.tree.frame[id]!]!;
    const total = layout.total[id]!;
    const self = layout.tree.self[id]!;
    const lines = [frame.name];
    const where = frameLocation(frame, cwd);
    if (where) lines.push(where);
    if (this.#context.inverted) {
      const root = frames[layout.tree.frame[this.#rootOf(id)]!]!;
      lines.push(`${formatMs(total)} (${formatPercent(total, percentOf)}) of ${root.name} on this path`);
    } else lines.push(`Total ${formatMs(total)} (${formatPercent(total, percentOf)})`, `Self ${formatMs(self)} (${formatPercent(self, percentOf)})`);
    return lines;
  }

  #rootOf(id: number): number {
    const parent = this.#layout!.tree.parent;
    let x = id;
    while (parent[x] !== -1) x = parent[x]!;
    return x;
  }

  #paint(ctx: CanvasRenderingContext2D): void {
    const layout = this.#layout;
    const surface = this.surface;
    const theme = readTheme();
    if (!layout || layout.grandTotal <= 0) {
      ctx.fillStyle = theme.dimText;
      ctx.font = "13px system-ui, sans-serif";
      ctx.fillText("No samples to show.", 12, 24);
      return;
    }
    const { tree, total, start, depth, childStart, children, roots } = layout;
    const focus = this.#focus;
    const x0 = focus === -1 ? 0 : start[focus]!;
    const span = focus === -1 ? layout.grandTotal : total[focus]!;
    const width = surface.width;
    const scale = width / span;
    const top = surface.scrollTop;
    const firstRow = Math.floor(top / ROW_HEIGHT);
    const lastRow = Math.ceil((top + surface.height) / ROW_HEIGHT);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    const match = this.#match;
    let matched = 0;
    const todo: number[] = [];
    for (let r = roots.length - 1; r >= 0; r--) todo.push(roots[r]!);
    while (todo.length > 0) {
      const x = todo.pop()!;
      const d = depth[x]!;
      if (d > lastRow) continue;
      let px0 = (start[x]! - x0) * scale;
      let px1 = (start[x]! + total[x]! - x0) * scale;
      if (px1 <= 0 || px0 >= width || px1 - px0 < 0.3) continue;
      if (d >= firstRow) {
        px0 = Math.max(px0, -1);
        px1 = Math.min(px1, width + 1);
        const f = tree.frame[x]!;
        const frame = this.#context.frames[f]!;
        drawBox(ctx, px0, d * ROW_HEIGHT - top, px1 - px0, this.#context.paint.fill(f, theme), frame.name, theme.text, match !== undefined && !match[f]);
        if (match?.[f]) {
          matched++;
          ctx.strokeStyle = theme.highlight;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(px0 + 1, d * ROW_HEIGHT - top + 1, Math.max(px1 - px0 - 3, 1), ROW_HEIGHT - 3);
        }
        surface.hit(d, px0, px1, x);
      }
      for (let k = childStart[x + 1]! - 1; k >= childStart[x]!; k--) todo.push(children[k]!);
    }
    // How many highlighted boxes are on screen, for tests and assistive tools.
    surface.element.dataset.matches = String(matched);
  }
}
