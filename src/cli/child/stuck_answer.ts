/**
 * The part of `stuck_hook.ts` that needs none of Node's modules, for Deno's
 * preload: importing any `node:` module costs a Deno process the start of
 * its Node compatibility layer, more than `--cpu-prof` itself.
 *
 * @module
 */
import { signalSeenPath, STUCK_HOOK, type StuckAnswer } from "../protocol.ts";

/** Installs the hook in the calling process. */
export function installStuckHook(answer: (signal: string) => StuckAnswer): void {
  Object.defineProperty(globalThis, Symbol.for(STUCK_HOOK), { value: answer, enumerable: false, configurable: true });
}

/** Leaves the note that a signal handler ran, written with `write`; never throws. */
export function noteSignalSeenBy(write: (path: string, text: string) => void, out: string): void {
  try {
    write(signalSeenPath(out), "");
  } catch {
    // The run's folder is gone: the CLI is ending anyway.
  }
}
