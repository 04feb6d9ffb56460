/**
 * The functions table (self and total time per function, sortable) and the
 * sandwich of the selected function: its callers above, its callees below,
 * as flame graphs.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { FramePaint } from "./chart_surface.ts";
import { clear, el } from "./dom.ts";
import { FlameChart } from "./flame_chart.ts";
import { formatMs, formatPercent, frameLocation } from "./format.ts";
import { type FunctionStats, layoutTree, sandwich, type TreeLayout } from "./model.ts";

/** What the functions view shows. */
export interface FunctionsData {
  readonly frames: readonly Frame[];
  readonly stats: FunctionStats;
  /** The tree the sandwich is cut from. */
  readonly layout: TreeLayout;
  /** Percentages are of this (the whole profile). */
  readonly percentOf: number;
  readonly cwd?: string | undefined;
}

type SortKey = "self" | "total" | "name";

/** Rows drawn at first; more on request, so a 50,000-function profile stays quick. */
const PAGE = 400;

/** The functions view. */
export class FunctionsView {
  readonly element: HTMLDivElement;
  readonly #table: HTMLTableElement;
  readonly #body: HTMLTableSectionElement;
  readonly #more: HTMLButtonElement;
  readonly #title: HTMLDivElement;
  readonly #callers: FlameChart;
  readonly #callees: FlameChart;
  readonly #headers = new Map<SortKey, HTMLTableCellElement>();
  #data: FunctionsData | undefined;
  #paint: FramePaint | undefined;
  #sort: SortKey = "self";
  #match: Uint8Array | undefined;
  #limit = PAGE;
  #selected = -1;

  constructor() {
    this.#body = el("tbody");
    const head = el("tr");
    const th = (label: string, key: SortKey | undefined, cls: string) => {
      const cell = el("th", { class: cls, attrs: { scope: "col" } });
      if (key) {
        const b = el("button", { class: "sort", text: label, attrs: { type: "button" } });
        b.addEventListener("click", () => this.sortBy(key));
        cell.append(b);
        this.#headers.set(key, cell);
      } else cell.textContent = label;
      head.append(cell);
    };
    th("Self", "self", "num");
    th("", undefined, "num pct");
    th("Total", "total", "num");
    th("", undefined, "num pct");
    th("Function", "name", "fn");
    th("Location", undefined, "loc");
    this.#table = el("table", { class: "functions" }, el("thead", {}, head), this.#body);
    this.#more = el("button", { class: "more", attrs: { type: "button" } });
    this.#more.addEventListener("click", () => {
      this.#limit += PAGE * 5;
      this.#renderRows();
    });
    this.#body.addEventListener("click", (e) => {
      const tr = (e.target as Element).closest("tr");
      if (tr?.dataset.frame) this.select(Number(tr.dataset.frame));
    });
    this.#body.addEventListener("keydown", (e) => {
      const tr = (e.target as Element).closest("tr");
      if (!tr) return;
      if (e.key === "Enter" || e.key === " ") {
        if (tr.dataset.frame) this.select(Number(tr.dataset.frame));
      } else if (e.key === "ArrowDown") (tr.nextElementSibling as HTMLElement | null)?.focus();
      else if (e.key === "ArrowUp") (tr.previousElementSibling as HTMLElement | null)?.focus();
      else return;
      e.preventDefault();
    });
    const context = { frames: [], percentOf: 1, paint: new FramePaint([]) };
    this.#callers = new FlameChart(context, "flame sandwich-half");
    this.#callees = new FlameChart(context, "flame sandwich-half");
    this.#title = el("div", { class: "sandwich-title", text: "Select a function to see its callers and callees." });
    const side = el(
      "div",
      { class: "sandwich" },
      this.#title,
      el("div", { class: "half-label", text: "Callers (who calls it, innermost first)" }),
      this.#callers.surface.element,
      el("div", { class: "half-label", text: "Callees (what it calls)" }),
      this.#callees.surface.element,
    );
    this.element = el("div", { class: "functions-view" }, el("div", { class: "table-wrap" }, this.#table, this.#more), side);
  }

  setData(data: FunctionsData, paint: FramePaint): void {
    // Frame indices belong to one profile: another profile drops the selection.
    if (this.#data?.frames !== data.frames) this.#selected = -1;
    this.#data = data;
    this.#paint = paint;
    this.#limit = PAGE;
    const keep = this.#selected;
    this.#selected = -1;
    this.#renderRows();
    if (keep !== -1 && data.stats.total[keep]! > 0) this.select(keep);
    else this.#clearSandwich();
  }

  setSearch(match: Uint8Array | undefined): void {
    this.#match = match;
    this.#limit = PAGE;
    this.#renderRows();
    this.#callers.setSearch(match);
    this.#callees.setSearch(match);
  }

  sortBy(key: SortKey): void {
    this.#sort = key;
    this.#renderRows();
  }

  /** Shows the sandwich of frame `f`. */
  select(f: number): void {
    const data = this.#data;
    if (!data) return;
    this.#selected = f;
    for (const tr of this.#body.querySelectorAll("tr.selected")) tr.classList.remove("selected");
    for (const tr of this.#body.querySelectorAll("tr")) {
      if (tr.dataset.frame === String(f)) {
        tr.classList.add("selected");
        tr.setAttribute("aria-selected", "true");
      } else tr.removeAttribute("aria-selected");
    }
    const frame = data.frames[f]!;
    const s = sandwich(data.layout, f);
    const context = { frames: data.frames, cwd: data.cwd, percentOf: data.percentOf, paint: this.#paint! };
    this.#callers.setData(layoutTree(s.callers), { ...context, inverted: true });
    this.#callees.setData(layoutTree(s.callees), context);
    const where = frameLocation(frame, data.cwd);
    clear(this.#title);
    this.#title.append(
      el("span", { class: "fn-name", text: frame.name }),
      " ",
      el("span", { class: "loc", text: where }),
      " ",
      el("span", { class: "dim", text: `self ${formatMs(data.stats.self[f]!)}, total ${formatMs(data.stats.total[f]!)} (${formatPercent(data.stats.total[f]!, data.percentOf)})` }),
    );
  }

  #clearSandwich(): void {
    this.#callers.setData(undefined);
    this.#callees.setData(undefined);
    clear(this.#title);
    this.#title.textContent = "Select a function to see its callers and callees.";
  }

  #renderRows(): void {
    const data = this.#data;
    clear(this.#body);
    if (!data) return;
    const { stats, frames, percentOf, cwd } = data;
    let list = Array.from(stats.frames);
    const match = this.#match;
    if (match) list = list.filter((f) => match[f]);
    const key = this.#sort;
    if (key === "name") list.sort((a, b) => frames[a]!.name.localeCompare(frames[b]!.name) || stats.total[b]! - stats.total[a]!);
    else if (key === "self") list.sort((a, b) => stats.self[b]! - stats.self[a]! || stats.total[b]! - stats.total[a]!);
    else list.sort((a, b) => stats.total[b]! - stats.total[a]! || stats.self[b]! - stats.self[a]!);
    for (const [k, cell] of this.#headers) cell.setAttribute("aria-sort", k === key ? (k === "name" ? "ascending" : "descending") : "none");
    const shown = list.slice(0, this.#limit);
    for (const f of shown) {
      const frame = frames[f]!;
      const tr = el(
        "tr",
        { attrs: { tabindex: "0", "data-frame": String(f) }, class: f === this.#selected ? "selected" : "" },
        el("td", { class: "num", text: formatMs(stats.self[f]!) }),
        el("td", { class: "num pct", text: formatPercent(stats.self[f]!, percentOf) }),
        el("td", { class: "num", text: formatMs(stats.total[f]!) }),
        el("td", { class: "num pct", text: formatPercent(stats.total[f]!, percentOf) }),
        el("td", { class: `fn${match?.[f] ? " match" : ""}`, text: frame.name }),
        el("td", { class: "loc", text: frameLocation(frame, cwd) }),
      );
      this.#body.append(tr);
    }
    this.#more.hidden = list.length <= shown.length;
    this.#more.textContent = `Show more (${list.length - shown.length} not shown)`;
    if (list.length === 0) {
      this.#body.append(el("tr", {}, el("td", { class: "empty", text: match ? "No function matches the search." : "No samples.", attrs: { colspan: "6" } })));
    }
  }

  /** Repaints the sandwich charts (after the view is shown). */
  repaint(): void {
    this.#callers.surface.requestPaint();
    this.#callees.surface.requestPaint();
  }
}
