/**
 * The library's profiler: start, stop, a session back; restartable; a block
 * profiled by scope with `await using`; `profileWith` for one function.
 *
 * Why a host: a profiler needs a backend, and the core (src/) must not import
 * runtimes/. So this class takes a {@linkcode ProfilerHost} that loads the
 * backend and knows the process (working directory, files, stderr);
 * `runtimes/bound_api.ts` supplies the one for the runtime at hand, and that
 * bound class is what `mod.ts` exports as `Profiler`. Tests and embedders may
 * pass their own backend through {@linkcode ProfilerOptions.backend}.
 *
 * @module
 */
import { type Backend, recordingToSession } from "./backend.ts";
import { TsprofError, writeFailed } from "./errors.ts";
import { asWritten } from "./format/microseconds.ts";
import type { Profile, Session } from "./format/types.ts";
import { sessionWithRuntimeLabels } from "./import/runtime_time.ts";
import { codeOrigin } from "./paths.ts";
import type { RenderOptions } from "./render/registry.ts";
import { rendererForSave, renderSession } from "./render/output.ts";
import { VERSION } from "./version.ts";

/**
 * Loads a backend on demand.
 *
 * @example
 * ```ts
 * import { Profiler } from "tsprof";
 * import { loadBackend, type BackendLoader } from "tsprof/backend";
 * const loader: BackendLoader = () => loadBackend("auto");
 * const profiler = new Profiler({ backend: loader });
 * ```
 */
export type BackendLoader = () => Promise<Backend>;

/**
 * Options for a {@linkcode Profiler} and for `profile()`.
 *
 * @example
 * ```ts
 * import { Profiler, type ProfilerOptions } from "tsprof";
 * const options: ProfilerOptions = { intervalMs: 0.5, description: "import phase", onStop: (s) => console.log(s.meta.durationMs) };
 * const profiler = new Profiler(options);
 * ```
 */
export interface ProfilerOptions {
  /**
   * Sampling interval in milliseconds.
   * @default {1}
   */
  intervalMs?: number;
  /** A line for the report header, e.g. what was profiled. */
  description?: string;
  /**
   * Charge waiting time to the `await`s that waited (Node); `false` leaves it `(idle)`.
   * @default {true}
   */
  async?: boolean;
  /** The backend to record with, or how to load it. Default: the one for this runtime. */
  backend?: Backend | BackendLoader;
  /**
   * Called with the session each time the profiler stops. When a profiler
   * with no `onStop` ends by `await using`, its console report goes to
   * stderr instead.
   */
  onStop?: (session: Session) => void | Promise<void>;
}

/**
 * What a profiler needs from the process it runs in.
 *
 * @example
 * ```ts
 * import { Profiler as ProfilerCore, type ProfilerHost } from "./profiler.ts";
 * import { loadBackend } from "tsprof/backend";
 * const host: ProfilerHost = { loadBackend: () => loadBackend("auto"), cwd: () => "/app" };
 * const profiler = new ProfilerCore({ intervalMs: 1 }, host);
 * ```
 */
export interface ProfilerHost {
  /** Loads the backend for this runtime. */
  loadBackend(): Promise<Backend>;
  /** Working directory, so that reports show paths relative to it. */
  cwd?(): string;
  /** Writes a file whole (or not at all). */
  writeFile?(path: string, data: string | Uint8Array): Promise<void>;
  /** Shows a report when a scoped profiler ends with nobody to hand it to. */
  report?(session: Session, render: (renderer: string, options?: RenderOptions) => string | Uint8Array): void | Promise<void>;
  /** Where tsprof's own code lives, so its frames are left out of reports. */
  readonly toolPaths?: readonly string[];
}

/**
 * Options for {@linkcode Profiler.save}.
 *
 * @example
 * ```ts
 * import { profile, saveSession, type SaveOptions } from "tsprof";
 * const { session } = await profile(() => [3, 1, 2].sort());
 * const options: SaveOptions = { renderer: "speedscope" };
 * await saveSession(session, "sort.profile", options);
 * ```
 */
export interface SaveOptions extends RenderOptions {
  /** Renderer name; by default the file name's ending decides (`.html`, `.speedscope.json`, `.json`, `.tsprof`, `.txt`). */
  renderer?: string;
}

/**
 * What {@linkcode profileWith} and `profile()` hand back.
 *
 * @example
 * ```ts
 * import { profile, type ProfileResult } from "tsprof";
 * const run: ProfileResult<number> = await profile(() => 6 * 7);
 * // run.result === 42; run.session holds the profile
 * ```
 */
export interface ProfileResult<T> {
  /** What the function returned (awaited). */
  readonly result: T;
  /** The profile of the call. */
  readonly session: Session;
}

/** What `profileWith` and the HTTP wrappers need of a profiler: start, then stop for a session. */
export interface ProfilerLike {
  start(): Promise<unknown>;
  stop(): Promise<Session>;
}

const NO_HOST: ProfilerHost = {
  loadBackend: () => Promise.reject(new TsprofError("UNSUPPORTED_RUNTIME", "Cannot start profiler: no backend given and none for this runtime")),
};

type State = "idle" | "starting" | "running" | "stopping";

/**
 * Records the calling thread between {@linkcode Profiler.start} and
 * {@linkcode Profiler.stop}. Restartable: each stop returns the session of
 * that run. With `await using`, the end of the block stops it.
 *
 * @example
 * ```ts
 * import { Profiler } from "tsprof";
 * import { loadBackend } from "tsprof/backend";
 * const profiler = new Profiler({ backend: () => loadBackend("auto") });
 * await profiler.start();
 * JSON.stringify(Array.from({ length: 1e5 }, (_, i) => ({ i })));
 * const session = await profiler.stop();
 * console.log(profiler.render("console"));
 * ```
 */
export class Profiler {
  readonly #options: ProfilerOptions;
  readonly #host: ProfilerHost;
  #backend: Backend | undefined;
  #state: State = "idle";
  #starting: Promise<void> | undefined;
  #last: Session | undefined;
  /** How long the backend took to start, ms: the most time trimmed from the front. */
  #startMs = 0;

  /**
   * A stopped profiler.
   *
   * @param options how to record
   * @param host what the runtime provides; `mod.ts`'s `Profiler` passes it
   */
  constructor(options: ProfilerOptions = {}, host: ProfilerHost = NO_HOST) {
    const interval = options.intervalMs ?? 1;
    if (!(interval > 0 && interval <= 1000)) throw new RangeError(`Cannot create profiler: intervalMs must be above 0 and at most 1000: got ${interval}`);
    this.#options = { ...options, intervalMs: interval };
    this.#host = host;
  }

  /** True between {@linkcode start} and {@linkcode stop}. */
  get isRunning(): boolean {
    return this.#state !== "idle";
  }

  /** The session of the last completed run, if any. */
  get lastSession(): Session | undefined {
    return this.#last;
  }

  /**
   * Starts recording. Resolves to the profiler itself, so that
   * `await using p = await new Profiler().start()` reads as one line.
   *
   * @throws {TsprofError} `PROFILER_ALREADY_RUNNING` if it is running;
   *   `UNSUPPORTED_RUNTIME` where no backend can run
   */
  start(): Promise<this> {
    if (this.#state !== "idle") {
      return Promise.reject(new TsprofError("PROFILER_ALREADY_RUNNING", "Cannot start profiler: it is already running (stop it first)"));
    }
    this.#state = "starting";
    this.#starting = (async () => {
      try {
        const backend = await this.#loadBackend();
        const t0 = performance.now();
        await backend.start({ intervalMs: this.#options.intervalMs!, ...(this.#options.async === false ? { async: false } : {}) });
        this.#startMs = performance.now() - t0;
        this.#backend = backend;
        this.#state = "running";
      } catch (e) {
        this.#state = "idle";
        throw e;
      }
    })();
    return this.#starting.then(() => this);
  }

  /**
   * Stops recording and returns the session of this run (also kept as
   * {@linkcode lastSession}).
   *
   * @throws {TsprofError} `PROFILER_NOT_RUNNING` if it was not started
   */
  async stop(): Promise<Session> {
    if (this.#state === "idle" || this.#state === "stopping") {
      throw new TsprofError("PROFILER_NOT_RUNNING", "Cannot stop profiler: it is not running (start it first)");
    }
    const wasStarting = this.#state === "starting";
    this.#state = "stopping";
    if (wasStarting) {
      try {
        await this.#starting;
      } catch (e) {
        this.#state = "idle";
        throw e;
      }
    }
    const backend = this.#backend!;
    let session: Session;
    try {
      const slack = 2 * this.#options.intervalMs! + 2;
      const recording = trimToolEdges(await backend.stop(), this.#host.toolPaths, { leadMs: this.#startMs + slack, tailMs: slack });
      session = recordingToSession(backend, recording, { intervalMs: this.#options.intervalMs!, ...(this.#host.cwd ? { cwd: this.#host.cwd() } : {}) });
    } finally {
      this.#state = "idle";
    }
    // Where tsprof's code lives travels with the session, so a saved file hides those frames too.
    const toolPaths = this.#host.toolPaths;
    const description = this.#options.description;
    session = { ...session, meta: { ...session.meta, ...(toolPaths ? { toolPaths } : {}), ...(description !== undefined ? { description } : {}) } };
    // Time the report cannot show in code frames, labelled (the CLI does it as it shows a session).
    // In whole microseconds, as a saved file holds it: a report of it is the report of its file.
    session = asWritten(sessionWithRuntimeLabels(session));
    this.#last = session;
    await this.#options.onStop?.(session);
    return session;
  }

  /**
   * Renders the last session with any renderer of the registry: `console`
   * (the default), `json`, `speedscope`, `session`, `html` where present.
   *
   * @throws {TsprofError} `NO_SESSION` before the first stop
   * @throws {TsprofError} `UNKNOWN_RENDERER` for an unknown renderer
   */
  render(renderer = "console", options: RenderOptions = {}): string | Uint8Array {
    return renderSession(this.#session("render"), renderer, this.#renderOptions(options));
  }

  /**
   * Writes the last session to `path`, in the format its name asks for
   * (`.html`, `.speedscope.json`, `.json`, `.tsprof`, `.txt`) or
   * `options.renderer`. The file is written whole or not at all.
   *
   * @returns the renderer used
   * @throws {TsprofError} `NO_SESSION` before the first stop
   * @throws {TsprofError} `UNKNOWN_RENDERER` when the format cannot be told, `WRITE_FAILED` when the file cannot be written
   */
  async save(path: string, options: SaveOptions = {}): Promise<string> {
    const session = this.#session("save");
    const renderer = rendererForSave(path, options.renderer);
    if (!this.#host.writeFile) throw new TsprofError("UNSUPPORTED_RUNTIME", "Cannot save: this runtime gives no file access");
    const data = renderer.render(session, this.#renderOptions(options));
    await this.#host.writeFile(path, data).catch((e: unknown) => {
      throw writeFailed(path, e);
    });
    return renderer.name;
  }

  /**
   * Ends an `await using` block: stops if running. Without `onStop`, the
   * console report goes to stderr (as pyinstrument's `with profile():`).
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state === "idle") return;
    const session = await this.stop();
    if (!this.#options.onStop && this.#host.report) {
      await this.#host.report(session, (renderer, options) => renderSession(session, renderer, this.#renderOptions(options ?? {})));
    }
  }

  #session(what: string): Session {
    if (!this.#last) throw new TsprofError("NO_SESSION", `Cannot ${what}: the profiler has not recorded a session yet (call stop() first)`);
    return this.#last;
  }

  #renderOptions(options: RenderOptions): RenderOptions {
    return { version: VERSION, ...(this.#host.toolPaths ? { toolPaths: this.#host.toolPaths } : {}), ...options };
  }

  #loadBackend(): Promise<Backend> {
    if (this.#backend) return Promise.resolve(this.#backend);
    const b = this.#options.backend;
    if (b === undefined) return this.#host.loadBackend();
    return typeof b === "function" ? b() : Promise.resolve(b);
  }
}

/**
 * Drops the samples at either end of a recording that were taken inside
 * tsprof's own start and stop calls (whose innermost non-runtime frame is
 * tsprof's), within `limits`: at most the time the start call took at the
 * front, a few intervals at the end. Beyond those, a sample in tsprof's
 * frames stays: an engine may attribute a wrapped handler's time to the
 * wrapper (the HTTP integrations call the app from inside tsprof). V8 registers every function already
 * compiled when its profiler starts, which takes 100 ms and more in a large
 * process; that time is not the caller's code.
 */
export function trimToolEdges<R extends { readonly profile: Profile; readonly durationMs: number; readonly startTime: number }>(
  recording: R,
  toolPaths: readonly string[] | undefined,
  limits: { readonly leadMs: number; readonly tailMs: number } = { leadMs: Infinity, tailMs: Infinity },
): R {
  if (!toolPaths || toolPaths.length === 0) return recording;
  const p = recording.profile;
  const toolStack = new Map<number, boolean>();
  const isTool = (stack: number): boolean => {
    let known = toolStack.get(stack);
    if (known !== undefined) return known;
    // The innermost frame of code that is not the runtime's decides.
    known = false;
    for (let s = stack; s !== -1; s = p.stacks.parent[s]!) {
      const file = p.frames[p.stacks.frame[s]!]!.file;
      if (codeOrigin(file) === "runtime") continue;
      known = toolPaths.some((t) => file!.startsWith(t));
      break;
    }
    toolStack.set(stack, known);
    return known;
  };
  let from = 0;
  let to = p.samples.length;
  let lead = 0;
  let tail = 0;
  while (from < to && isTool(p.samples[from]!) && lead + p.weights[from]! <= limits.leadMs) lead += p.weights[from++]!;
  while (to > from && isTool(p.samples[to - 1]!) && tail + p.weights[to - 1]! <= limits.tailMs) tail += p.weights[--to]!;
  if (from === 0 && to === p.samples.length) return recording;
  const profile: Profile = { ...p, samples: p.samples.slice(from, to), weights: p.weights.slice(from, to) };
  return { ...recording, profile, startTime: recording.startTime + lead, durationMs: Math.max(0, recording.durationMs - lead - tail) };
}

/**
 * Runs `fn` (sync or async) under a new profiler and returns its result
 * with the session. If `fn` throws, the profiler is stopped (and `onStop`
 * called) before the error is passed on.
 *
 * @example
 * ```ts
 * import { Profiler, profileWith } from "./profiler.ts";
 * import { loadBackend } from "tsprof/backend";
 * const { result, session } = await profileWith(
 *   (o) => new Profiler({ ...o, backend: () => loadBackend("auto") }),
 *   () => [3, 1, 2].sort(),
 * );
 * ```
 */
export async function profileWith<T>(
  create: (options: ProfilerOptions) => ProfilerLike,
  fn: () => T | Promise<T>,
  options: ProfilerOptions = {},
): Promise<ProfileResult<Awaited<T>>> {
  const profiler = create(options);
  await profiler.start();
  let result: Awaited<T>;
  try {
    result = await fn();
  } catch (e) {
    await profiler.stop();
    throw e;
  }
  const session = await profiler.stop();
  return { result, session };
}
