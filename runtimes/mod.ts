/**
 * `tsprof/backend`: the engine backends, for those who record without the
 * {@linkcode Profiler} class or write a backend of their own. A backend
 * records the calling thread between `start()` and `stop()`;
 * {@linkcode recordingToSession} turns what it recorded into a session.
 *
 * @example Record with the backend for this runtime
 * ```ts
 * import { loadBackend, recordingToSession } from "tsprof/backend";
 * const backend = await loadBackend("auto");
 * await backend.start({ intervalMs: 1 });
 * JSON.stringify(Array.from({ length: 1e5 }, (_, i) => ({ i })));
 * const session = recordingToSession(backend, await backend.stop(), { intervalMs: 1 });
 * ```
 *
 * @module
 */
export type { Backend, BackendName, BackendStartOptions, Recording, RecordingContext } from "../src/backend.ts";
export { recordingToSession } from "../src/backend.ts";
export type { BackendLoader } from "../src/profiler.ts";
export { detectRuntime, loadBackend, type RuntimeName } from "./auto.ts";
