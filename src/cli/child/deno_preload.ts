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
import { CHILD_ENV, type ChildConfig } from "../protocol.ts";
import { exitOnDenoSignals } from "./deno_signals.ts";
import { fileURLToPath } from "node:url";
import { toolPathsFrom } from "../../tool_paths.ts";
import { installStuckHook, noteSignalSeen } from "./stuck_hook.ts";

declare const Deno: {
  writeTextFileSync(path: string, text: string): void;
};

const raw = process.env[CHILD_ENV];
// The script must not see tsprof's settings, nor pass them to its children.
delete process.env[CHILD_ENV];
const config = raw ? (JSON.parse(raw) as ChildConfig) : undefined;
if (config) {
  // Where the program waits (see src/async/): the CLI charges the waits to the profile.
  const awaits = config.async === false ? undefined : (await import("../../../runtimes/deno/awaits.ts")).trackDenoAwaits({
    minMs: config.intervalMs / 4,
    toolPaths: toolPathsFrom(import.meta.url, fileURLToPath),
  });
  // The profile's clock is not the waits' (performance.now()): a few ms
  // spent in a function of a known name, at a known time, tie them together.
  const mark = awaits ? tsprof$clockMark() : undefined;
  const noteEnd = () => {
    const u = process.cpuUsage();
    // The profile ends as the process does, right after this: `end` ties the clocks where the mark cannot.
    const waits = awaits ? { waits: awaits.waits(), mark, end: performance.now() } : {};
    Deno.writeTextFileSync(config.out, JSON.stringify({ cpuTimeMs: (u.user + u.system) / 1000, ...waits }));
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

/** Runs for 3 ms, so that the sampler records it (see `src/cli/child_awaits.ts`); returns when it began. */
function tsprof$clockMark(): number {
  const t = performance.now();
  while (performance.now() - t < 3);
  return t;
}
