/**
 * The exit code a shell gives a process a signal ended: 128 plus the
 * signal's number on this system (`SIGABRT` is 134 on Linux, `SIGUSR2` 140).
 *
 * @module
 */
import { constants } from "node:os";

/**
 * 128 + the number of `signal` (a name such as `SIGTERM`); 128 for a name
 * this system does not know.
 *
 * @example
 * ```ts
 * import { signalExitCode } from "./signal_exit_code.ts";
 * signalExitCode("SIGINT"); // 130
 * ```
 */
export function signalExitCode(signal: string): number {
  return 128 + ((constants.signals as Record<string, number | undefined>)[signal] ?? 0);
}
