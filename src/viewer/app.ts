/**
 * The report page: reads the embedded profile, builds the header, the view
 * switcher, the search box and the settings, and keeps every view in step.
 * Views are built lazily, on first show: the page opens on the call tree
 * without paying for the timeline of a million samples.
 *
 * @module
 */
import type { Frame, Profile } from "../format/types.ts";
import type { DecodedPayload, PayloadHeader } from "../render/html_payload.ts";
import type { CallNode } from "../tree/call_tree.ts";
import { shellLine } from "../render/shell_quote.ts";
import { processTree } from "../tree/processors.ts";
import { FramePaint } from "./chart_surface.ts";
import { clear, el } from "./dom.ts";
import { FlameChart } from "./flame_chart.ts";
import { formatMs } from "./format.ts";
import { FunctionsView } from "./functions_view.ts";
import {
  buildTimeline,
  callTreeOf,
  functionStats,
  hiddenFrames,
  invertTree,
  layoutTree,
  searchFrames,
  type Timeline,
  type TreeLayout,
  type VisibleStacks,
  visibleStacks,
} from "./model.ts";
import { TimelineChart } from "./timeline_chart.ts";
import { CallTreeView } from "./tree_view.ts";

/** The views, in tab order. */
export const VIEWS = ["tree", "flame", "inverted", "timeline", "functions"] as const;
/** One of {@linkcode VIEWS}. */
export type ViewName = (typeof VIEWS)[number];

const LABELS: Record<ViewName, string> = {
  tree: "Call tree",
  flame: "Flame graph",
  inverted: "Inverted",
  timeline: "Timeline",
  functions: "Functions",
};

/** Derived data of one profile under one setting of "all frames", built on demand. */
class ProfileModel {
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
    let t = 0;
    for (const w of profile.weights) t += w;
    this.total = t;
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
  const cwd = meta.cwd;
  const state: State = {
    profile: 0,
    view: "tree",
    showAll: header.options.showAll,
    showLibrary: false,
    time: header.options.time,
    query: "",
  };
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

  // Header.
  const program = meta.command && meta.command.length > 0 ? shellLine(meta.command) : "profile";
  const title = meta.description ?? program;
  document.title = `${formatMs(meta.durationMs)} · ${title} · tsprof`;
  const when = new Date(meta.startTime);
  const samples = payload.header.profiles.reduce((n, p) => n + p.sampleCount, 0);
  const facts: [string, string][] = [
    // startTime 0: a foreign file that does not say when it was recorded.
    ["Recorded", meta.startTime > 0 && Number.isFinite(when.getTime()) ? when.toLocaleString() : "unknown"],
    ["Duration", formatMs(meta.durationMs)],
    ["Samples", samples.toLocaleString("en-US")],
    ["Interval", formatMs(meta.intervalMs)],
    ["Runtime", `${meta.runtime} ${meta.runtimeVersion}`.trim()],
  ];
  if (meta.cpuTimeMs !== undefined) facts.splice(2, 0, ["CPU time", formatMs(meta.cpuTimeMs)]);
  const top = el(
    "header",
    { class: "top" },
    el("div", { class: "brand", text: "tsprof" }),
    el("div", { class: "program", title: program, text: program }),
    el("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
  );
  if (meta.description) top.append(el("div", { class: "description", text: meta.description }));
  const warnings = (meta.warnings ?? []).map((w) => el("div", { class: "warning", text: `Warning: ${w}` }));

  // Toolbar: view tabs, profile choice, search, settings.
  const tabs = el("div", { class: "tabs", attrs: { role: "tablist", "aria-label": "Views" } });
  const tabButtons = new Map<ViewName, HTMLButtonElement>();
  VIEWS.forEach((v, i) => {
    const b = el("button", {
      class: "tab",
      text: LABELS[v],
      title: `${LABELS[v]} (key ${i + 1})`,
      attrs: { role: "tab", type: "button", "aria-selected": "false", "data-view": v, id: `tab-${v}` },
    });
    b.addEventListener("click", () => show(v));
    tabs.append(b);
    tabButtons.set(v, b);
  });
  const search = el("input", {
    class: "search",
    attrs: { type: "search", placeholder: "Search function or file  ( / )", "aria-label": "Search function or file", spellcheck: "false", autocomplete: "off" },
  });
  const searchInfo = el("span", { class: "search-info", attrs: { "aria-live": "polite" } });
  const checkbox = (label: string, checked: boolean, hint: string, onChange: (v: boolean) => void) => {
    const input = el("input", { attrs: { type: "checkbox" } });
    input.checked = checked;
    input.addEventListener("change", () => onChange(input.checked));
    return el("label", { class: "toggle", title: hint }, input, ` ${label}`);
  };
  const settings = el(
    "div",
    { class: "settings" },
    checkbox("Library frames", state.showLibrary, "Show library frames in the call tree instead of folding them", (v) => {
      state.showLibrary = v;
      refresh();
    }),
    checkbox("All frames", state.showAll, "Keep runtime internals and tiny nodes (like --show-all)", (v) => {
      state.showAll = v;
      refresh();
    }),
    checkbox("%", state.time === "percent", "Show times in the call tree as percentages", (v) => {
      state.time = v ? "percent" : "seconds";
      refresh();
    }),
  );
  const bar = el("nav", { class: "bar" }, tabs);
  if (payload.profiles.length > 1) {
    const select = el("select", { attrs: { "aria-label": "Profile" } });
    payload.profiles.forEach((p, i) => select.append(el("option", { text: p.name, attrs: { value: String(i) } })));
    select.addEventListener("change", () => {
      state.profile = Number(select.value);
      refresh();
    });
    bar.append(select);
  }
  const reset = el("button", { class: "reset", text: "Reset zoom", title: "Zoom out (Escape)", attrs: { type: "button" } });
  reset.hidden = true;
  bar.append(el("div", { class: "search-box" }, search, searchInfo), reset, settings);

  // Views, made when first shown.
  const main = el("main", { class: "views" });
  const panels = new Map<ViewName, HTMLElement>();
  let treeView: CallTreeView | undefined;
  let flame: FlameChart | undefined;
  let inverted: FlameChart | undefined;
  let timeline: TimelineChart | undefined;
  let functions: FunctionsView | undefined;
  const dirty = new Set<ViewName>(VIEWS);

  const panel = (v: ViewName, content: HTMLElement, hint: string): HTMLElement => {
    const p = el("section", { class: `panel panel-${v}`, attrs: { role: "tabpanel", "aria-labelledby": `tab-${v}` } }, el("p", { class: "hint", text: hint }), content);
    main.append(p);
    panels.set(v, p);
    return p;
  };
  const onZoom = (zoomed: boolean) => {
    reset.hidden = !zoomed;
  };
  const ensure = (v: ViewName) => {
    if (panels.has(v)) return;
    switch (v) {
      case "tree":
        treeView = new CallTreeView();
        panel(v, treeView.element, "Click or use the arrow keys to open and close calls. Library frames are folded; click a [frames hidden] row to open them.");
        break;
      case "flame":
        flame = new FlameChart({ frames: [], percentOf: 1, paint: paints[0]! });
        flame.onZoom = onZoom;
        panel(v, flame.surface.element, "Callers above callees, each as wide as its time, heaviest on the left. Click to zoom.");
        break;
      case "inverted":
        inverted = new FlameChart({ frames: [], percentOf: 1, paint: paints[0]! });
        inverted.onZoom = onZoom;
        panel(v, inverted.surface.element, "Functions where time was spent on top, their callers below. Click to zoom.");
        break;
      case "timeline":
        timeline = new TimelineChart();
        timeline.onZoom = onZoom;
        panel(v, timeline.surface.element, "Calls in time order; grey (idle) is time waiting. Wheel to zoom, drag to pan, click a box to zoom to it.");
        break;
      case "functions":
        functions = new FunctionsView();
        panel(v, functions.element, "Self and total time per function (total counts recursion once). Click a function for its callers and callees.");
        break;
    }
  };
  const update = (v: ViewName) => {
    const m = model();
    const f = frames();
    const paint = paints[state.profile]!;
    const match = searchFrames(f, state.query);
    switch (v) {
      case "tree":
        treeView!.setData({
          root: m.callTree,
          frameIndex: frameIndexes[state.profile]!,
          cwd,
          showLibrary: state.showLibrary,
          time: state.time,
        });
        treeView!.setSearch(match);
        break;
      case "flame":
        flame!.setData(m.layout, { frames: f, cwd, percentOf: m.total, paint });
        flame!.setSearch(match);
        break;
      case "inverted":
        inverted!.setData(m.inverted, { frames: f, cwd, percentOf: m.total, paint, inverted: true });
        inverted!.setSearch(match);
        break;
      case "timeline":
        timeline!.setData({ timeline: m.timeline, tree: m.visible.tree, frames: f, cwd, paint });
        timeline!.setSearch(match);
        break;
      case "functions":
        functions!.setData({ frames: f, stats: m.stats, layout: m.layout, percentOf: m.total, cwd }, paint);
        functions!.setSearch(match);
        break;
    }
    dirty.delete(v);
  };
  const currentChart = () => (state.view === "flame" ? flame : state.view === "inverted" ? inverted : state.view === "timeline" ? timeline : undefined);

  function show(v: ViewName): void {
    state.view = v;
    ensure(v);
    for (const [name, b] of tabButtons) {
      b.setAttribute("aria-selected", String(name === v));
      b.tabIndex = name === v ? 0 : -1;
    }
    for (const [name, p] of panels) p.hidden = name !== v;
    if (dirty.has(v)) update(v);
    reset.hidden = !currentChart()?.zoomed;
    flame?.surface.requestPaint();
    inverted?.surface.requestPaint();
    timeline?.surface.requestPaint();
    functions?.repaint();
    root.dataset.currentView = v;
  }

  function refresh(): void {
    for (const v of VIEWS) dirty.add(v);
    show(state.view);
  }

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.query = search.value;
      const match = searchFrames(frames(), state.query);
      let n = 0;
      if (match) for (const x of match) n += x;
      searchInfo.textContent = match ? `${n} function${n === 1 ? "" : "s"} match` : "";
      refresh();
    }, 120);
  });
  reset.addEventListener("click", () => {
    flame?.resetZoom();
    inverted?.resetZoom();
    timeline?.resetZoom();
  });
  const onScheme = () => {
    flame?.surface.requestPaint();
    inverted?.surface.requestPaint();
    timeline?.surface.requestPaint();
    functions?.repaint();
  };
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", onScheme);
  document.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLSelectElement;
    if (e.key === "Escape") {
      if (typing && search.value) {
        search.value = "";
        search.dispatchEvent(new Event("input"));
      } else {
        flame?.resetZoom();
        inverted?.resetZoom();
        timeline?.resetZoom();
      }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      search.focus();
      e.preventDefault();
      return;
    }
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= VIEWS.length) show(VIEWS[n - 1]!);
  });
  tabs.addEventListener("keydown", (e) => {
    const i = VIEWS.indexOf(state.view);
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const next = VIEWS[(i + (e.key === "ArrowRight" ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    show(next);
    tabButtons.get(next)!.focus();
    e.preventDefault();
  });

  clear(root);
  root.append(top, ...warnings, bar, main, el("footer", { class: "foot", text: `tsprof ${header.tsprof} · this report works offline and loads nothing from the network` }));
  show(header.options.timeline ? "timeline" : "tree");
  return { show };
}
