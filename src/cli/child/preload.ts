/**
 * Runs inside the profiled Node process (`--import`) before the script:
 * starts the backend and makes sure the profile is written however the
 * process ends. Node's inspector stops synchronously, so the `exit` handler
 * covers a normal end, `exit(n)`, an uncaught error and the signals turned
 * into exits.
 *
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import nodeModule from "node:module";
import { constants } from "node:os";
import process from "node:process";
import { isMainThread, threadId } from "node:worker_threads";
import { loadBackend } from "../../../runtimes/auto.ts";
import { writeCacheFileSync } from "../../../runtimes/_files.ts";
import { type Recording, recordingToSession } from "../../backend.ts";
import { sessionToJson } from "../../format/session_json.ts";
import { type AwaitsNotEdited, awaitsNotEditedWarning, CHILD_ENV, type ChildConfig, childMapsPath, removeOwnFlags, workerSessionPath, signalExitCode } from "../protocol.ts";
import { exitOnSignals } from "./exit_on_signals.ts";
import { installStuckHook, noteSignalSeen } from "./stuck_hook.ts";
import { collectRuntimeMaps, registerLineHooks } from "./child_maps.ts";
import type { AwaitMarks } from "./await_marks.ts";
import { nodeCanRunEntry } from "../node_typescript.ts";
import { noteLoadErrors } from "./load_errors.ts";
import { type PhaseTimer, phaseTimer, TIMINGS_ENV } from "../timings.ts";
import { coordinateWorkers, threadSettings, workerFlushes } from "./worker_threads.ts";
import { endOwnThreads, noteOwnThread } from "./own_threads.ts";

// A worker thread gets the settings from the main thread (see worker_threads.ts).
const raw = threadSettings(process.env[CHILD_ENV]);
// The script must not see tsprof's settings, nor pass them to its children.
delete process.env[CHILD_ENV];

const config = raw ? (JSON.parse(raw) as ChildConfig) : undefined;
// Worker threads still get the preload: Node gives them the process's own flags, not this array.
if (isMainThread && config?.ownFlags) removeOwnFlags(process.execArgv, config.ownFlags);
// Worker threads are recorded with the Node backend only: the portable one
// instruments modules through loader hooks, which workers do not share.
if (config && (isMainThread || (config.backend ?? "auto") === "auto")) {
  const backend = await loadBackend(config.backend ?? "auto");
  if (backend.name === "portable") {
    // The portable backend samples what instrumentation reports: instrument
    // every module loaded from here on (the script and its imports).
    if (typeof (globalThis as { Bun?: unknown }).Bun !== "undefined") (await import("../../../runtimes/portable/bun_loader.ts")).installBunLoader();
    else {
      const { hooksThreadId } = (await import("../../../runtimes/portable/node_loader.ts")).installNodeLoader();
      // Started by tsprof, unless tsx (which a direct run has too) started it first.
      if (hooksThreadId !== undefined && !config.tsxImported) noteOwnThread(hooksThreadId);
    }
  }
  const stopSync = backend.stopSync?.bind(backend);
  if (!stopSync) throw new Error(`tsprof: the ${backend.name} backend cannot stop synchronously`);
  // Node runs the TypeScript entry itself unless its syntax needs tsx (see node_typescript.ts).
  const tsx = config.tsxFallback !== undefined && isMainThread && !nodeCanRunEntry(process.argv[1] ?? "");
  if (tsx) await import(config.tsxFallback!);
  if (backend.name === "node" && isMainThread) registerLineHooks(tsx);
  // After tsx's hooks: the code marked is the code Node runs. Node 20 marks on its loader thread,
  // for the main thread only: a worker records its waits with promise hooks.
  const inThreadHooks = typeof (nodeModule as { registerHooks?: unknown }).registerHooks === "function";
  const awaitsNotEdited: AwaitsNotEdited[] = [];
  const marking = backend.name === "node" && config.async !== false && (inThreadHooks || isMainThread);
  // Before any module is edited: whether the edits' maps must lead to the code as it came.
  const codeMaps = marking && (await import("./edited_stacks.ts")).keepStackPositions();
  const marksOptions = {
    codeMaps,
    readText: (file: string | URL) => readFileSync(file, "utf8"),
    onTooLarge: (big: AwaitsNotEdited) => void awaitsNotEdited.push(big),
    keep: { dir: config.awaitsCacheDir, write: (path: string, text: string) => void writeCacheFileSync(path, text) },
  };
  let marks: AwaitMarks | undefined;
  if (marking) {
    if (inThreadHooks) marks = (await import("./await_marks.ts")).installAwaitMarks(marksOptions);
    else {
      const onThread = (await import("./await_marks_thread.ts")).installThreadAwaitMarks(marksOptions);
      // Node 20's hooks thread, started here unless tsx (which a direct run has too) started it first.
      if (onThread !== undefined && !config.tsxImported && !tsx) noteOwnThread(onThread.hooksThreadId);
      marks = onThread;
    }
  }
  // The backend stops its sampler in an `exit` listener of its own, before
  // writeAtExit's: the child's phases are timed from the exit's start (only
  // for the bench: no listener is added to the program's otherwise).
  let exitTimer: PhaseTimer | undefined;
  if (isMainThread && process.env[TIMINGS_ENV]) process.on("exit", () => void (exitTimer ??= phaseTimer("child")));
  await backend.start({ intervalMs: config.intervalMs, async: config.async !== false, awaitMarks: marks !== undefined });
  // Threads started from here on are the program's (--backend portable: see own_threads.ts).
  if (isMainThread) endOwnThreads();
  const write = (out: string, recorded: Recording, code?: number) => {
    // First: Node 20's loader thread tells of the modules too large to mark with the maps.
    const editedMaps = marks?.maps();
    const warnings = [...(recorded.warnings ?? []), ...awaitsNotEdited.map(awaitsNotEditedWarning)];
    const recording = warnings.length > 0 ? { ...recorded, warnings } : recorded;
    const session = recordingToSession(backend, recording, {
      intervalMs: config.intervalMs,
      command: config.command,
      cwd: process.cwd(),
      exitCode: typeof code === "number" ? code : Number(process.exitCode ?? 0),
    });
    // Maps of code transformed in memory (tsx): the CLI maps positions with them.
    if (backend.name === "node") writeFileSync(childMapsPath(out), JSON.stringify(collectRuntimeMaps(session, editedMaps)));
    // Whole when it appears: the CLI starts reading it while this process ends (run_child.ts).
    writeFileSync(`${out}.part`, sessionToJson(session));
    renameSync(`${out}.part`, out);
  };
  if (isMainThread) {
    noteLoadErrors(config.out);
    // Node only: Bun runs no preload in its workers.
    const flushWorkers = backend.name === "node" ? coordinateWorkers(raw!) : () => 0;
    let written = false;
    const writeAtExit = (code: number) => {
      if (written) return;
      written = true;
      const timer = exitTimer ?? phaseTimer("child");
      // Stopped first: the wait for workers below is not the program's time.
      const recording = stopSync();
      timer.mark("stop");
      const lost = flushWorkers();
      const warning = `${lost} worker thread${lost === 1 ? " was" : "s were"} still busy when the process ended and could not write ${lost === 1 ? "its" : "their"} profile`;
      write(config.out, lost > 0 ? { ...recording, warnings: [...(recording.warnings ?? []), warning] } : recording, code);
      timer.mark("write");
      timer.flush();
    };
    process.on("exit", writeAtExit);
    // A signal while the thread spins: the CLI pauses it and asks here.
    installStuckHook((signal) => {
      if (process.listenerCount(signal) > 1) return "own";
      writeAtExit(signalExitCode(signal, constants.signals));
      return "written";
    });
    exitOnSignals(() => noteSignalSeen(config.out));
  } else {
    workerFlushes(() => write(workerSessionPath(config.out, threadId), stopSync()));
  }
}
