/**
 * Turns a V8 CPU profile (`.cpuprofile`, the inspector's `Profiler.stop`
 * result) into the shared format. Node and Deno backends both use it, and so
 * does loading files written by `--cpu-prof` or Chrome DevTools.
 *
 * @module
 */
import { ProfileBuilder } from "../format/builder.ts";
import { GC_FRAME, IDLE_FRAME, PROGRAM_FRAME, type Frame, type Profile, pseudoFrameNamed, topLevelName } from "../format/types.ts";
import { fileMemo, normalizeFile } from "../paths.ts";
import { busySpans, waitingInSpans } from "./gap_weights.ts";
import { runtimeWasmUrls } from "./runtime_wasm.ts";

/**
 * A V8 call frame; lines and columns are 0-based, `-1` when unknown.
 *
 * @example
 * ```ts
 * import { v8Frame, type V8CallFrame } from "./v8_cpuprofile.ts";
 * const cf: V8CallFrame = { functionName: "main", url: "file:///app/a.js", lineNumber: 0, columnNumber: 4 };
 * v8Frame(cf); // { name: "main", kind: "js", file: "/app/a.js", line: 1, col: 5 }
 * ```
 */
export interface V8CallFrame {
  /** Function name; empty for anonymous functions. */
  readonly functionName: string;
  /** V8's id of the script. */
  readonly scriptId?: string | number;
  /** Script URL; empty for native code and pseudo-frames. */
  readonly url: string;
  /** 0-based line of the definition, -1 when unknown. */
  readonly lineNumber: number;
  /** 0-based column of the definition, -1 when unknown. */
  readonly columnNumber: number;
}

/**
 * A node of V8's call tree.
 *
 * @example
 * ```ts
 * import type { V8ProfileNode } from "tsprof/import";
 * const node: V8ProfileNode = { id: 2, callFrame: { functionName: "main", url: "file:///a.js", lineNumber: 0, columnNumber: 0 }, children: [] };
 * ```
 */
export interface V8ProfileNode {
  /** Node id, referred to by `samples` and `children`. */
  readonly id: number;
  /** The function and its position (0-based). */
  readonly callFrame: V8CallFrame;
  /** Samples taken with this node on top. */
  readonly hitCount?: number;
  /** Ids of the callee nodes. */
  readonly children?: readonly number[];
  /** 1-based source lines hit while this node was on top. */
  readonly positionTicks?: readonly { readonly line: number; readonly ticks: number }[];
}

/**
 * V8's `Profiler.Profile`: times in microseconds.
 *
 * @example
 * ```ts
 * import { importV8CpuProfile, type V8CpuProfile } from "tsprof/import";
 * // const cpu: V8CpuProfile = JSON.parse(await Deno.readTextFile("CPU.cpuprofile"));
 * const cpu: V8CpuProfile = { nodes: [{ id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1, columnNumber: -1 } }], startTime: 0, endTime: 1000 };
 * const profile = importV8CpuProfile(cpu, "main");
 * ```
 */
export interface V8CpuProfile {
  /** The call tree's nodes. */
  readonly nodes: readonly V8ProfileNode[];
  /** Start, in microseconds on V8's clock. */
  readonly startTime: number;
  /** End, in microseconds on V8's clock. */
  readonly endTime: number;
  /** Node id of each sample, in time order. */
  readonly samples?: readonly number[];
  /** Microseconds from the previous sample (the first: from `startTime`). */
  readonly timeDeltas?: readonly number[];
}

/**
 * The key of what tsprof writes beside V8's fields in its own `.cpuprofile`
 * files (`src/render/cpuprofile.ts`), which other readers ignore: such a
 * file is read back as written. Without it, a Bun run's file (frames named
 * `(module)`, no V8 pseudo-frame) would read as Bun's own, whose gaps
 * between samples are partly idle, and a long sample's weight would turn
 * into `(idle)`.
 */
export const TSPROF_CPU_PROFILE_KEY = "tsprof";

/** What tsprof writes under {@linkcode TSPROF_CPU_PROFILE_KEY}: the run the profile is of. */
export interface TsprofCpuProfileNote {
  readonly runtime: string;
  readonly runtimeVersion: string;
  readonly intervalMs: number;
}

/**
 * V8's builtins have no URL, no position and script id 0. Code without a URL
 * but with a script (a page's inline script, code typed into a console) is
 * JavaScript all the same.
 */
function isBuiltin(cf: V8CallFrame): boolean {
  return cf.url === "" && cf.lineNumber < 0 && (cf.scriptId === undefined || String(cf.scriptId) === "0");
}

/**
 * Node before 16 named its own modules by a bare relative URL
 * (`internal/modules/cjs/loader.js`, `events.js`); nothing else writes a
 * relative URL into a V8 profile. They are Node's, as `node:` says today.
 */
const OLD_NODE_CORE = /^(?:internal\/)?[a-z_][\w/-]*\.js$/;

/**
 * Turns a V8 call frame into a tsprof frame (1-based positions). `toFile`
 * turns the frame's URL into its file (a pass over a profile's nodes hands
 * in a `fileMemo()`).
 */
export function v8Frame(cf: V8CallFrame, toFile: (url: string) => string = normalizeFile): Frame {
  if (cf.url === "") {
    if (cf.functionName === "(idle)") return IDLE_FRAME;
    if (cf.functionName === "(garbage collector)") return GC_FRAME;
    if (cf.functionName === "(program)") return PROGRAM_FRAME;
    // tsprof's own (start-up, module loading, the runtime's and tsprof's time), as it writes them: with no position.
    const own = pseudoFrameNamed(cf.functionName);
    if (own !== undefined && cf.lineNumber < 0) return own;
  }
  const frame: { -readonly [K in keyof Frame]: Frame[K] } = {
    name: topLevelName(cf.functionName, cf.url, cf.lineNumber + 1, cf.columnNumber + 1),
    kind: isBuiltin(cf) ? "native" : "js",
  };
  if (cf.url) frame.file = OLD_NODE_CORE.test(cf.url) ? `node:${cf.url.slice(0, -3)}` : toFile(cf.url);
  if (cf.lineNumber >= 0) frame.line = cf.lineNumber + 1;
  if (cf.columnNumber >= 0) frame.col = cf.columnNumber + 1;
  return frame;
}

/**
 * Options for {@linkcode importV8CpuProfile}.
 *
 * @example
 * ```ts
 * import { importV8CpuProfile, type V8ImportOptions } from "tsprof/import";
 * const bunLike: V8ImportOptions = { idleGapsMs: 1 };
 * const profile = importV8CpuProfile({ nodes: [], startTime: 0, endTime: 0 }, "main", bunLike);
 * ```
 */
export interface V8ImportOptions {
  /**
   * The profile records no idle samples (Bun's): a gap between two samples
   * is partly idle time, not all time in the earlier stack: the busy part
   * stays with the sample, the rest becomes an `(idle)` sample, as does a
   * long lead-in before the first sample. The sampler's interval in ms.
   */
  idleGapsMs?: number;
  /**
   * With `idleGapsMs`: how long the thread was busy over the profile (ms),
   * as the scheduler counted it (`thread_busy.ts`). The samples then add up
   * to it, none standing for more than the others; without it, a sample
   * covers up to two intervals of its gap unless the sampler ran late
   * inside busy code.
   */
  busyMs?: number;
  /**
   * With `busyMs`: how many samples are the start-up's, before the
   * program's first; they take their share of the busy time first.
   */
  startupSamples?: number;
  /**
   * With `idleGapsMs`: when the program's `await`s were pending, as
   * `[start, end]` on the profile's clock (µs): a long gap is idle while
   * one that began in it was (see `gap_weights.ts`).
   */
  waitingUs?: readonly (readonly [number, number])[];
}

/**
 * Converts a V8 CPU profile. Each sample weighs the time until the next one
 * (the last until `endTime`), and the lead-in before the first sample goes to
 * the first, so the weights add up to `endTime - startTime`.
 *
 * @example
 * ```ts
 * import { importV8CpuProfile } from "tsprof/import";
 * const profile = importV8CpuProfile({
 *   nodes: [{ id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1, columnNumber: -1 }, children: [2] },
 *           { id: 2, callFrame: { functionName: "main", url: "file:///a.js", lineNumber: 0, columnNumber: 0 } }],
 *   startTime: 0, endTime: 2000, samples: [2, 2], timeDeltas: [500, 1000],
 * }, "main");
 * // profile.weights: [1500, 500] (ms: [1.5, 0.5])
 * ```
 */
export function importV8CpuProfile(cpu: V8CpuProfile, name: string, options: V8ImportOptions = {}): Profile {
  const builder = new ProfileBuilder(name);
  const toFile = fileMemo();
  const nodes = cpu.nodes;
  // Node ids become indices once: the walk and the samples then fill typed
  // arrays, not maps (an hour's profile has hundreds of thousands of nodes).
  const index = new Map<number, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i]!.id, i);
  const hasParent = new Uint8Array(nodes.length);
  for (const n of nodes) {
    for (const c of n.children ?? []) {
      const k = index.get(c);
      if (k !== undefined) hasParent[k] = 1;
    }
  }

  // Stack id per node, computed root-down without recursion; -2: not reached.
  const stackOf = new Int32Array(nodes.length).fill(-2);
  const frameOf = new Int32Array(nodes.length).fill(-1);
  // One function is many nodes (one per call path): its frame is built once.
  const frameIds = new Map<string, number>();
  // The runtime's own wasm (Node's TypeScript stripper): native frames, folded away as the runtime's.
  const runtimeWasm = runtimeWasmUrls(nodes, toFile);
  const frameIdOf = (cf: V8CallFrame) => {
    const key = `${cf.scriptId ?? ""}\u0000${cf.url}\u0000${cf.lineNumber}\u0000${cf.columnNumber}\u0000${cf.functionName}`;
    let id = frameIds.get(key);
    if (id === undefined) {
      id = builder.internFrame(runtimeWasm.has(cf.url) ? { name: cf.functionName, kind: "native" } : v8Frame(cf, toFile));
      frameIds.set(key, id);
    }
    return id;
  };
  const rootIndex = hasParent.indexOf(0);
  if (rootIndex >= 0) {
    stackOf[rootIndex] = -1;
    // Pairs of (node index, parent's stack).
    const todo: number[] = [];
    for (const c of nodes[rootIndex]!.children ?? []) todo.push(index.get(c) ?? -1, -1);
    while (todo.length > 0) {
      const parentStack = todo.pop()!;
      const i = todo.pop()!;
      // Files are checked first (checkCpuProfile); this guards against cycles anyway.
      if (i < 0 || stackOf[i] !== -2) continue;
      const node = nodes[i]!;
      const frameId = frameIdOf(node.callFrame);
      const stack = builder.internStack(parentStack, frameId);
      frameOf[i] = frameId;
      stackOf[i] = stack;
      for (const c of node.children ?? []) todo.push(index.get(c) ?? -1, stack);
    }
  }

  const samples = cpu.samples ?? [];
  const spans = sampleSpans(cpu);
  const selfMs = new Float64Array(nodes.length);
  let idleStack = -1;
  const idle = (us: number) => {
    if (us <= 0) return;
    if (idleStack === -1) idleStack = builder.internStack(-1, builder.internFrame(IDLE_FRAME));
    builder.addStackSample(idleStack, us / 1000);
  };
  // Without idle samples, only the busy part of each span counts (gap_weights.ts).
  const waiting = options.waitingUs === undefined ? undefined : waitingInSpans(spans, cpu.startTime, options.waitingUs);
  const busy = options.idleGapsMs === undefined ? spans : busySpans(spans, options.idleGapsMs, options.busyMs, true, options.startupSamples === undefined ? 0 : options.startupSamples + 1, waiting);
  for (let i = 0; i < samples.length; i++) {
    const ms = (busy[i + 1]! + (i === 0 ? busy[0]! : 0)) / 1000;
    if (i === 0) idle(spans[0]! - busy[0]!);
    const k = index.get(samples[i]!);
    const stack = k === undefined ? -1 : stackOf[k]!;
    builder.addStackSample(stack === -2 ? -1 : stack, ms);
    if (k !== undefined) selfMs[k]! += ms;
    idle(spans[i + 1]! - busy[i + 1]!);
  }
  // No sample at all in a profile without idle samples: it was all waiting.
  if (samples.length === 0 && options.idleGapsMs !== undefined) idle(cpu.endTime - cpu.startTime);

  for (let i = 0; i < nodes.length; i++) {
    const ticks = nodes[i]!.positionTicks;
    const frameId = frameOf[i]!;
    const ms = selfMs[i]!;
    if (!ticks || ticks.length === 0 || frameId < 0 || !ms) continue;
    let total = 0;
    for (const pt of ticks) total += pt.ticks;
    for (const pt of ticks) builder.addLineTime(frameId, pt.line, (ms * pt.ticks) / total);
  }
  return builder.build();
}

/**
 * What each sample stands for before any split (µs): the lead-in before the
 * first sample, then for each sample the time until the next one (the last:
 * until `endTime`). V8's convention gives the lead-in to the first sample.
 *
 * @example
 * ```ts
 * import { sampleSpans } from "./v8_cpuprofile.ts";
 * sampleSpans({ nodes: [], startTime: 0, endTime: 2000, samples: [2, 2], timeDeltas: [500, 1000] }); // [500, 1000, 500]
 * ```
 */
export function sampleSpans(cpu: V8CpuProfile): number[] {
  const samples = cpu.samples ?? [];
  const deltas = cpu.timeDeltas ?? [];
  const times: number[] = new Array(samples.length);
  let t = cpu.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    times[i] = t;
  }
  const spans: number[] = [samples.length > 0 ? Math.max(0, times[0]! - cpu.startTime) : 0];
  for (let i = 0; i < samples.length; i++) {
    const end = i + 1 < samples.length ? times[i + 1]! : Math.max(cpu.endTime, times[i]!);
    spans.push(Math.max(0, end - times[i]!));
  }
  return spans;
}

/**
 * The index of the first sample with a frame of a file that `file` accepts
 * anywhere on its stack; the number of samples when none has one.
 *
 * @example
 * ```ts
 * import { firstSampleIn } from "./v8_cpuprofile.ts";
 * // firstSampleIn(cpu, (url) => url.startsWith("/app/")) === 3: three samples of start-up
 * ```
 */
export function firstSampleIn(cpu: V8CpuProfile, file: (url: string) => boolean): number {
  const byId = new Map<number, V8ProfileNode>();
  for (const n of cpu.nodes) byId.set(n.id, n);
  // Marked from the roots down, without recursion: stacks can be deep.
  const marked = new Set<number>();
  const isChild = new Set<number>();
  for (const n of cpu.nodes) for (const c of n.children ?? []) isChild.add(c);
  const todo: [number, boolean][] = cpu.nodes.filter((n) => !isChild.has(n.id)).map((n) => [n.id, false]);
  while (todo.length > 0) {
    const [id, above] = todo.pop()!;
    const node = byId.get(id);
    if (!node) continue;
    const mine = above || (node.callFrame.url !== "" && file(node.callFrame.url));
    if (mine) marked.add(id);
    for (const c of node.children ?? []) todo.push([c, mine]);
  }
  const samples = cpu.samples ?? [];
  for (let i = 0; i < samples.length; i++) if (marked.has(samples[i]!)) return i;
  return samples.length;
}

/**
 * The sampling interval a profile was taken at, in ms: the median of its
 * time deltas (µs), which the file does not state otherwise.
 *
 * @example
 * ```ts
 * import { medianIntervalMs } from "./v8_cpuprofile.ts";
 * medianIntervalMs([1000, 1100, 900, 5000]); // 1.1
 * ```
 */
export function medianIntervalMs(deltas: readonly number[]): number {
  const sorted = deltas.filter((d) => d > 0).sort((a, b) => a - b);
  return sorted.length === 0 ? 1 : Math.round(sorted[sorted.length >> 1]!) / 1000;
}
