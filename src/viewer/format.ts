/**
 * How the report writes times and places, and how it colours frames. Pure,
 * shared by every view.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { frameOrigin, shortPath } from "../paths.ts";

/** Milliseconds in a readable unit: `812 µs`, `12.3 ms`, `4.56 s`, `2 min 5 s`. */
export function formatMs(ms: number): string {
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 3 : 2)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms - min * 60_000) / 1000)} s`;
}

/**
 * A time-axis label: as many decimals as the tick step needs, so ticks
 * 10 ms apart at 30 s read `30.01 s`, `30.02 s`.
 */
export function formatTick(ms: number, stepMs: number): string {
  if (ms === 0) return "0";
  if (ms >= 1000) return `${(ms / 1000).toFixed(Math.max(0, Math.min(6, -Math.floor(Math.log10(stepMs / 1000) + 1e-9))))} s`;
  return `${ms.toFixed(Math.max(0, Math.min(6, -Math.floor(Math.log10(stepMs) + 1e-9))))} ms`;
}

/** Seconds with three decimals, the console's time column. */
export function formatSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A share as a percentage with one decimal: `42.0%`. */
export function formatPercent(part: number, whole: number): string {
  return `${whole > 0 ? ((100 * part) / whole).toFixed(1) : "0.0"}%`;
}

/** `file:line:col` relative to `cwd`, or an empty string for a frame without a file. */
export function frameLocation(frame: Frame, cwd?: string): string {
  if (frame.file === undefined || frame.file === "") return "";
  let s = shortPath(frame.file, cwd);
  if (frame.line !== undefined) s += `:${frame.line}`;
  if (frame.line !== undefined && frame.col !== undefined) s += `:${frame.col}`;
  return s;
}

/** What a frame is, for colour: the user's code, a package, the runtime, or a pseudo-frame. */
export type FrameCategory = "app" | "library" | "runtime" | "idle" | "gc" | "program";

/** The category a frame's colour comes from. */
export function frameCategory(frame: Frame): FrameCategory {
  switch (frame.kind) {
    case "idle":
      return "idle";
    case "gc":
      return "gc";
    case "program":
    case "root":
    case "self":
      return "program";
    case "native":
      return "runtime";
    case "js": {
      const origin = frameOrigin(frame);
      return origin === "app" ? "app" : origin === "library" ? "library" : "runtime";
    }
    default: {
      const never: never = frame.kind;
      return never;
    }
  }
}

/** A small stable hash of a string, for colour variation between functions. */
export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Hue, saturation and lightness ranges of each category, light and dark. */
const PALETTE: Record<FrameCategory, { h: [number, number]; s: number; l: [number, number]; dl: [number, number] }> = {
  app: { h: [18, 48], s: 85, l: [62, 74], dl: [38, 50] },
  library: { h: [190, 215], s: 55, l: [66, 78], dl: [34, 44] },
  runtime: { h: [220, 240], s: 10, l: [72, 82], dl: [32, 40] },
  idle: { h: [0, 0], s: 0, l: [90, 90], dl: [22, 22] },
  gc: { h: [275, 290], s: 45, l: [74, 80], dl: [36, 42] },
  program: { h: [0, 0], s: 0, l: [80, 80], dl: [30, 30] },
};

/** The fill colour of a frame's box in the flame graph and timeline. */
export function frameColour(frame: Frame, dark: boolean): string {
  const p = PALETTE[frameCategory(frame)];
  const h = hashString(frame.name + (frame.file ?? ""));
  const hue = p.h[0] + (h % 1000) / 1000 * (p.h[1] - p.h[0]);
  const [l0, l1] = dark ? p.dl : p.l;
  const light = l0 + ((h >>> 10) % 1000) / 1000 * (l1 - l0);
  return `hsl(${hue.toFixed(0)} ${p.s}% ${light.toFixed(0)}%)`;
}

/** Colour class of a time share, pyinstrument's scale: red above 60%, and so on. */
export function shareClass(share: number): "t-hot" | "t-warm" | "t-mild" | "t-cool" {
  return share > 0.6 ? "t-hot" : share > 0.2 ? "t-warm" : share > 0.05 ? "t-mild" : "t-cool";
}
