/**
 * The report's five views behind one interface: each is made when first
 * shown, fed from the profile model, and told to repaint or zoom out as
 * one, so the page keeps them in step without knowing each one's API.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import type { FramePaint } from "./chart_surface.ts";
import { FlameChart } from "./flame_chart.ts";
import { FunctionsView } from "./functions_view.ts";
import type { ProfileModel } from "./profile_model.ts";
import { TimelineChart } from "./timeline_chart.ts";
import { CallTreeView } from "./tree_view.ts";

/** The views, in tab order. */
export const VIEWS = ["tree", "flame", "inverted", "timeline", "functions"] as const;
/** One of {@linkcode VIEWS}. */
export type ViewName = (typeof VIEWS)[number];

/** Each view's tab label. */
export const LABELS: Record<ViewName, string> = {
  tree: "Call tree",
  flame: "Flame graph",
  inverted: "Inverted",
  timeline: "Timeline",
  functions: "Functions",
};

/** What a view shows: the current profile's model and the page's settings. */
export interface ViewInput {
  readonly model: ProfileModel;
  readonly frames: readonly Frame[];
  readonly frameIndex: ReadonlyMap<Frame, number>;
  readonly paint: FramePaint;
  /** Frames the search matches (1), or undefined without a search. */
  readonly match: Uint8Array | undefined;
  readonly cwd: string | undefined;
  readonly showLibrary: boolean;
  readonly time: "seconds" | "percent";
}

/** One view as the page drives it. */
export interface View {
  readonly element: HTMLElement;
  /** One line under the tabs saying how to use it. */
  readonly hint: string;
  update(input: ViewInput): void;
  repaint(): void;
  resetZoom(): void;
  readonly zoomed: boolean;
}

/** A chart (flame graph, inverted, timeline) as a {@linkcode View}. */
function chartView(chart: FlameChart | TimelineChart, hint: string, update: (input: ViewInput) => void): View {
  return {
    element: chart.surface.element,
    hint,
    update,
    repaint: () => chart.surface.requestPaint(),
    resetZoom: () => chart.resetZoom(),
    get zoomed() {
      return chart.zoomed;
    },
  };
}

/** Makes the view `name`; `onZoom` hears whether a chart is zoomed in. */
export function createView(name: ViewName, paint: FramePaint, onZoom: (zoomed: boolean) => void): View {
  switch (name) {
    case "tree": {
      const tree = new CallTreeView();
      return {
        element: tree.element,
        hint: "Click or use the arrow keys to open and close calls. Library frames are folded; click a [frames hidden] row to open them.",
        update: (i) => {
          tree.setData({ root: i.model.callTree, frameIndex: i.frameIndex, cwd: i.cwd, showLibrary: i.showLibrary, time: i.time });
          tree.setSearch(i.match);
        },
        repaint: () => {},
        resetZoom: () => {},
        zoomed: false,
      };
    }
    case "flame":
    case "inverted": {
      const flame = new FlameChart({ frames: [], percentOf: 1, paint });
      flame.onZoom = onZoom;
      const inverted = name === "inverted";
      const hint = inverted
        ? "Functions where time was spent on top, their callers below. Click to zoom."
        : "Callers above callees, each as wide as its time, heaviest on the left. Click to zoom.";
      return chartView(flame, hint, (i) => {
        const layout = inverted ? i.model.inverted : i.model.layout;
        flame.setData(layout, { frames: i.frames, cwd: i.cwd, percentOf: i.model.total, paint: i.paint, ...(inverted ? { inverted: true } : {}) });
        flame.setSearch(i.match);
      });
    }
    case "timeline": {
      const timeline = new TimelineChart();
      timeline.onZoom = onZoom;
      return chartView(timeline, "Calls in time order; grey (idle) is time waiting. Wheel to zoom, drag to pan, click a box to zoom to it.", (i) => {
        timeline.setData({ timeline: i.model.timeline, tree: i.model.visible.tree, frames: i.frames, cwd: i.cwd, paint: i.paint });
        timeline.setSearch(i.match);
      });
    }
    case "functions": {
      const functions = new FunctionsView();
      return {
        element: functions.element,
        hint: "Self and total time per function (total counts recursion once). Click a function for its callers and callees.",
        update: (i) => {
          functions.setData({ frames: i.frames, stats: i.model.stats, layout: i.model.layout, percentOf: i.model.total, cwd: i.cwd }, i.paint);
          functions.setSearch(i.match);
        },
        repaint: () => functions.repaint(),
        resetZoom: () => {},
        zoomed: false,
      };
    }
  }
}
