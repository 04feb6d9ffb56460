/**
 * The report page: reads the embedded profile, puts up the header and the
 * toolbar, and keeps every view in step with the settings, the search and
 * the profile chosen. Views are made when first shown (`views.ts`), from
 * data built on first use (`profile_model.ts`).
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import type { DecodedPayload } from "../render/html_payload.ts";
import { FramePaint } from "./chart_surface.ts";
import { clear, el } from "./dom.ts";
import { formatMs } from "./format.ts";
import { searchFrames } from "./model.ts";
import { pageHeader, programName } from "./page_header.ts";
import { ProfileModel } from "./profile_model.ts";
import { type Settings, toolbar } from "./toolbar.ts";
import { createView, type View, type ViewName, VIEWS } from "./views.ts";

export { type ViewName, VIEWS } from "./views.ts";

interface State {
  profile: number;
  view: ViewName;
  showAll: boolean;
  showLibrary: boolean;
  time: "seconds" | "percent";
  query: string;
}

/**
 * Builds the report into `root` from a decoded payload and returns a handle
 * for tests and benchmarks.
 */
export function startApp(root: HTMLElement, payload: DecodedPayload): { show(view: ViewName): void } {
  const { header } = payload;
  if (payload.profiles.length === 0) {
    root.replaceChildren(el("p", { class: "empty", text: "This session holds no profile: nothing was recorded." }));
    return { show: () => {} };
  }
  const meta = header.meta;
  const state: State = { profile: 0, view: "tree", showAll: header.options.showAll, showLibrary: false, time: header.options.time, query: "" };
  const models = new Map<string, ProfileModel>();
  const model = (): ProfileModel => {
    const key = `${state.profile}/${state.showAll}`;
    let m = models.get(key);
    if (!m) models.set(key, (m = new ProfileModel(payload.profiles[state.profile]!, header, state.showAll)));
    return m;
  };
  const frames = (): readonly Frame[] => payload.profiles[state.profile]!.frames;
  const paints = payload.profiles.map((p) => new FramePaint(p.frames));
  const frameIndexes = payload.profiles.map((p) => new Map(p.frames.map((f, i) => [f, i] as const)));

  document.title = `${formatMs(meta.durationMs)} · ${meta.description ?? programName(meta)} · tsprof`;
  const samples = header.profiles.reduce((n, p) => n + p.sampleCount, 0);

  const views = new Map<ViewName, View>();
  const panels = new Map<ViewName, HTMLElement>();
  const dirty = new Set<ViewName>(VIEWS);
  const main = el("main", { class: "views" });
  const eachView = (f: (v: View) => void) => views.forEach(f);
  const bar = toolbar(
    payload.profiles.map((p) => p.name),
    { showLibrary: state.showLibrary, showAll: state.showAll, percent: state.time === "percent" },
    {
      show,
      profile: (i) => {
        state.profile = i;
        refresh();
      },
      settings: (change: Partial<Settings>) => {
        if (change.showLibrary !== undefined) state.showLibrary = change.showLibrary;
        if (change.showAll !== undefined) state.showAll = change.showAll;
        if (change.percent !== undefined) state.time = change.percent ? "percent" : "seconds";
        refresh();
      },
      resetZoom: () => eachView((v) => v.resetZoom()),
    },
  );

  const view = (name: ViewName): View => {
    let v = views.get(name);
    if (!v) {
      v = createView(name, paints[0]!, (zoomed) => {
        bar.reset.hidden = !zoomed;
      });
      views.set(name, v);
      const panel = el("section", { class: `panel panel-${name}`, attrs: { role: "tabpanel", "aria-labelledby": `tab-${name}` } }, el("p", { class: "hint", text: v.hint }), v.element);
      main.append(panel);
      panels.set(name, panel);
    }
    return v;
  };

  function show(name: ViewName): void {
    state.view = name;
    const v = view(name);
    for (const [n, b] of bar.tabButtons) {
      b.setAttribute("aria-selected", String(n === name));
      b.tabIndex = n === name ? 0 : -1;
    }
    for (const [n, p] of panels) p.hidden = n !== name;
    if (dirty.has(name)) {
      v.update({
        model: model(),
        frames: frames(),
        frameIndex: frameIndexes[state.profile]!,
        paint: paints[state.profile]!,
        match: searchFrames(frames(), state.query),
        cwd: meta.cwd,
        showLibrary: state.showLibrary,
        time: state.time,
      });
      dirty.delete(name);
    }
    bar.reset.hidden = !v.zoomed;
    eachView((x) => x.repaint());
    root.dataset.currentView = name;
  }

  function refresh(): void {
    for (const v of VIEWS) dirty.add(v);
    show(state.view);
  }

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  bar.search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.query = bar.search.value;
      const match = searchFrames(frames(), state.query);
      let n = 0;
      if (match) for (const x of match) n += x;
      bar.searchInfo.textContent = match ? `${n} function${n === 1 ? "" : "s"} match` : "";
      refresh();
    }, 120);
  });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => eachView((v) => v.repaint()));
  document.addEventListener("keydown", (e) => onKey(e));
  bar.tabs.addEventListener("keydown", (e) => {
    const i = VIEWS.indexOf(state.view);
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const next = VIEWS[(i + (e.key === "ArrowRight" ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    show(next);
    bar.tabButtons.get(next)!.focus();
    e.preventDefault();
  });

  /** The page's keys: Escape clears the search or zooms out, / searches, 1-5 switch views. */
  function onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLSelectElement;
    if (e.key === "Escape") {
      if (typing && bar.search.value) {
        bar.search.value = "";
        bar.search.dispatchEvent(new Event("input"));
      } else {
        eachView((v) => v.resetZoom());
      }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      bar.search.focus();
      e.preventDefault();
      return;
    }
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= VIEWS.length) show(VIEWS[n - 1]!);
  }

  clear(root);
  root.append(...pageHeader(meta, samples), bar.element, main, el("footer", { class: "foot", text: `tsprof ${header.tsprof} · this report works offline and loads nothing from the network` }));
  show(header.options.timeline ? "timeline" : "tree");
  return { show };
}
