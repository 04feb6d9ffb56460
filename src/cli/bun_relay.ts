/**
 * `bunx tsprof` starts the bin under Node (its shebang says node) although
 * the user asked for Bun, so the Node process relays to a Bun one. The relay
 * must stay invisible: it passes every signal on, waits for Bun's report,
 * ends with Bun's exit status, and leaves nothing running when it is itself
 * killed (Bun watches it: see {@linkcode endWithRelay}).
 * `bunx --bun tsprof` needs no relay.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import process from "node:process";
import { NO_REEXEC_ENV, RELAY_PID_ENV, signalExitCode } from "./protocol.ts";

/** Signals the relay passes on; SIGKILL and SIGSTOP cannot be caught. */
const RELAYED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2", "SIGWINCH", "SIGCONT", "SIGTSTP"] as const;

/** Runs `bun args...` with the terminal as it is and returns the exit code to end with. */
export function relayToBun(bun: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(bun, args, {
      stdio: "inherit",
      env: { ...process.env, [NO_REEXEC_ENV]: "1", [RELAY_PID_ENV]: String(process.pid) },
    });
    const handlers = RELAYED.map((signal) => {
      // Ctrl-C in a terminal reaches Bun too (one process group): passing it
      // on again is harmless, tsprof treats a repeated signal as one.
      const h = () => {
        try {
          child.kill(signal);
        } catch {
          // Bun has ended; its exit is on its way.
        }
      };
      process.on(signal, h);
      return [signal, h] as const;
    });
    child.on("error", (e) => {
      process.stderr.write(`tsprof: cannot start bun ("${bun}"): ${e.message}\n`);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? (signal ? signalExitCode(signal, constants.signals) : 1));
    });
  });
}

/**
 * In the Bun process a relay started: when the relay is gone (killed
 * outright, so Bun is re-parented), end as on SIGTERM, which also ends the
 * profiled script.
 */
export function endWithRelay(relayPid: number): void {
  const timer = setInterval(() => {
    if (process.ppid === relayPid) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
  }, 250);
  // Never what keeps the process alive.
  (timer as { unref?: () => void }).unref?.();
}
