/**
 * The timeline: a time-ordered flame chart. x is time since the profile
 * started, y is stack depth; idle time shows as `(idle)` boxes, time with
 * no stack as gaps. Wheel zooms around the cursor, dragging pans, a click
 * zooms to a box, Escape or Reset zooms out.
 *
 * Each row is drawn by jumping: after a box, a binary search finds the
 * first box that reaches the next pixel, so a row costs at most one box
 * per pixel, however many million boxes the profile holds.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { ChartSurface, drawBox, FramePaint, readTheme, ROW_HEIGHT } from "./chart_surface.ts";
import { formatMs, formatPercent, formatTick, frameLocation } from "./format.ts";
import { type FlatTree, firstBoxEndingAfter, runAt, type Timeline } from "./model.ts";

const AXIS_HEIGHT = 22;

/** What the timeline draws. */
export interface TimelineData {
  readonly timeline: Timeline;
  readonly tree: FlatTree;
  readonly frames: readonly Frame[];
  readonly cwd?: string | undefined;
  readonly paint: FramePaint;
}

/** The timeline chart. */
export class TimelineChart {
  readonly surface: ChartSurface;
  #data: TimelineData | undefined;
  #match: Uint8Array | undefined;
  /** Visible range in ms. */
  #t0 = 0;
  #t1 = 1;
  #drag: { x: number; y: number; t0: number; t1: number; top: number; moved: boolean } | undefined;
  onZoom: (zoomed: boolean) => void = () => {};

  constructor() {
    this.surface = new ChartSurface("timeline", AXIS_HEIGHT);
    this.surface.onPaint((ctx) => this.#paint(ctx));
    const canvas = this.surface.canvas;
    canvas.addEventListener("mousemove", (e) => this.#hover(e));
    canvas.addEventListener("mousedown", (e) => {
      this.#drag = { x: e.clientX, y: e.clientY, t0: this.#t0, t1: this.#t1, top: this.surface.scrollTop, moved: false };
    });
    window.addEventListener("mouseup", () => {
      setTimeout(() => (this.#drag = undefined), 0);
    });
    canvas.addEventListener("click", (e) => {
      if (this.#drag?.moved) return;
      const box = this.surface.boxAt(e);
      if (box) this.#zoomToBox(box.id);
    });
    canvas.addEventListener(
      "wheel",
      (e) => {
        if (!this.#data) return;
        if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          this.#pan((e.deltaX / this.surface.width) * (this.#t1 - this.#t0));
        } else if (e.shiftKey) {
          return; // Shift+wheel scrolls vertically.
        } else {
          const r = canvas.getBoundingClientRect();
          const at = this.#t0 + ((e.clientX - r.left) / this.surface.width) * (this.#t1 - this.#t0);
          this.zoomBy(Math.exp(e.deltaY * (e.ctrlKey ? 0.01 : 0.002)), at);
        }
        e.preventDefault();
      },
      { passive: false },
    );
  }

  /** Shows a timeline (or nothing), zoomed out. */
  setData(data: TimelineData | undefined): void {
    this.#data = data;
    this.surface.setRows(data?.timeline.rows.length ?? 0);
    this.resetZoom();
  }

  setSearch(match: Uint8Array | undefined): void {
    this.#match = match;
    this.surface.requestPaint();
  }

  #end(): number {
    const rs = this.#data?.timeline.runStart;
    return rs && rs.length > 0 ? rs[rs.length - 1]! : 0;
  }

  get zoomed(): boolean {
    return this.#t0 > 0 || this.#t1 < this.#end();
  }

  resetZoom(): void {
    this.#t0 = 0;
    this.#t1 = Math.max(this.#end(), 1e-6);
    this.onZoom(false);
    this.surface.requestPaint();
  }

  /** Zooms by `factor` (>1 out, <1 in) keeping time `at` where it is. */
  zoomBy(factor: number, at = (this.#t0 + this.#t1) / 2): void {
    const end = Math.max(this.#end(), 1e-6);
    const minSpan = 0.05;
    let span = Math.min(end, Math.max(minSpan, (this.#t1 - this.#t0) * factor));
    const left = (at - this.#t0) / (this.#t1 - this.#t0);
    let t0 = at - left * span;
    if (!(span > 0)) span = end;
    t0 = Math.max(0, Math.min(t0, end - span));
    this.#t0 = t0;
    this.#t1 = t0 + span;
    this.onZoom(this.#t0 > 0 || this.#t1 < end);
    this.surface.requestPaint();
  }

  #pan(dt: number): void {
    const end = this.#end();
    const span = this.#t1 - this.#t0;
    const t0 = Math.max(0, Math.min(this.#t0 + dt, end - span));
    this.#t0 = t0;
    this.#t1 = t0 + span;
    this.surface.requestPaint();
  }

  #zoomToBox(box: number): void {
    const hit = this.#boxRef(box);
    if (!hit) return;
    const rs = this.#data!.timeline.runStart;
    const a = rs[hit.row.from[hit.index]!]!;
    const b = rs[hit.row.to[hit.index]!]!;
    const pad = (b - a) * 0.02;
    this.#t0 = Math.max(0, a - pad);
    this.#t1 = Math.min(this.#end(), b + pad);
    this.onZoom(true);
    this.surface.requestPaint();
  }

  /** Row and index of each box drawn in the last paint, by the id given to hit testing. */
  #boxIds: { row: number; index: number }[] = [];

  #boxRef(id: number) {
    const ref = this.#boxIds[id];
    if (!ref || !this.#data) return undefined;
    return { row: this.#data.timeline.rows[ref.row]!, index: ref.index, depth: ref.row };
  }

  #hover(e: MouseEvent): void {
    const drag = this.#drag;
    if (drag && (e.buttons & 1) !== 0) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        const dt = (-dx / this.surface.width) * (drag.t1 - drag.t0);
        const end = this.#end();
        const span = drag.t1 - drag.t0;
        const t0 = Math.max(0, Math.min(drag.t0 + dt, end - span));
        this.#t0 = t0;
        this.#t1 = t0 + span;
        this.surface.element.scrollTop = drag.top - dy;
        this.surface.hideTooltip();
        this.surface.requestPaint();
        return;
      }
    }
    const box = this.surface.boxAt(e);
    const ref = box && this.#boxRef(box.id);
    if (!ref || !this.#data) {
      this.surface.hideTooltip();
      return;
    }
    const { tree, frames, cwd, timeline } = this.#data;
    const frame = frames[tree.frame[ref.row.node[ref.index]!]!]!;
    const a = timeline.runStart[ref.row.from[ref.index]!]!;
    const b = timeline.runStart[ref.row.to[ref.index]!]!;
    const lines = [frame.name];
    const where = frameLocation(frame, cwd);
    if (where) lines.push(where);
    lines.push(`${formatMs(b - a)} (${formatPercent(b - a, this.#end())}), from ${formatMs(a)} to ${formatMs(b)}`);
    this.surface.showTooltip(e, lines);
  }

  #paint(ctx: CanvasRenderingContext2D): void {
    const data = this.#data;
    const surface = this.surface;
    const theme = readTheme();
    this.#boxIds = [];
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    if (!data || this.#end() <= 0) {
      ctx.fillStyle = theme.dimText;
      ctx.fillText("No samples to show.", 12, 24);
      return;
    }
    const { timeline, tree, frames, paint } = data;
    const { runStart, rows } = timeline;
    const width = surface.width;
    const t0 = this.#t0;
    const span = this.#t1 - this.#t0;
    const scale = width / span;
    const top = surface.scrollTop;
    const firstRow = Math.max(0, Math.floor(top / ROW_HEIGHT));
    const lastRow = Math.min(rows.length - 1, Math.ceil((top + surface.height - AXIS_HEIGHT) / ROW_HEIGHT));
    const match = this.#match;
    let matched = 0;
    for (let d = firstRow; d <= lastRow; d++) {
      const row = rows[d]!;
      const y = AXIS_HEIGHT + d * ROW_HEIGHT - top;
      // Boxes under a pixel wide merge into one cluster, drawn once in the
      // colour of its first box: a zoomed-out million-sample timeline is
      // then a few thousand rectangles, not a million.
      let clusterFrom = 0;
      let clusterTo = -1;
      let clusterBox = -1;
      const flush = () => {
        if (clusterBox === -1) return;
        const f = tree.frame[row.node[clusterBox]!]!;
        const id = this.#boxIds.length;
        this.#boxIds.push({ row: d, index: clusterBox });
        drawBox(ctx, clusterFrom, y, Math.max(1, clusterTo - clusterFrom), paint.fill(f, theme), "", theme.text, match !== undefined && !match[f]);
        if (match?.[f]) matched++;
        surface.hit(d, clusterFrom, Math.max(clusterFrom + 1, clusterTo), id);
        clusterBox = -1;
      };
      let i = firstBoxEndingAfter(row, runAt(runStart, t0));
      while (i < row.to.length) {
        const a = runStart[row.from[i]!]!;
        if (a >= this.#t1) break;
        const b = runStart[row.to[i]!]!;
        const px0 = Math.max(-1, (a - t0) * scale);
        const px1 = Math.min(width + 1, (b - t0) * scale);
        if (px1 - px0 < 1) {
          if (clusterBox !== -1 && px0 <= clusterTo + 1) clusterTo = Math.max(clusterTo, px1, px0 + 1);
          else {
            flush();
            clusterBox = i;
            clusterFrom = px0;
            clusterTo = Math.max(px1, px0 + 1);
          }
          // Skip to the first box that reaches the next pixel.
          const next = firstBoxEndingAfter(row, runAt(runStart, t0 + (Math.floor(px0) + 1) / scale));
          i = Math.max(i + 1, next);
          continue;
        }
        flush();
        const f = tree.frame[row.node[i]!]!;
        const id = this.#boxIds.length;
        this.#boxIds.push({ row: d, index: i });
        drawBox(ctx, px0, y, px1 - px0, paint.fill(f, theme), frames[f]!.name, theme.text, match !== undefined && !match[f]);
        if (match?.[f]) matched++;
        if (match?.[f] && px1 - px0 >= 3) {
          ctx.strokeStyle = theme.highlight;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(px0 + 1, y + 1, px1 - px0 - 3, ROW_HEIGHT - 3);
        }
        surface.hit(d, px0, px1, id);
        i++;
      }
      flush();
    }
    // How many highlighted boxes are on screen, for tests and assistive tools.
    surface.element.dataset.matches = String(matched);
    this.#drawAxis(ctx, theme, width);
  }

  #drawAxis(ctx: CanvasRenderingContext2D, theme: ReturnType<typeof readTheme>, width: number): void {
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, AXIS_HEIGHT);
    const span = this.#t1 - this.#t0;
    const target = span / Math.max(1, width / 110);
    const pow = 10 ** Math.floor(Math.log10(target));
    const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= target) ?? pow * 10;
    ctx.strokeStyle = theme.grid;
    ctx.fillStyle = theme.dimText;
    ctx.lineWidth = 1;
    ctx.font = "11px system-ui, sans-serif";
    for (let t = Math.ceil(this.#t0 / step) * step; t <= this.#t1; t += step) {
      const x = Math.round((t - this.#t0) * (width / span)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, AXIS_HEIGHT - 6);
      ctx.lineTo(x, AXIS_HEIGHT);
      ctx.stroke();
      ctx.fillText(formatTick(t, step), x + 3, 9);
    }
    ctx.beginPath();
    ctx.moveTo(0, AXIS_HEIGHT - 0.5);
    ctx.lineTo(width, AXIS_HEIGHT - 0.5);
    ctx.stroke();
  }
}
