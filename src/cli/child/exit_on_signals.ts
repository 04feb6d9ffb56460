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
  // The exit of before the program ran: a program may replace `process.exit`
  // (vitest's workers report a call as the test's error, and then, their
  // parent gone, loop on it), but the signal would have ended it anyway.
  const exit = process.exit.bind(process);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    process.on(signal, () => {
      seen?.();
      if (process.listenerCount(signal) > 1) return;
      exit(code);
    });
  }
}
