/**
 * The Bun backend: JavaScriptCore's sampling profiler through `bun:jsc`.
 *
 * Why `bun:jsc` and not Bun's `node:inspector`: it hands samples over
 * synchronously, so a profile survives `process.exit()` (the inspector
 * answers asynchronously, too late for an `exit` handler), and its positions
 * are already TypeScript lines. Its stack dumps are large (~16 KB a sample on
 * deep stacks), so they are drained every 100 ms and interned at once: only
 * the compact profile is kept.
 *
 * JSC takes no samples while the thread waits, so the gaps between samples
 * are filled with idle time; the weights then add up to the wall time.
 *
 * @module
 */
import * as jsc from "bun:jsc";
import process from "node:process";
import type { Backend, BackendStartOptions, Recording } from "../../src/backend.ts";
import { TsprofError } from "../../src/errors.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { IDLE_FRAME, type Frame } from "../../src/format/types.ts";

interface JscFrame {
  readonly name: string;
  readonly sourceURL: string;
  readonly location: string;
  /** Line being executed (1-based), 2^32-1 when unknown. */
  readonly line: number;
  readonly column: number;
  readonly category: string;
}
interface JscTrace {
  /** Seconds on the monotonic clock. */
  readonly timestamp: number;
  /** Innermost first. */
  readonly frames: readonly JscFrame[];
}
interface JscTraces {
  readonly traces: readonly JscTrace[];
}

declare const Bun: { version: string };

const UNKNOWN = 4294967295;
const DRAIN_EVERY_MS = 100;

/** A function as JSC names it: file, name and code-block hash. */
interface LocalFrame {
  readonly name: string;
  readonly file: string | undefined;
  readonly native: boolean;
  /** Lowest line seen executing: the nearest we get to the definition. */
  line: number;
  col: number;
}

/**
 * Creates a backend that samples the calling Bun thread.
 *
 * @example
 * ```ts
 * import { bunBackend } from "./mod.ts";
 * const backend = bunBackend();
 * await backend.start({ intervalMs: 1 });
 * const recording = backend.stopSync();
 * ```
 */
export function bunBackend(): Backend & { stopSync(): Recording } {
  let run: Run | undefined;
  const stopSync = (): Recording => {
    if (!run) throw new TsprofError("PROFILER_NOT_RUNNING", "Cannot stop bun profiler: it is not running");
    const r = run;
    run = undefined;
    return r.finish();
  };
  return {
    name: "bun",
    runtimeVersion: Bun.version,
    async start(options: BackendStartOptions = {}) {
      if (run) throw new TsprofError("PROFILER_ALREADY_RUNNING", "Cannot start bun profiler: it is already running");
      run = new Run(options.intervalMs ?? 1);
    },
    async stop() {
      return stopSync();
    },
    stopSync,
  };
}

/**
 * JSC's sampler cannot be stopped once started, and it buffers every sample
 * until drained. Between recordings a slow timer empties the buffer so that
 * it cannot grow without bound; this is the runtime's state, so it lives here.
 */
let discardTimer: ReturnType<typeof setInterval> | undefined;

function discardBetweenRecordings(on: boolean): void {
  if (on && !discardTimer) {
    discardTimer = setInterval(() => jsc.samplingProfilerStackTraces(), 1000);
    (discardTimer as { unref?: () => void }).unref?.();
  } else if (!on && discardTimer) {
    clearInterval(discardTimer);
    discardTimer = undefined;
  }
}

/** One recording: drains JSC's buffer into a compact profile as it goes. */
class Run {
  readonly #intervalMs: number;
  readonly #builder = new ProfileBuilder("main");
  readonly #frames: LocalFrame[] = [];
  readonly #frameIds = new Map<string, number>();
  readonly #startTime = Date.now();
  readonly #t0 = performance.now();
  readonly #cpu0: number;
  readonly #timer: ReturnType<typeof setInterval>;
  /** performance.now() minus JSC's clock, in ms. */
  #offset = 0;
  /** The sample waiting for the next one to know its weight. */
  #pending: { stack: number; leaf: number; line: number; at: number } | undefined;
  /** Time covered so far, relative to performance.now(). */
  #covered: number;
  #idleStack = -1;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
    const u = process.cpuUsage();
    this.#cpu0 = (u.user + u.system) / 1000;
    this.#covered = this.#t0;
    discardBetweenRecordings(false);
    jsc.startSamplingProfiler(undefined, Math.max(1, Math.round(intervalMs * 1000)));
    // Samples from before this recording are not ours.
    jsc.samplingProfilerStackTraces();
    this.#calibrate();
    this.#timer = setInterval(() => this.#drain(), DRAIN_EVERY_MS);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /**
   * JSC stamps samples on the system's monotonic clock; spin until the first
   * sample to learn its offset from performance.now() (within a sample).
   */
  #calibrate(): void {
    const deadline = performance.now() + 50;
    for (;;) {
      const traces = (jsc.samplingProfilerStackTraces() as JscTraces).traces;
      const last = traces[traces.length - 1];
      if (last) {
        this.#offset = performance.now() - last.timestamp * 1000;
        return;
      }
      if (performance.now() > deadline) return;
    }
  }

  #drain(): void {
    const traces = (jsc.samplingProfilerStackTraces() as JscTraces).traces;
    for (const t of traces) this.#add(t);
  }

  #frameId(f: JscFrame): number {
    // The hash in "#EoE7sP:FTL:bc#32" names the function's code block, the
    // same in every JIT tier: it tells apart same-named functions in a file.
    const hash = f.location.startsWith("#") ? f.location.slice(1, f.location.indexOf(":")) : "";
    const key = `${f.sourceURL}\u0000${f.name}\u0000${hash}`;
    let id = this.#frameIds.get(key);
    const line = f.line === UNKNOWN ? 0 : f.line;
    const col = f.column === UNKNOWN ? 0 : f.column;
    if (id === undefined) {
      id = this.#frames.length;
      this.#frames.push({ name: f.name || "(anonymous)", file: f.sourceURL || undefined, native: !f.sourceURL, line, col });
      this.#frameIds.set(key, id);
    } else if (line > 0) {
      const lf = this.#frames[id]!;
      if (lf.line === 0 || line < lf.line) {
        lf.line = line;
        lf.col = col;
      }
    }
    return id;
  }

  #add(t: JscTrace): void {
    const at = t.timestamp * 1000 + this.#offset;
    let stack = -1;
    for (let i = t.frames.length - 1; i >= 0; i--) stack = this.#builder.internStack(stack, this.#frameId(t.frames[i]!));
    const leafFrame = t.frames[0];
    const leaf = leafFrame ? this.#frameId(leafFrame) : -1;
    const line = leafFrame && leafFrame.line !== UNKNOWN ? leafFrame.line : 0;
    this.#flush(at);
    this.#pending = { stack, leaf, line, at };
  }

  /** Gives the pending sample its weight now that time `until` is reached. */
  #flush(until: number): void {
    const p = this.#pending;
    const gapLimit = 3 * this.#intervalMs;
    if (!p) {
      // Before the first sample: the thread was waiting or starting up.
      this.#idle(Math.max(0, until - this.#covered));
      this.#covered = Math.max(this.#covered, until);
      return;
    }
    const delta = Math.max(0, until - p.at);
    const busy = delta > gapLimit ? this.#intervalMs : delta;
    this.#builder.addStackSample(p.stack, busy);
    if (p.leaf >= 0 && p.line > 0) this.#builder.addLineTime(p.leaf, p.line, busy);
    this.#idle(delta - busy);
    this.#covered = until;
    this.#pending = undefined;
  }

  #idle(ms: number): void {
    if (ms <= 0) return;
    if (this.#idleStack === -1) this.#idleStack = this.#builder.internStack(-1, this.#frameId(IDLE_JSC));
    this.#builder.addStackSample(this.#idleStack, ms);
  }

  finish(): Recording {
    clearInterval(this.#timer);
    this.#drain();
    discardBetweenRecordings(true);
    const end = performance.now();
    this.#flush(end);
    const u = process.cpuUsage();
    const built = this.#builder.build();
    const frames: Frame[] = this.#frames.map((f) => {
      if (f.name === IDLE_FRAME.name && f.file === undefined) return IDLE_FRAME;
      const out: { -readonly [K in keyof Frame]: Frame[K] } = { name: f.name, kind: f.native ? "native" : "js" };
      if (f.file !== undefined) out.file = f.file;
      if (f.line > 0) out.line = f.line;
      if (f.line > 0 && f.col > 0) out.col = f.col;
      return out;
    });
    return {
      profile: { ...built, frames },
      startTime: this.#startTime,
      durationMs: end - this.#t0,
      cpuTimeMs: (u.user + u.system) / 1000 - this.#cpu0,
    };
  }
}

const IDLE_JSC: JscFrame = { name: IDLE_FRAME.name, sourceURL: "", location: "", line: UNKNOWN, column: UNKNOWN, category: "" };
