/**
 * Turns SIGINT, SIGTERM and SIGHUP into exits with the shell's code for them
 * (130, 143, 129), so the process's exit path runs and the profile is
 * written. A script that listens for a signal itself decides what happens,
 * as it would without tsprof.
 *
 * @module
 */
import process from "node:process";


/**
 * Installs the handlers in the calling process (Node or Bun); `seen` is
 * called first whenever one runs (the process is not stuck).
 */
export function exitOnSignals(seen?: () => void): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    process.on(signal, () => {
      seen?.();
      if (process.listenerCount(signal) > 1) return;
      process.exit(code);
    });
  }
}
