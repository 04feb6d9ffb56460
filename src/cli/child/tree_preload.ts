/**
 * Runs inside every process of a profiled command (`tsprof -- <command>`):
 * Node through `NODE_OPTIONS=--import`, Bun through `BUN_OPTIONS=--preload`, Deno
 * through `--preload` added by the `deno` shim on PATH. Each process records
 * itself with the library backend and writes its own session into the run's
 * directory; the CLI merges them.
 *
 * When the session is written:
 * - Node: in the `exit` handler (its inspector stops synchronously), so every
 *   exit path counts, and signals become exits.
 * - Bun: after the last test under `bun test` (a global `afterAll`: `bun test`
 *   fires no `exit` event), else at `beforeExit`. A Bun process that ends by
 *   `process.exit()` is not recorded (its inspector answers asynchronously).
 * - Deno: at `beforeunload`, once per `deno test` module (each runs in its own
 *   isolate). A module or script that ends by `Deno.exit()` is not recorded.
 *
 * Unlike the script preloads, this one leaves tsprof's setting in the
 * environment, so that the processes this one starts are profiled too.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { constants } from "node:os";
import process from "node:process";
import { isMainThread } from "node:worker_threads";
import { detectRuntime, loadBackend } from "../../../runtimes/auto.ts";
import { type Backend, type Recording, recordingToSession } from "../../backend.ts";
import { sessionToJson } from "../../format/session_json.ts";
import { BUN_PROFILES, CHILD_ENV, type ChildConfig, childMapsPath, DENO_CPU_PROF_ENV, DENO_PROFILES, DENO_SUBCOMMAND_ENV, signalExitCode } from "../protocol.ts";
import { exitOnDenoSignals } from "./deno_signals.ts";
import { exitOnSignals } from "./exit_on_signals.ts";
import { installStuckHook, noteOwnSignals, noteSignalSeen, registerTreeProcess } from "./stuck_hook.ts";
import { busyReading, mainThreadNote } from "./bun_busy.ts";
import type { BusyReading } from "../../import/thread_busy.ts";

declare const Deno: { mainModule: string } | undefined;

const ONCE = Symbol.for("tsprof.treePreload");

function readConfig(): ChildConfig | undefined {
  try {
    const raw = process.env[CHILD_ENV];
    const config = raw ? (JSON.parse(raw) as ChildConfig) : undefined;
    return config?.dir ? config : undefined;
  } catch {
    // Deno without --allow-env: not profiled.
    return undefined;
  }
}

/** The process as the report names it: runtime and arguments, paths relative to the working directory. */
function processName(runtime: string, testRunner: boolean): string {
  const cwd = process.cwd();
  // Paths near the working directory relative to it; others (/usr/bin/npm) by their name.
  const show = (a: string) => {
    if (!a.startsWith("/")) return a;
    const rel = relative(cwd, a) || ".";
    return rel.startsWith("../../") ? basename(a) : rel;
  };
  if (runtime === "deno" && typeof Deno !== "undefined") {
    const main = Deno.mainModule.startsWith("file://") ? show(decodeURIComponent(new URL(Deno.mainModule).pathname)) : Deno.mainModule;
    // The deno shim says which subcommand runs the module (`deno test a_test.ts`).
    return `deno ${process.env[DENO_SUBCOMMAND_ENV] ?? "run"} ${main}`;
  }
  if (testRunner) return `${runtime} test`;
  // Bun shows BUN_OPTIONS' flags in argv and execArgv: leave tsprof's out (see run_tree.ts).
  const own = (a: string) => runtime === "bun" && /^--(?:cpu-prof(?:-dir|-interval)?|preload)(?:=|$)/.test(a);
  let args = process.argv.slice(1).filter((a) => !own(a)).map(show);
  // node --test's runner and `bun -e` have no script: their flags say what they are.
  if (args.length === 0) args = process.execArgv.filter((a) => !own(a) && !/^--(import|require|loader|experimental-loader)\b/.test(a) && !a.includes("tsprof"));
  const name = `${runtime} ${args.join(" ")}`.trim();
  return name.length > 120 ? `${name.slice(0, 117)}...` : name;
}

/**
 * Starts the backend; false when the engine's profiler is already running,
 * which on Bun means its --cpu-prof records the process.
 */
async function started(backend: Backend, intervalMs: number, runtime: string): Promise<boolean> {
  try {
    await backend.start({ intervalMs });
    return true;
  } catch (e) {
    if (runtime === "bun" && /profiler is running/i.test(String((e as Error).message))) return false;
    throw e;
  }
}

async function bunTestAfterAll(): Promise<((fn: () => Promise<void>) => void) | undefined> {
  try {
    const t = (await import("bun:test" as string)) as { afterAll: (fn: () => Promise<void>) => void };
    // Outside `bun test`, afterAll throws: find out without registering anything lasting.
    return (fn) => t.afterAll(fn);
  } catch {
    return undefined;
  }
}

const config = readConfig();
const g = globalThis as { [ONCE]?: boolean };
if (config && isMainThread && !g[ONCE]) {
  g[ONCE] = true;
  const runtime = detectRuntime();
  // Before the backend loads: Bun's busy time before its profile began is not the program's.
  const early = runtime === "bun" ? busyReading() : undefined;
  // SIGUSR1 then opens the inspector on a free port, not 9229: how a stuck process is ended
  // (stuck_child.ts). Set here, not as --inspect-port in NODE_OPTIONS (see run_tree.ts).
  if (runtime === "node") process.debugPort = 0;
  const denoCpuProf = process.env[DENO_CPU_PROF_ENV] === "1";
  // Its children are not all `deno run`: the shim sets it again for each.
  delete process.env[DENO_CPU_PROF_ENV];
  if (runtime === "deno" && denoCpuProf) describeForDenoCpuProf(config);
  else {
    const backend = await loadBackend("auto");
    if (await started(backend, config.intervalMs, runtime)) await recordInProcess(backend, config, runtime);
    else describeForCpuProf(config, runtime, early);
  }
}

/**
 * Deno's --cpu-prof records this `deno run` (the shim added it): it writes
 * the profile on every exit path but a signal's. Say at once what the
 * process is, and make signals exits.
 */
function describeForDenoCpuProf(config: ChildConfig): void {
  const dir = join(config.dir!, DENO_PROFILES);
  mkdirSync(dir, { recursive: true });
  const main = typeof Deno !== "undefined" && Deno.mainModule.startsWith("file:") ? decodeURIComponent(new URL(Deno.mainModule).pathname) : undefined;
  writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ name: processName("deno", false), main, version: process.versions.deno ?? "", startTime: Date.now() }));
  const note = registerTreeProcess(config.dir!, "kill");
  exitOnDenoSignals(() => noteSignalSeen(note));
}

/**
 * Bun's --cpu-prof is recording this process (see run_tree.ts) and writes
 * its profile: say what the process is and how it ended.
 */
function describeForCpuProf(config: ChildConfig, runtime: string, early: BusyReading | undefined): void {
  const dir = config.dir!;
  process.on("exit", (code) => {
    // `bun test` ignores --cpu-prof, so this is never its runner.
    const name = processName(runtime, false);
    const exitCode = typeof code === "number" ? code : Number(process.exitCode ?? 0);
    mkdirSync(join(dir, BUN_PROFILES), { recursive: true });
    writeFileSync(join(dir, BUN_PROFILES, `${process.pid}.json`), JSON.stringify({ name, exitCode, version: process.versions.bun ?? "", ...mainThreadNote(early) }));
  });
  const note = registerTreeProcess(dir, "kill");
  exitOnSignals(() => noteSignalSeen(note));
  noteOwnSignals(note, ["SIGINT", "SIGTERM", "SIGHUP"]);
}

/** Records with the backend already started, and writes the session however the process ends. */
async function recordInProcess(backend: Backend, config: ChildConfig, runtime: string): Promise<void> {
  const dir = config.dir!;
  let testRunner = false;
  let written = false;
  // Node: the maps only this process knows go beside its session (see child_maps.ts).
  const maps = backend.name === "node" ? await import("./child_maps.ts") : undefined;
  const write = (recording: Recording, exitCode?: number) => {
    written = true;
    const session = recordingToSession(backend, recording, {
      intervalMs: config.intervalMs,
      command: config.command,
      cwd: process.cwd(),
      ...(exitCode !== undefined ? { exitCode } : {}),
    });
    const name = processName(runtime, testRunner);
    const named = { ...session, profiles: session.profiles.map((p) => ({ ...p, name })) };
    const file = join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.json`);
    if (maps) writeFileSync(childMapsPath(file), JSON.stringify(maps.collectRuntimeMaps(named)));
    writeFileSync(file, sessionToJson(named));
  };
  const stopSync = backend.stopSync?.bind(backend);
  if (stopSync) {
    process.on("exit", (code) => {
      if (!written) write(stopSync(), typeof code === "number" ? code : Number(process.exitCode ?? 0));
    });
    // A signal while the thread spins: the CLI pauses it and asks here (stuck_child.ts).
    const note = registerTreeProcess(dir, runtime === "node" ? "node" : "kill");
    installStuckHook((signal) => {
      if (process.listenerCount(signal) > 1) return "own";
      if (!written) write(stopSync(), signalExitCode(signal, constants.signals));
      return "written";
    });
    exitOnSignals(() => noteSignalSeen(note));
  } else if (runtime === "bun") {
    const register = await bunTestAfterAll();
    try {
      register?.(async () => {
        if (!written) write(await backend.stop());
      });
      testRunner = register !== undefined;
    } catch {
      testRunner = false;
    }
    if (!testRunner) {
      process.on("beforeExit", () => {
        if (written) return;
        written = true;
        backend.stop().then((r) => write(r, Number(process.exitCode ?? 0)));
      });
    }
  } else {
    globalThis.addEventListener("beforeunload", () => {
      if (written) return;
      written = true;
      backend.stop().then((r) => write(r));
    });
  }
}
