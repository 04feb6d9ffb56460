/**
 * Runs inside a Bun process profiled with `bun --cpu-prof`: Bun writes that
 * profile on a normal end, `process.exit()` and uncaught errors, but not when
 * a signal kills it, so signals become exits; it also notes the CPU time
 * used and how long the main thread was busy (`bun_busy.ts`), which the
 * `.cpuprofile` does not carry.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import process from "node:process";
import { type BunThreadNote, CHILD_ENV, type ChildConfig, removeOwnFlags } from "../protocol.ts";
import { busyReading, mainThreadNote } from "./bun_busy.ts";
import { exitOnSignals } from "./exit_on_signals.ts";
import { noteOwnSignals, noteSignalSeen } from "./stuck_hook.ts";
import { noteLoadErrors } from "./load_errors.ts";
import { recordBunAwaits } from "./bun_awaits.ts";
import { toolPathsFrom } from "../../tool_paths.ts";
import { normalizeFile } from "../../paths.ts";
import { packWaits } from "../../async/packed_waits.ts";

declare const Bun: { main: string };

// First: what the thread did before the profile began is not the program's.
const early = busyReading();
const raw = process.env[CHILD_ENV];
// The script must not see tsprof's settings, nor pass them to its children.
delete process.env[CHILD_ENV];
const config = raw ? (JSON.parse(raw) as ChildConfig) : undefined;
if (config?.ownFlags) removeOwnFlags(process.execArgv, config.ownFlags);
if (config) {
  noteLoadErrors(config.out);
  const tooLarge: { path: string; chars: number }[] = [];
  // Where the program waits (see src/async/): the CLI charges the waits to the profile.
  const awaits = config.async === false
    ? undefined
    : await recordBunAwaits(Bun.main, {
      minMs: config.intervalMs / 4,
      toolPaths: toolPathsFrom(import.meta.url, normalizeFile),
      cacheDir: config.awaitsCacheDir,
      onTooLarge: (path, chars) => tooLarge.push({ path, chars }),
    });
  // The program's modules are edited by then: what was sampled meanwhile (the parser) is tsprof's.
  const setupEnd = performance.now();
  process.on("exit", () => {
    const u = process.cpuUsage();
    const waits = awaits ? { waits: packWaits(awaits.tracker.waits()), editInserts: awaits.inserts } : {};
    // The profile's clock is the epoch's (µs): the waits' and the set-up's (performance.now()) starts at timeOrigin.
    const note: BunThreadNote = { ...mainThreadNote(early), setupEnd, timeOrigin: performance.timeOrigin };
    writeFileSync(config.out, JSON.stringify({ cpuTimeMs: (u.user + u.system) / 1000, ...note, ...waits, ...(tooLarge.length > 0 ? { awaitsNotEdited: tooLarge } : {}) }));
  });
}
exitOnSignals(config ? () => noteSignalSeen(config.out) : undefined);
// Bun cannot be paused and asked (stuck_child.ts): say ahead which signals the script keeps.
if (config) noteOwnSignals(config.out, ["SIGINT", "SIGTERM", "SIGHUP"]);
