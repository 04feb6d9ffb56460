/**
 * What the flame graph and the timeline share: a canvas that fills its box,
 * scrolls vertically over rows of boxes, knows which box is under the
 * mouse and shows a tooltip for it. Canvas, not DOM, so that a profile
 * with hundreds of thousands of nodes draws in milliseconds.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { el } from "./dom.ts";
import { frameColour } from "./format.ts";

/** Height of one row of boxes, in CSS pixels. */
export const ROW_HEIGHT = 18;

/** A box drawn on the canvas, for hit testing. */
export interface DrawnBox {
  readonly x0: number;
  readonly x1: number;
  /** The node (flame graph) or box index (timeline) it stands for. */
  readonly id: number;
}

/** Colours read from the page's CSS, so canvases follow the colour scheme. */
export interface Theme {
  readonly dark: boolean;
  readonly text: string;
  readonly dimText: string;
  readonly background: string;
  readonly grid: string;
  readonly highlight: string;
}

/** The current theme from CSS custom properties. */
export function readTheme(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    dark: v("--scheme") === "dark",
    text: v("--chart-text") || "#000",
    dimText: v("--faint") || "#666",
    background: v("--bg") || "#fff",
    grid: v("--grid") || "#ddd",
    highlight: v("--match") || "#e0b000",
  };
}

/** Box colours per frame, normal and faded (for search), cached per theme. */
export class FramePaint {
  readonly #frames: readonly Frame[];
  #dark: boolean | undefined;
  #fill: string[] = [];
  constructor(frames: readonly Frame[]) {
    this.#frames = frames;
  }
  /** The fill of frame `f`. */
  fill(f: number, theme: Theme): string {
    if (this.#dark !== theme.dark) {
      this.#dark = theme.dark;
      this.#fill = this.#frames.map((fr) => frameColour(fr, theme.dark));
    }
    return this.#fill[f] ?? "#888";
  }
}

/** Host of a canvas chart: sizing, vertical scroll, hit testing, tooltip. */
export class ChartSurface {
  /** The element to place in the page. */
  readonly element: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  readonly #spacer: HTMLDivElement;
  readonly #tooltip: HTMLDivElement;
  /** Boxes drawn in the last paint, per visible row (index 0 = first content row). */
  hits: DrawnBox[][] = [];
  /** Width and height of the canvas in CSS pixels. */
  width = 0;
  height = 0;
  /** Top offset of the chart's content above the rows (e.g. an axis), in CSS pixels. */
  readonly headerHeight: number;
  #contentRows = 0;
  #frameRequested = false;
  #paint: (ctx: CanvasRenderingContext2D) => void = () => {};

  constructor(className: string, headerHeight = 0) {
    this.headerHeight = headerHeight;
    this.canvas = el("canvas", { class: "chart-canvas" });
    this.#spacer = el("div", { class: "chart-spacer" });
    this.#tooltip = el("div", { class: "tooltip", attrs: { role: "tooltip" } });
    this.#tooltip.hidden = true;
    this.element = el("div", { class: `chart ${className}` }, this.canvas, this.#spacer, this.#tooltip);
    this.element.addEventListener("scroll", () => this.requestPaint());
    new ResizeObserver(() => this.requestPaint()).observe(this.element);
    this.canvas.addEventListener("mouseleave", () => this.hideTooltip());
  }

  /** Sets what to draw. */
  onPaint(paint: (ctx: CanvasRenderingContext2D) => void): void {
    this.#paint = paint;
  }

  /** Number of rows of content, for the scroll height. */
  setRows(rows: number): void {
    this.#contentRows = rows;
    this.requestPaint();
  }

  /** Vertical scroll offset in CSS pixels. */
  get scrollTop(): number {
    return this.element.scrollTop;
  }

  /** Paints on the next animation frame (once, however often asked). */
  requestPaint(): void {
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    requestAnimationFrame(() => {
      this.#frameRequested = false;
      this.paintNow();
    });
  }

  /** Paints at once. */
  paintNow(): void {
    if (this.element.offsetParent === null) return; // Not shown: paint when it is.
    const box = this.element.getBoundingClientRect();
    const width = Math.max(1, Math.floor(this.element.clientWidth));
    const height = Math.max(1, Math.floor(box.height));
    const content = this.headerHeight + this.#contentRows * ROW_HEIGHT;
    this.#spacer.style.height = `${Math.max(0, content - height)}px`;
    const ratio = window.devicePixelRatio || 1;
    if (this.width !== width || this.height !== height || this.canvas.width !== Math.round(width * ratio)) {
      this.width = width;
      this.height = height;
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    this.hits = [];
    this.#paint(ctx);
  }

  /** Records a drawn box for hit testing; `row` is the content row. */
  hit(row: number, x0: number, x1: number, id: number): void {
    (this.hits[row] ??= []).push({ x0, x1, id });
  }

  /** The box under a mouse event, if any. */
  boxAt(event: MouseEvent): DrawnBox | undefined {
    const r = this.canvas.getBoundingClientRect();
    const x = event.clientX - r.left;
    const y = event.clientY - r.top;
    if (y < this.headerHeight) return undefined;
    const row = Math.floor((y - this.headerHeight + this.scrollTop) / ROW_HEIGHT);
    const boxes = this.hits[row];
    if (!boxes) return undefined;
    for (const b of boxes) if (x >= b.x0 && x < Math.max(b.x1, b.x0 + 1)) return b;
    return undefined;
  }

  /** Shows a tooltip of text lines near a mouse event. */
  showTooltip(event: MouseEvent, lines: readonly string[]): void {
    const t = this.#tooltip;
    t.replaceChildren(...lines.map((l, i) => el("div", { class: i === 0 ? "tt-title" : "tt-line", text: l })));
    t.hidden = false;
    const host = this.element.getBoundingClientRect();
    const x = event.clientX - host.left + 14;
    const y = event.clientY - host.top + this.scrollTop + 14;
    const maxX = this.element.clientWidth - t.offsetWidth - 4;
    t.style.left = `${Math.max(0, Math.min(x, maxX))}px`;
    t.style.top = `${y}px`;
  }

  hideTooltip(): void {
    this.#tooltip.hidden = true;
  }
}

/** Draws a box with a label clipped to fit. */
export function drawBox(ctx: CanvasRenderingContext2D, x0: number, y: number, w: number, fill: string, label: string, text: string, faded: boolean): void {
  ctx.globalAlpha = faded ? 0.28 : 1;
  ctx.fillStyle = fill;
  ctx.fillRect(x0, y, Math.max(w - 1, 0.8), ROW_HEIGHT - 1);
  if (w > 28 && !faded) {
    const room = w - 8;
    const avg = 6.6; // average glyph width at the chart font
    let s = label;
    if (s.length * avg > room) {
      const n = Math.max(0, Math.floor(room / avg) - 1);
      s = n > 0 ? `${label.slice(0, n)}…` : "";
    }
    if (s) {
      ctx.fillStyle = text;
      ctx.fillText(s, Math.max(x0, 0) + 4, y + ROW_HEIGHT / 2 - 0.5);
    }
  }
  ctx.globalAlpha = 1;
}
