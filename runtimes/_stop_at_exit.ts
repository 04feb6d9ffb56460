/**
 * Stops a backend's sampler as the process exits, if it is still running.
 * Exiting (`process.exit()`) with V8's sampler running in an inspector
 * session crashes Node 20 and 24 with SIGSEGV in about one exit in three,
 * so a program that profiles itself and exits without stopping would crash.
 * The recording is held: a `stopSync()` in a later `exit` listener (tsprof's
 * own preload, or the user's) still gets it, ending when the first listener ran.
 *
 * @module
 */
import type { Backend, BackendStartOptions, Recording } from "../src/backend.ts";

/** Adds an `exit` listener; returns the function that removes it. */
export type OnExit = (listener: () => void) => () => void;

/**
 * `backend`, stopped at the process's exit when its user did not stop it.
 *
 * @example
 * ```ts
 * import process from "node:process";
 * import { stoppedAtExit } from "./_stop_at_exit.ts";
 * import type { Backend, Recording } from "../src/backend.ts";
 * declare const sampler: Backend & { stopSync(): Recording };
 * const backend = stoppedAtExit(sampler, (f) => (process.on("exit", f), () => process.off("exit", f)));
 * ```
 */
export function stoppedAtExit(backend: Backend & { stopSync(): Recording }, onExit: OnExit): Backend & { stopSync(): Recording } {
  let held: Recording | undefined;
  let off: (() => void) | undefined;
  const release = () => {
    off?.();
    off = undefined;
  };
  const take = () => {
    const recording = held;
    held = undefined;
    return recording;
  };
  return {
    name: backend.name,
    runtimeVersion: backend.runtimeVersion,
    async start(options?: BackendStartOptions) {
      await backend.start(options);
      off = onExit(() => {
        off = undefined;
        try {
          held = backend.stopSync();
        } catch {
          // Stopped some other way meanwhile: nothing is running to crash the exit.
        }
      });
    },
    stop() {
      release();
      const recording = take();
      return recording ? Promise.resolve(recording) : backend.stop();
    },
    stopSync() {
      release();
      return take() ?? backend.stopSync();
    },
  };
}
