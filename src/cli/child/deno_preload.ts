/**
 * Runs inside a Deno process profiled with `--cpu-prof`: Deno writes that
 * profile on a normal end, `Deno.exit()` and uncaught errors, but not when a
 * signal kills it, so SIGINT and SIGTERM become `Deno.exit(130/143)` unless
 * the script listens for them itself. It also notes the CPU time used, which
 * the `.cpuprofile` does not carry.
 *
 * @module
 */
// No `node:` module here, nor in what this imports, but for the await marks:
// the first one a Deno process imports starts Deno's Node compatibility
// layer, which costs more than `--cpu-prof` itself, and only the marks
// (`module.registerHooks`) are worth it (`test/architecture_test.ts`).
import { type AwaitsNotEdited, CHILD_ENV, type ChildConfig } from "../protocol.ts";
import { exitOnDenoSignals } from "./deno_signals.ts";
import { toolPathsFrom } from "../../tool_paths.ts";
import { normalizeFile } from "../../paths.ts";
import { packWaits } from "../../async/packed_waits.ts";
import { installStuckHook, noteSignalSeenBy } from "./stuck_answer.ts";

declare const Deno: {
  writeTextFileSync(path: string, text: string): void;
  readTextFileSync(path: string | URL): string;
  renameSync(from: string, to: string): void;
  pid: number;
  cpuUsage(): { user: number; system: number };
  env: { get(name: string): string | undefined; delete(name: string): void };
};

const raw = Deno.env.get(CHILD_ENV);
// The script must not see tsprof's settings, nor pass them to its children.
Deno.env.delete(CHILD_ENV);
const config = raw ? (JSON.parse(raw) as ChildConfig) : undefined;
if (config) {
  // Where the program waits (see src/async/): the CLI charges the waits to the profile. The
  // marks import node:module, so Deno's Node layer starts only with await attribution on.
  let marked = false;
  const awaitsNotEdited: AwaitsNotEdited[] = [];
  try {
    marked = config.async !== false && (await import("./await_marks.ts")).installAwaitMarks({
      deno: true,
      onTooLarge: (big) => awaitsNotEdited.push(big),
      readText: (file) => Deno.readTextFileSync(file),
      // Whole or not at all: another run may read it meanwhile.
      keep: { dir: config.awaitsCacheDir, write: (path, text) => (Deno.writeTextFileSync(`${path}.${Deno.pid}.tmp`, text), Deno.renameSync(`${path}.${Deno.pid}.tmp`, path)) },
    }) !== undefined;
  } catch {
    // A Deno whose Node layer or hooks fail here: the tracker looks at each promise's maker instead.
  }
  const awaits = config.async === false ? undefined : (await import("../../../runtimes/deno/awaits.ts")).trackDenoAwaits({
    minMs: config.intervalMs / 4,
    // Paths as the tracker normalizes the frames' files.
    toolPaths: toolPathsFrom(import.meta.url, normalizeFile),
    marked,
  });
  // The profile's clock is not the waits' (performance.now()): a few ms
  // spent in a function of a known name, at a known time, tie them together.
  const mark = awaits ? tsprof$clockMark() : undefined;
  const noteEnd = () => {
    const u = Deno.cpuUsage();
    // The profile ends as the process does, right after this: `end` ties the clocks where the mark cannot.
    const waits = awaits ? { waits: packWaits(awaits.waits()), mark, end: performance.now() } : {};
    const big = awaitsNotEdited.length > 0 ? { awaitsNotEdited } : {};
    Deno.writeTextFileSync(config.out, JSON.stringify({ cpuTimeMs: (u.user + u.system) / 1000, ...waits, ...big }));
  };
  globalThis.addEventListener("unload", noteEnd);
  // An uncaught error or rejection skips the unload event; one that stops the module
  // graph from loading reaches no listener, which tells the CLI the program never started.
  globalThis.addEventListener("error", noteEnd);
  globalThis.addEventListener("unhandledrejection", noteEnd);
}

const scriptHandles = exitOnDenoSignals(config ? () => noteSignalSeenBy(Deno.writeTextFileSync, config.out) : undefined);
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
