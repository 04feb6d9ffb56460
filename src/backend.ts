/**
 * The port every backend implements. A backend only starts, stops and turns
 * its raw samples into the shared format; everything else is the core's.
 *
 * @module
 */
import type { Profile, Session, SessionMeta } from "./format/types.ts";

/**
 * Which backend recorded a profile.
 *
 * @example
 * ```ts
 * import { loadBackend, type BackendName } from "tsprof/backend";
 * const name: BackendName = (await loadBackend("auto")).name; // "node", "deno" or "bun" here
 * ```
 */
export type BackendName = "node" | "deno" | "bun" | "portable";

/**
 * Options for {@linkcode Backend.start}.
 *
 * @example
 * ```ts
 * import { loadBackend, type BackendStartOptions } from "tsprof/backend";
 * const options: BackendStartOptions = { intervalMs: 0.5 };
 * const backend = await loadBackend("auto");
 * await backend.start(options);
 * await backend.stop();
 * ```
 */
export interface BackendStartOptions {
  /**
   * Sampling interval in milliseconds. 1 ms costs a few percent on every
   * runtime; 0.1 ms about 20%.
   * @default {1}
   */
  intervalMs?: number;
  /**
   * Charge the time the thread spends waiting to the `await`s that waited
   * (`[await]` frames), where the backend can (Node): see src/async/.
   * @default {true}
   */
  async?: boolean;
  /**
   * The program's `await`s are marked as its modules load (the CLI's loader,
   * `src/cli/child/await_marks.ts`): waits are recorded at those only, which
   * costs less than telling them from every other promise.
   * @internal
   */
  awaitMarks?: boolean;
}

/**
 * What a backend hands back when it stops.
 *
 * @example
 * ```ts
 * import { loadBackend, type Recording } from "tsprof/backend";
 * const backend = await loadBackend("auto");
 * await backend.start();
 * const recording: Recording = await backend.stop();
 * // recording.durationMs: the wall time between start and stop
 * ```
 */
export interface Recording {
  /** The samples, weighted by wall-clock time, idle included. */
  readonly profile: Profile;
  /** When recording started, in ms since the Unix epoch. */
  readonly startTime: number;
  /** Wall-clock milliseconds between start and stop. */
  readonly durationMs: number;
  /** CPU milliseconds the process used meanwhile, where the runtime tells. */
  readonly cpuTimeMs?: number;
  /** Problems worth telling the user about. */
  readonly warnings?: readonly string[];
}

/**
 * A sampler for one runtime.
 *
 * @example
 * ```ts
 * import type { Backend } from "tsprof/backend";
 * async function record(backend: Backend, work: () => void) {
 *   await backend.start({ intervalMs: 1 });
 *   work();
 *   return await backend.stop();
 * }
 * ```
 */
export interface Backend {
  /** Which backend this is. */
  readonly name: BackendName;
  /** Version of the runtime it samples. */
  readonly runtimeVersion: string;
  /** Starts sampling the calling thread. */
  start(options?: BackendStartOptions): Promise<void>;
  /** Stops sampling and returns what was recorded. */
  stop(): Promise<Recording>;
  /**
   * Stops synchronously, for `exit` handlers. Present only where the runtime
   * can hand the profile over synchronously (Node's inspector, `bun:jsc`).
   */
  stopSync?(): Recording;
}

/** Minimal shape of an inspector session (`node:inspector`'s `Session`). */
export interface InspectorSession {
  post(method: string, params: object | undefined, callback: (err: Error | null, result?: unknown) => void): void;
}

/**
 * What the caller knows about a recording that the backend does not.
 *
 * @example
 * ```ts
 * import type { RecordingContext } from "tsprof/backend";
 * const context: RecordingContext = { intervalMs: 1, command: ["main.ts"], cwd: "/app", exitCode: 0 };
 * ```
 */
export interface RecordingContext {
  /** Interval the backend was started with, in ms. */
  readonly intervalMs: number;
  /** The command profiled. */
  readonly command?: readonly string[];
  /** Working directory, for relative paths. */
  readonly cwd?: string;
  /** Exit code of the program, if it ended. */
  readonly exitCode?: number;
}

/**
 * Wraps a backend's recording into a session.
 *
 * @example
 * ```ts
 * import { recordingToSession, type Backend } from "tsprof/backend";
 * async function profileOnce(backend: Backend) {
 *   await backend.start();
 *   return recordingToSession(backend, await backend.stop(), { intervalMs: 1 });
 * }
 * ```
 */
export function recordingToSession(
  backend: Pick<Backend, "name" | "runtimeVersion">,
  recording: Recording,
  context: RecordingContext,
): Session {
  const meta: SessionMeta = {
    runtime: backend.name,
    runtimeVersion: backend.runtimeVersion,
    intervalMs: context.intervalMs,
    startTime: recording.startTime,
    durationMs: recording.durationMs,
    ...(recording.cpuTimeMs !== undefined ? { cpuTimeMs: recording.cpuTimeMs } : {}),
    ...(context.command ? { command: context.command } : {}),
    ...(context.cwd ? { cwd: context.cwd } : {}),
    ...(context.exitCode !== undefined ? { exitCode: context.exitCode } : {}),
    ...(recording.warnings && recording.warnings.length > 0 ? { warnings: recording.warnings } : {}),
  };
  return { version: 1, meta, profiles: [recording.profile] };
}
