/**
 * The shared format: what every backend emits and every renderer reads.
 *
 * In memory a profile is compact: frames are interned once, stacks are
 * interned as a prefix tree (a stack is its leaf frame plus the id of its
 * parent stack), and each sample is one stack id and one weight in typed
 * arrays. An hour at 1 ms (3.6 million samples) takes 12 bytes a sample.
 * On disk the same data is a valid speedscope file (see
 * `src/render/speedscope.ts`) with tsprof's metadata in an extra field.
 *
 * Units: time is always milliseconds inside tsprof; lines and columns are
 * always 1-based. Importers convert at the edge.
 *
 * @module
 */

/**
 * What kind of code a frame stands for. Pseudo-frames are first-class so that
 * idle, GC and native time are shown as such, never charged to a function.
 *
 * @example
 * ```ts
 * import type { Frame, FrameKind } from "tsprof/format";
 * const isPseudo = (f: Frame) => (["idle", "gc", "program", "root"] as FrameKind[]).includes(f.kind);
 * ```
 */
export type FrameKind =
  /** JavaScript or TypeScript code. */
  | "js"
  /** A native (host) function called from JS, e.g. a builtin. */
  | "native"
  /** No JS on the stack: the event loop waits (await, timers, I/O). */
  | "idle"
  /** The garbage collector. */
  | "gc"
  /** The runtime itself, outside any JS function (V8's `(program)`). */
  | "program"
  /** The synthetic root of a call tree: the whole profile. */
  | "root"
  /** A call tree leaf for its parent's own time, drawn as `[self]` (never in a profile). */
  | "self";

/**
 * One function at one place in the source, interned in {@linkcode Profile.frames}.
 *
 * @example
 * ```ts
 * import type { Frame } from "tsprof/format";
 * const work: Frame = { name: "work", file: "/app/a.ts", line: 5, col: 1, kind: "js" };
 * ```
 */
export interface Frame {
  /** Function name; `(anonymous)` when the engine reports none. */
  readonly name: string;
  /** Absolute path, `file:`/`https:`/`npm:` URL, or runtime specifier (`node:fs`). */
  readonly file?: string;
  /** 1-based line of the function's definition. */
  readonly line?: number;
  /** 1-based column of the function's definition. */
  readonly col?: number;
  /** What this frame stands for. */
  readonly kind: FrameKind;
}

/**
 * Interned stacks, as a prefix tree. Stack `i` is frame `frame[i]` called
 * from stack `parent[i]` (`-1` for a root frame). Identical stacks share one
 * id, so a sample needs only a number.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", kind: "js" }, { name: "work", kind: "js" }], 1);
 * const { stacks } = b.build();
 * // stacks.frame: [0, 1] (main, work); stacks.parent: [-1, 0]
 * ```
 */
export interface StackTable {
  /** Number of stacks. */
  readonly length: number;
  /** Frame index of each stack's leaf. */
  readonly frame: Int32Array;
  /** Parent stack of each stack, `-1` at the root. */
  readonly parent: Int32Array;
}

/**
 * One sampled thread or process: what it ran and for how long.
 *
 * @example Total time of a profile
 * ```ts
 * import type { Profile } from "tsprof";
 * const total = (p: Profile) => p.weights.reduce((a, b) => a + b, 0);
 * ```
 */
export interface Profile {
  /** Name shown for this thread or process, e.g. `main`. */
  readonly name: string;
  /** Interned frames; stacks refer to them by index. */
  readonly frames: readonly Frame[];
  /** Interned stacks. */
  readonly stacks: StackTable;
  /** Stack id of each sample, in time order. */
  readonly samples: Int32Array;
  /** Milliseconds each sample stands for; their sum is the profile's total. */
  readonly weights: Float64Array;
  /**
   * Per-frame line ticks where the engine records them: for frame index `f`,
   * `lines[f]` maps a 1-based line to the milliseconds spent on it.
   */
  readonly lines?: ReadonlyMap<number, ReadonlyMap<number, number>>;
}

/**
 * Facts about a recording, carried with it wherever it goes.
 *
 * @example
 * ```ts
 * import type { SessionMeta } from "tsprof";
 * const meta: SessionMeta = { runtime: "deno", runtimeVersion: "2.9.6", intervalMs: 1, startTime: Date.now(), durationMs: 120, command: ["main.ts"] };
 * ```
 */
export interface SessionMeta {
  /** `node`, `deno`, `bun`, `portable`, or the tool that wrote an imported file. */
  readonly runtime: string;
  /** Version of that runtime, e.g. `20.20.2`. */
  readonly runtimeVersion: string;
  /** Sampling interval asked for, in milliseconds. */
  readonly intervalMs: number;
  /** When recording started, in milliseconds since the Unix epoch. */
  readonly startTime: number;
  /** Wall-clock time the recording covered, in milliseconds. */
  readonly durationMs: number;
  /** CPU time the process used meanwhile, in milliseconds, where known. */
  readonly cpuTimeMs?: number;
  /** The command profiled, as typed (script and its arguments). */
  readonly command?: readonly string[];
  /** Working directory the profile was taken in; paths are shown relative to it. */
  readonly cwd?: string;
  /** A line for the report header, set by the user. */
  readonly description?: string;
  /** Exit code of the profiled program, where it ended. */
  readonly exitCode?: number;
  /**
   * Where the profiler's own code lived when this was recorded: frames from
   * there are tsprof's and never shown, wherever the file is loaded later.
   */
  readonly toolPaths?: readonly string[];
  /** Things the user should know about this profile (e.g. a missing source map). */
  readonly warnings?: readonly string[];
}

/**
 * A recording: its metadata and one profile per thread or process.
 *
 * @example Build a tiny session by hand
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import type { Session } from "tsprof";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", line: 1, col: 1, kind: "js" }], 5);
 * const session: Session = {
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 5 },
 *   profiles: [b.build()],
 * };
 * ```
 */
export interface Session {
  /** Format version of this structure. */
  readonly version: 1;
  /** What, where and when. */
  readonly meta: SessionMeta;
  /** One per thread or process; the first is the main one. */
  readonly profiles: readonly Profile[];
}

/**
 * Name of the pseudo-frame for time with no JS on the stack.
 *
 * @example
 * ```ts
 * import { IDLE_FRAME, ProfileBuilder } from "tsprof/format";
 * new ProfileBuilder("main").addSample([IDLE_FRAME], 10); // 10 ms waiting
 * ```
 */
export const IDLE_FRAME: Frame = { name: "(idle)", kind: "idle" };

/**
 * The name of a module's (or script's) top-level code on every runtime:
 * JavaScriptCore's. V8 leaves that code unnamed at the file's start, so
 * {@linkcode topLevelName} names it so that the runtimes' profiles of one
 * program start alike (and diff as one).
 */
export const MODULE_FRAME_NAME = "(module)";

/** The name of a frame of a function without one (V8's `""`). */
export const ANONYMOUS_NAME = "(anonymous)";

/**
 * A function's name as a frame shows it: `(module)` for the unnamed code at
 * a file's 1:1, `(anonymous)` for other unnamed code.
 *
 * @example
 * ```ts
 * import { topLevelName } from "./types.ts";
 * topLevelName("", "/app/a.ts", 1, 1); // "(module)"
 * topLevelName("", "/app/a.ts", 3, 9); // "(anonymous)"
 * topLevelName("(anonymous)", "/app/a.ts", 1, 1); // "(module)": V8's name for it, as older sessions kept it
 * ```
 */
export function topLevelName(name: string, file: string | undefined, line: number | undefined, col: number | undefined): string {
  if (name !== "" && name !== ANONYMOUS_NAME) return name;
  return file && line === 1 && col === 1 ? MODULE_FRAME_NAME : ANONYMOUS_NAME;
}
/**
 * The pseudo-frame for the runtime's module loader at work: resolving,
 * reading, transpiling and linking the modules a module imports, between
 * the importing module's frame and the `(module)` frames of its imports.
 *
 * @example
 * ```ts
 * import { MODULE_LOADING_FRAME, ProfileBuilder } from "tsprof/format";
 * new ProfileBuilder("main").addSample([MODULE_LOADING_FRAME], 3); // 3 ms loading modules
 * ```
 */
export const MODULE_LOADING_FRAME: Frame = { name: "(module loading)", kind: "program" };

/**
 * Name of the pseudo-frame for garbage collection.
 *
 * @example
 * ```ts
 * import { GC_FRAME, ProfileBuilder } from "tsprof/format";
 * new ProfileBuilder("main").addSample([GC_FRAME], 2); // 2 ms collecting garbage
 * ```
 */
export const GC_FRAME: Frame = { name: "(garbage collector)", kind: "gc" };
/**
 * Name of the pseudo-frame for time in the runtime outside JS.
 *
 * @example
 * ```ts
 * import { PROGRAM_FRAME, ProfileBuilder } from "tsprof/format";
 * new ProfileBuilder("main").addSample([PROGRAM_FRAME], 1); // 1 ms in the runtime, outside JS
 * ```
 */
export const PROGRAM_FRAME: Frame = { name: "(program)", kind: "program" };

/** The runtime's own code, with none of the program's on the stack. */
export const RUNTIME_FRAME: Frame = { name: "(runtime)", kind: "program" };
/** tsprof's own work while the program ran. */
export const TSPROF_FRAME: Frame = { name: "(tsprof)", kind: "program" };
/** Code the portable backend does not instrument (start-up, imports, the runtime). */
export const UNINSTRUMENTED_FRAME: Frame = { name: "(uninstrumented code)", kind: "program" };
/** tsprof starting its sampler. */
export const TSPROF_STARTUP_FRAME: Frame = { name: "(tsprof start-up)", kind: "program" };
/** Wall time of the command that no profiled process covered. */
export const NOT_PROFILED_FRAME: Frame = { name: "(not profiled)", kind: "program" };

/**
 * The pseudo-frames tsprof writes, by name: formats with no kind of frame
 * (`.cpuprofile`, pprof) read them back with theirs. No engine uses these
 * names for code with a file.
 *
 * @example
 * ```ts
 * import { pseudoFrameNamed } from "./types.ts";
 * pseudoFrameNamed("(garbage collector)")?.kind; // "gc"
 * pseudoFrameNamed("parse"); // undefined
 * ```
 */
export function pseudoFrameNamed(name: string): Frame | undefined {
  return PSEUDO_FRAMES.get(name);
}
const PSEUDO_FRAMES: ReadonlyMap<string, Frame> = new Map(
  [IDLE_FRAME, GC_FRAME, PROGRAM_FRAME, MODULE_LOADING_FRAME, RUNTIME_FRAME, TSPROF_FRAME, UNINSTRUMENTED_FRAME, TSPROF_STARTUP_FRAME, NOT_PROFILED_FRAME].map((f) => [f.name, f]),
);

/**
 * Sum of a profile's weights, in milliseconds.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { profileTotal } from "tsprof";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "f", kind: "js" }], 2);
 * b.addSample([{ name: "g", kind: "js" }], 3);
 * profileTotal(b.build()); // 5
 * ```
 */
export function profileTotal(profile: Profile): number {
  let total = 0;
  for (const w of profile.weights) total += w;
  return total;
}
