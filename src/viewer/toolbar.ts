/**
 * The report's toolbar: view tabs, the profile choice, search, zoom reset
 * and settings. It only builds the controls and reports what the user did;
 * the page decides what follows.
 *
 * @module
 */
import { el } from "./dom.ts";
import { LABELS, type ViewName, VIEWS } from "./views.ts";

/** The settings a checkbox can change. */
export interface Settings {
  showLibrary: boolean;
  showAll: boolean;
  percent: boolean;
}

/** What the toolbar tells the page. */
export interface ToolbarEvents {
  show(view: ViewName): void;
  profile(index: number): void;
  settings(change: Partial<Settings>): void;
  resetZoom(): void;
}

/** The toolbar's parts the page keeps using. */
export interface Toolbar {
  readonly element: HTMLElement;
  readonly tabs: HTMLElement;
  readonly tabButtons: ReadonlyMap<ViewName, HTMLButtonElement>;
  readonly search: HTMLInputElement;
  readonly searchInfo: HTMLElement;
  readonly reset: HTMLButtonElement;
}

function checkbox(label: string, checked: boolean, hint: string, onChange: (v: boolean) => void): HTMLElement {
  const input = el("input", { attrs: { type: "checkbox" } });
  input.checked = checked;
  input.addEventListener("change", () => onChange(input.checked));
  return el("label", { class: "toggle", title: hint }, input, ` ${label}`);
}

/** Builds the toolbar; `profiles` names the profiles (a choice appears for two or more). */
export function toolbar(profiles: readonly string[], settings: Settings, on: ToolbarEvents): Toolbar {
  const tabs = el("div", { class: "tabs", attrs: { role: "tablist", "aria-label": "Views" } });
  const tabButtons = new Map<ViewName, HTMLButtonElement>();
  VIEWS.forEach((v, i) => {
    const b = el("button", {
      class: "tab",
      text: LABELS[v],
      title: `${LABELS[v]} (key ${i + 1})`,
      attrs: { role: "tab", type: "button", "aria-selected": "false", "data-view": v, id: `tab-${v}` },
    });
    b.addEventListener("click", () => on.show(v));
    tabs.append(b);
    tabButtons.set(v, b);
  });
  const search = el("input", {
    class: "search",
    attrs: { type: "search", placeholder: "Search function or file  ( / )", "aria-label": "Search function or file", spellcheck: "false", autocomplete: "off" },
  });
  const searchInfo = el("span", { class: "search-info", attrs: { "aria-live": "polite" } });
  const boxes = el(
    "div",
    { class: "settings" },
    checkbox("Library frames", settings.showLibrary, "Show library frames in the call tree instead of folding them", (v) => on.settings({ showLibrary: v })),
    checkbox("All frames", settings.showAll, "Keep runtime internals and tiny nodes (like --show-all)", (v) => on.settings({ showAll: v })),
    checkbox("%", settings.percent, "Show times in the call tree as percentages", (v) => on.settings({ percent: v })),
  );
  const bar = el("nav", { class: "bar" }, tabs);
  if (profiles.length > 1) {
    const select = el("select", { attrs: { "aria-label": "Profile" } });
    profiles.forEach((name, i) => select.append(el("option", { text: name, attrs: { value: String(i) } })));
    select.addEventListener("change", () => on.profile(Number(select.value)));
    bar.append(select);
  }
  const reset = el("button", { class: "reset", text: "Reset zoom", title: "Zoom out (Escape)", attrs: { type: "button" } });
  reset.hidden = true;
  reset.addEventListener("click", () => on.resetZoom());
  bar.append(el("div", { class: "search-box" }, search, searchInfo), reset, boxes);
  return { element: bar, tabs, tabButtons, search, searchInfo, reset };
}
