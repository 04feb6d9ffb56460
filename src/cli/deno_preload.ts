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

declare const Deno: {
  writeTextFileSync(path: string, text: string): void;
};

const raw = process.env[CHILD_ENV];
// The script must not see tsprof's settings, nor pass them to its children.
delete process.env[CHILD_ENV];
if (raw) {
  const config = JSON.parse(raw) as ChildConfig;
  const noteEnd = () => {
    const u = process.cpuUsage();
    Deno.writeTextFileSync(config.out, JSON.stringify({ cpuTimeMs: (u.user + u.system) / 1000 }));
  };
  globalThis.addEventListener("unload", noteEnd);
  // An uncaught error skips the unload event; one that stops the module
  // graph from loading reaches no listener, which tells the CLI the program never started.
  process.on("uncaughtExceptionMonitor", noteEnd);
}

exitOnDenoSignals();
