/**
 * Runs inside a Deno process profiled with `--cpu-prof`: Deno writes that
 * profile on a normal end, `Deno.exit()` and uncaught errors, but not when a
 * signal kills it, so SIGINT and SIGTERM become `Deno.exit(130/143)` unless
 * the script listens for them itself. It also notes the CPU time used, which
 * the `.cpuprofile` does not carry.
 *
 * @module
 */
import process from "node:process";
import { CHILD_ENV, type ChildConfig } from "./child_config.ts";
import { exitOnDenoSignals } from "./deno_signals.ts";
import { installStuckHook, noteSignalSeen } from "./stuck_hook.ts";

declare const Deno: {
  writeTextFileSync(path: string, text: string): void;
};

const raw = process.env[CHILD_ENV];
// The script must not see tsprof's settings, nor pass them to its children.
delete process.env[CHILD_ENV];
const config = raw ? (JSON.parse(raw) as ChildConfig) : undefined;
if (config) {
  const noteEnd = () => {
    const u = process.cpuUsage();
    Deno.writeTextFileSync(config.out, JSON.stringify({ cpuTimeMs: (u.user + u.system) / 1000 }));
  };
  globalThis.addEventListener("unload", noteEnd);
  // An uncaught error skips the unload event; one that stops the module
  // graph from loading reaches no listener, which tells the CLI the program never started.
  process.on("uncaughtExceptionMonitor", noteEnd);
}

const scriptHandles = exitOnDenoSignals(config ? () => noteSignalSeen(config.out) : undefined);
// A signal while the thread spins: the CLI pauses it and asks here. Deno
// cannot exit from inside a pause, so the CLI then ends the script with
// the inspector's terminateExecution, after which Deno writes the profile.
installStuckHook((signal) => {
  if (scriptHandles(signal)) return "own";
  // The ended script shows as an unhandled rejection: it is not the script's error.
  globalThis.addEventListener("unhandledrejection", (e) => e.preventDefault());
  return "terminate";
});
