/**
 * The `--lines` section of the console report: the hottest lines of the
 * hottest functions, from the line ticks the engine recorded (V8's
 * positionTicks, JavaScriptCore's per-sample lines), after source mapping.
 *
 * @module
 */
import type { Profile } from "../format/types.ts";
import { frameOrigin, shortPath } from "../paths.ts";

/** Options for {@linkcode hotLines} and {@linkcode renderHotLines}. */
export interface HotLinesOptions {
  /**
   * How many functions to show.
   * @default {5}
   */
  functions?: number;
  /**
   * How many lines per function.
   * @default {5}
   */
  linesPerFunction?: number;
  /** Include the runtime's own functions, and tsprof's. */
  showAll?: boolean;
  /** Where tsprof's own code lives (the session's `meta.toolPaths`): its lines are not the program's. */
  toolPaths?: readonly string[];
  /** The text of a source line, to show next to it; none when absent. */
  sourceLine?: (file: string, line: number) => string | undefined;
}

/** A function's line ticks, hottest first. */
export interface HotFunction {
  /** Index into the profile's frames. */
  readonly frame: number;
  /** Milliseconds on the lines recorded for it (its self time, where the engine knows the line). */
  readonly time: number;
  /** `[line, ms]`, hottest first. */
  readonly lines: readonly (readonly [number, number])[];
}

/**
 * The functions with line ticks, by time on their lines, hottest first,
 * each with its lines hottest first.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { hotLines } from "./console_lines.ts";
 * const b = new ProfileBuilder("main");
 * const f = b.internFrame({ name: "f", file: "/a.ts", line: 1, col: 1, kind: "js" });
 * b.addStackSample(b.internStack(-1, f), 3);
 * b.addLineTime(f, 2, 3);
 * hotLines(b.build()); // [{ frame: 0, time: 3, lines: [[2, 3]] }]
 * ```
 */
export function hotLines(profile: Profile, options: HotLinesOptions = {}): HotFunction[] {
  if (!profile.lines) return [];
  const tools = options.toolPaths ?? [];
  const isTool = (file: string | undefined) => file !== undefined && tools.some((p) => file.startsWith(p));
  const self = selfTimes(profile);
  const out: HotFunction[] = [];
  for (const [frame, byLine] of profile.lines) {
    const f = profile.frames[frame];
    // The runtime's own code is not what the user can change.
    if (!f || f.kind !== "js" || (!options.showAll && (frameOrigin(f) === "runtime" || isTool(f.file)))) continue;
    let recorded = 0;
    for (const ms of byLine.values()) recorded += ms;
    // The lines hold no more than the function's own time in the samples: samples labelled as
    // something else since (module loading, tsprof's start-up) took their lines with them.
    const scale = recorded > 0 ? Math.min(1, self[frame]! / recorded) : 0;
    if (scale <= 0) continue;
    const lines = [...byLine].filter(([, ms]) => ms > 0).map(([line, ms]) => [line, ms * scale] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    out.push({ frame, time: recorded * scale, lines: lines.slice(0, options.linesPerFunction ?? 5) });
  }
  out.sort((a, b) => b.time - a.time);
  return out.slice(0, options.functions ?? 5);
}

/** Each frame's own time: the samples whose stack ends in it. */
function selfTimes(profile: Profile): Float64Array {
  const self = new Float64Array(profile.frames.length);
  const { samples, weights, stacks } = profile;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s >= 0) self[stacks.frame[s]!]! += weights[i]!;
  }
  return self;
}

/**
 * The section's lines: a title, then per function its total and location,
 * then its hottest lines with their time (and text, when known).
 */
export function renderHotLines(profile: Profile, cwd: string | undefined, fmtTime: (ms: number) => string, options: HotLinesOptions = {}): string[] {
  const hot = hotLines(profile, options);
  if (hot.length === 0) return ["Hottest lines: none recorded (this engine or profile has no line-level times)"];
  const out = ["Hottest lines"];
  for (const h of hot) {
    const f = profile.frames[h.frame]!;
    const where = f.file ? shortPath(f.file, cwd) : "";
    out.push(`${fmtTime(h.time)} ${f.name}  ${where}${f.line !== undefined ? `:${f.line}` : ""}`);
    const width = Math.max(...h.lines.map(([l]) => String(l).length));
    for (const [line, ms] of h.lines) {
      const text = f.file ? options.sourceLine?.(f.file, line)?.trim() : undefined;
      const shown = text ? `  ${text.length > 80 ? `${text.slice(0, 77)}...` : text}` : "";
      out.push(`   ${fmtTime(ms)}  ${String(line).padStart(width)}${shown}`);
    }
  }
  return out;
}
