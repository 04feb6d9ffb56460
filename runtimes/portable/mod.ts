/**
 * The portable backend: a profiler in plain JavaScript for where no engine
 * sampler exists (browsers, Web Workers, edge runtimes, embedded engines).
 * It samples the shadow stack that instrumented code keeps (see
 * `transform.ts` for the automatic kind, {@linkcode profiled} and
 * {@linkcode profiledBlock} for the explicit kind) and emits the shared
 * format, so every renderer works on its profiles unchanged.
 *
 * This module imports no runtime module: it runs anywhere.
 *
 * @example Profile a page's work in the browser
 * ```ts
 * import { portableBackend, profiled } from "tsprof/portable";
 * const backend = portableBackend();
 * const work = profiled("work", (n: number) => n * 2);
 * await backend.start({ intervalMs: 1 });
 * work(21);
 * const recording = await backend.stop();
 * ```
 *
 * @module
 */
import type { Backend, BackendStartOptions, Recording } from "../../src/backend.ts";
import { TsprofError } from "../../src/errors.ts";
import type { Frame } from "../../src/format/types.ts";
import { normalizeFile } from "../../src/paths.ts";
import { type Clock, getRecorder, type Recorder } from "./recorder.ts";
import { type Ticker, type TickerFactory, webWorkerTicker } from "./ticker.ts";

export { type Activation, type Clock, getRecorder, Recorder, recorder, type RecordingOptions } from "./recorder.ts";
export type { Ticker, TickerFactory } from "./ticker.ts";

/**
 * Options for {@linkcode portableBackend}.
 *
 * @example
 * ```ts
 * import { portableBackend } from "tsprof/portable";
 * // No ticker worker: read the clock on every instrumented call instead.
 * const backend = portableBackend({ ticker: false });
 * ```
 */
export interface PortableBackendOptions {
  /**
   * The clock, in milliseconds.
   * @default {() => performance.now()}
   */
  readonly clock?: Clock;
  /**
   * Starts the tick counter that tells instrumented code a sample is due;
   * `false` reads the clock on every event instead (slower, but exact and
   * what a fake clock needs).
   * @default {webWorkerTicker}
   */
  readonly ticker?: TickerFactory | false;
  /**
   * Milliseconds between the timer callbacks that record idle time while
   * nothing instrumented runs; `false` for none (idle time is then charged
   * at the next event, or at stop).
   * @default {10}
   */
  readonly idleTimerMs?: number | false;
  /** The recorder to sample; the realm's own by default. */
  readonly recorder?: Recorder;
}

/**
 * A backend that samples the shadow stack of instrumented code.
 *
 * @example
 * ```ts
 * import { portableBackend } from "tsprof/portable";
 * let now = 0;
 * const backend = portableBackend({ clock: () => now, ticker: false, idleTimerMs: false });
 * await backend.start({ intervalMs: 1 });
 * now = 10;
 * const recording = backend.stopSync(); // 10 ms of idle time
 * ```
 */
export function portableBackend(options: PortableBackendOptions = {}): Backend & { stopSync(): Recording } {
  const rec = options.recorder ?? getRecorder();
  const clock = options.clock ?? (() => performance.now());
  const makeTicker = options.ticker === undefined ? webWorkerTicker : options.ticker;
  const idleTimerMs = options.idleTimerMs ?? 10;
  let run: { t0: number; startTime: number; cpu0: number | undefined; ticker: Ticker | undefined; timer: ReturnType<typeof setInterval> | undefined } | undefined;
  let starting = false;

  const stopSync = (): Recording => {
    if (!run) throw new TsprofError("PROFILER_NOT_RUNNING", "Cannot stop portable profiler: it is not running");
    const r = run;
    run = undefined;
    if (r.timer !== undefined) clearInterval(r.timer);
    // One end for both, so that the weights add up to the duration.
    const end = clock();
    const profile = rec.stopRecording(end);
    r.ticker?.stop();
    const cpu = cpuTimeMs();
    return {
      profile,
      startTime: r.startTime,
      durationMs: end - r.t0,
      ...(cpu !== undefined && r.cpu0 !== undefined ? { cpuTimeMs: cpu - r.cpu0 } : {}),
    };
  };

  return {
    name: "portable",
    runtimeVersion: runtimeVersion(),
    async start(startOptions: BackendStartOptions = {}) {
      if (run || starting || rec.recording) throw new TsprofError("PROFILER_ALREADY_RUNNING", "Cannot start portable profiler: it is already running");
      const intervalMs = startOptions.intervalMs ?? 1;
      if (!(intervalMs > 0)) throw new RangeError(`Cannot start portable profiler: intervalMs must be above 0: current value is ${intervalMs}`);
      starting = true;
      let ticker: Ticker | undefined;
      try {
        ticker = makeTicker === false ? undefined : await makeTicker(intervalMs);
      } finally {
        starting = false;
      }
      const t0 = clock();
      rec.startRecording({ intervalMs, clock, start: t0, ...(ticker ? { ticks: ticker.ticks } : {}), ...(startOptions.async === false ? { awaits: false } : {}) });
      let timer: ReturnType<typeof setInterval> | undefined;
      if (idleTimerMs !== false) {
        let due = t0 + idleTimerMs;
        let cpu = cpuTimeMs();
        timer = setInterval(() => {
          const cpuNow = cpuTimeMs();
          rec.idleTick(due, cpu === undefined || cpuNow === undefined ? undefined : cpuNow - cpu);
          cpu = cpuNow;
          due = clock() + idleTimerMs;
        }, idleTimerMs);
        // The timer must not keep a Node or Bun process alive.
        (timer as { unref?: () => void }).unref?.();
      }
      run = { t0, startTime: Date.now(), cpu0: cpuTimeMs(), ticker, timer };
    },
    async stop() {
      return stopSync();
    },
    stopSync,
  };
}

/**
 * Position options for the explicit API's frames.
 *
 * @example
 * ```ts
 * import { profiled, type NamedFrameOptions } from "tsprof/portable";
 * const where: NamedFrameOptions = { file: "/app/jobs.ts", line: 12 };
 * const job = profiled("nightlyJob", () => 42, where);
 * ```
 */
export interface NamedFrameOptions {
  /** File the frame names; by default where the API was called from. */
  readonly file?: string;
  /** 1-based line; with `file` unset, the caller's. */
  readonly line?: number;
}

/**
 * Wraps a function so that its calls show in the profile under `name`, on
 * any runtime, without the source transform. For an async function, the
 * name covers each call's synchronous part (until its first `await`); the
 * transform follows awaits, this wrapper cannot.
 *
 * @example
 * ```ts
 * import { profiled } from "tsprof/portable";
 * const parse = profiled("parse", (text: string) => JSON.parse(text));
 * parse("[1, 2]");
 * ```
 */
export function profiled<A extends unknown[], R>(name: string, fn: (...args: A) => R, options: NamedFrameOptions = {}): (...args: A) => R {
  if (typeof fn !== "function") throw new TypeError(`Cannot wrap "${name}": fn must be a function: current value is ${typeof fn}`);
  const rec = getRecorder();
  const id = rec.registerFrame(namedFrame(name, options, rec));
  const wrapped = function (this: unknown, ...args: A): R {
    const d = rec.enter(id);
    try {
      return fn.apply(this, args);
    } finally {
      rec.exit(d);
    }
  };
  Object.defineProperty(wrapped, "name", { value: fn.name || name });
  return wrapped;
}

/**
 * Runs `block` now, shown in the profile under `name`, and returns what it
 * returns. The frame is made once per name (where it was first used).
 *
 * @example
 * ```ts
 * import { profiledBlock } from "tsprof/portable";
 * const total = profiledBlock("sum", () => [1, 2, 3].reduce((a, b) => a + b, 0));
 * ```
 */
export function profiledBlock<R>(name: string, block: () => R, options: NamedFrameOptions = {}): R {
  const rec = getRecorder();
  const key = `${name}\u0000${options.file ?? ""}\u0000${options.line ?? ""}`;
  let id = blockFrames.get(rec)?.get(key);
  if (id === undefined) {
    id = rec.registerFrame(namedFrame(name, options, rec));
    let byKey = blockFrames.get(rec);
    if (!byKey) blockFrames.set(rec, (byKey = new Map()));
    byKey.set(key, id);
  }
  const d = rec.enter(id);
  try {
    return block();
  } finally {
    rec.exit(d);
  }
}

/** Frame ids of named blocks, per recorder. */
const blockFrames = new WeakMap<Recorder, Map<string, number>>();

function namedFrame(name: string, options: NamedFrameOptions, rec: Recorder): Frame {
  if (typeof name !== "string" || name === "") throw new TypeError(`Cannot name a frame: name must be a non-empty string: current value is ${JSON.stringify(name)}`);
  let site = options.file === undefined ? callSite() : undefined;
  // Called from instrumented code (a bundle built with the esbuild plugin),
  // the caller's source file is the frame on top of the shadow stack; the
  // Error stack names the bundle (in a page, an http: URL that reads as
  // library code and was hidden). Its line is only kept where the two agree.
  const caller = rec.depth > 0 ? rec.frames[rec.stack[rec.depth - 1]!]?.file : undefined;
  if (caller !== undefined && site?.file !== caller) site = { file: caller, line: 0 };
  const file = options.file ?? site?.file;
  const line = options.line ?? site?.line;
  const frame: { -readonly [K in keyof Frame]: Frame[K] } = { name, kind: "js" };
  if (file !== undefined) frame.file = file;
  if (line !== undefined && line > 0) frame.line = line;
  return frame;
}

/**
 * Where the API was called from, read off an Error's stack (V8's
 * `at f (file:1:2)`, JavaScriptCore's and SpiderMonkey's `f@file:1:2`): the
 * first position in another file than this module's.
 */
function callSite(): { file: string; line: number } | undefined {
  const stack = new Error().stack ?? "";
  const sites: { file: string; line: number }[] = [];
  for (const line of stack.split("\n")) {
    const m = /(?:\(|@|at )((?:[a-z][a-z0-9+.-]*:\/\/|\/)[^\s()]*?):(\d+):\d+\)?\s*$/i.exec(line);
    if (m) sites.push({ file: normalizeFile(m[1]!), line: Number(m[2]) });
  }
  const own = sites[0]?.file;
  return sites.find((s) => s.file !== own);
}

function runtimeVersion(): string {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; Bun?: { version?: string }; process?: { versions?: { node?: string } }; navigator?: { userAgent?: string } };
  if (g.Deno?.version?.deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`;
  // A browser: its name and version out of the user agent.
  const ua = g.navigator?.userAgent ?? "";
  const browser = /(Firefox|Edg|HeadlessChrome|Chrome|Version)\/([\d.]+)/.exec(ua);
  if (browser) return `${browser[1] === "Version" ? "safari" : browser[1]!.replace("Headless", "").replace("Edg", "edge").toLowerCase()} ${browser[2]}`;
  return ua || "unknown";
}

function cpuTimeMs(): number | undefined {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (typeof p?.cpuUsage !== "function") return undefined;
  const u = p.cpuUsage();
  return (u.user + u.system) / 1000;
}
