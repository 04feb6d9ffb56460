/**
 * Runs the user's script in a child process of the same runtime, with the
 * profiler preloaded, and hands back how it ended. The child gets the
 * terminal as it is (stdin, stdout, stderr), so the script sees no
 * difference; only tsprof's own output goes elsewhere.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, type FSWatcher, rmSync, statSync, watch } from "node:fs";
import { basename, join, resolve } from "node:path";
import { constants } from "node:os";
import process from "node:process";
import nodeModule from "node:module";
import { fileURLToPath } from "node:url";
import type { RuntimeName } from "../../runtimes/auto.ts";
import { UsageError } from "./args.ts";
import type { StuckOutcome } from "./stuck_child.ts";
import { CHILD_ENV, type ChildConfig, cpuProfFlags, TREE_PROCESSES, signalExitCode } from "./protocol.ts";
import { signalSeenSince } from "./signal_notes.ts";
import { runTempDir } from "./output_file.ts";
import { nodeRunsTypeScript } from "./node_typescript.ts";
import { shellLine } from "../render/shell_quote.ts";
import { privateCacheDir } from "./cache_dir.ts";

/** How the child ended and where its profile is. */
export interface ChildResult {
  /** Exit code the CLI should end with (128 + signal number for a signal). */
  readonly exitCode: number;
  /** The run's temporary directory, which the caller removes. */
  readonly dir: string;
  /**
   * What the preload wrote: the session (Node), or on Deno and Bun, whose
   * profile is the `.cpuprofile` in `dir`, the CPU time.
   */
  readonly outFile: string;
  /** Epoch ms when the child was started. */
  readonly startTime: number;
  /** The child's process id: its `--cpu-prof` files carry it (a process it forks may write there too). */
  readonly pid?: number;
  /** Set when a signal found the child stuck in synchronous code and tsprof ended it (see stuck_child.ts). */
  readonly stuck?: StuckOutcome & { readonly signal: string };
}

/** After a signal, how long the child has to end by itself before it is taken for stuck, ms. */
const STUCK_AFTER_MS = 350;
const TS_EXTENSIONS = /\.(?:ts|mts|cts|tsx)$/;
/** Names of profiles tsprof reads, which no runtime runs: a user who gives one means `tsprof view`. */
const PROFILE_FILE = /\.(?:tsprof|cpuprofile|speedscope\.json|pb\.gz|pprof)$/i;

/** A preload of the profiled process: in child/ from source, beside this module in the npm build. */
function sibling(name: string, extension = "js"): string {
  const fromSource = import.meta.url.endsWith(".ts");
  return fileURLToPath(new URL(fromSource ? `./child/${name}.ts` : `./${name}.${extension}`, import.meta.url));
}

/** What makes a folder runnable as a script on Node or Bun. */
const FOLDER_ENTRIES = ["package.json", "index.js", "index.cjs", "index.mjs", "index.ts", "index.tsx", "index.json", "index.node"];

/** A child's command line, and which of its runtime flags are tsprof's (see `ChildConfig.ownFlags`). */
export interface ChildArgv {
  readonly argv: string[];
  readonly ownFlags: string[];
}

/** The argv that runs `command` under the profiler on `runtime`. */
export function childArgv(runtime: RuntimeName, command: readonly string[], intervalMs: number, dir: string, backend: ChildConfig["backend"] = "auto", async = true): ChildArgv {
  const [script, ...args] = command;
  if (script === undefined) throw new UsageError("no script given");
  if (!existsSync(script)) throw new UsageError(`cannot find the script "${script}"`);
  // Node and Bun run a folder by its package.json or index file, as `node <folder>` does.
  if (statSync(script).isDirectory() && !FOLDER_ENTRIES.some((f) => existsSync(join(script, f)))) throw new UsageError(`"${script}" is a folder, not a script`);
  if (PROFILE_FILE.test(script)) throw new UsageError(`"${script}" is a profile, not a script: to open it, run tsprof view ${shellLine([script])}`);
  const exec = process.execPath;
  switch (runtime) {
    case "node": {
      const loader = tsxImported(runtime, script, backend) ? ["--import", import.meta.resolve("tsx")] : [];
      // The portable backend starts threads of its own, and so do Node 20's await marks (a hooks
      // thread: see await_marks_thread.ts): the program must not see their ids.
      const ownThreads = backend === "portable" || (async && typeof (nodeModule as { registerHooks?: unknown }).registerHooks !== "function");
      const threads = ownThreads ? ["--require", sibling("threads_preload", "cjs")] : [];
      // SIGUSR1 opens the inspector on a free port, quietly: how a stuck child is ended (stuck_child.ts).
      const preload = ["--import", pathToImport(sibling("preload"))];
      return { argv: [exec, "--inspect-port=0", "--inspect-publish-uid=http", ...threads, ...loader, ...preload, script, ...args], ownFlags: ["--inspect-port=0", "--inspect-publish-uid=http", ...threads, ...preload] };
    }
    case "bun":
      // The portable backend records in-process and writes a session, as on Node.
      return ownFlagsThen(exec, backend === "portable"
        ? ["--preload", sibling("threads_preload", "cjs"), "--preload", sibling("preload")]
        : [...cpuProfFlags(dir, intervalMs), "--preload", sibling("bun_preload")], script, args);
    case "deno":
      // Deno shows the program no execArgv: there is nothing to take out.
      return {
        argv: [
          // Deno has no SIGUSR1: the inspector listens from the start, on loopback, quietly (stuck_child.ts).
          exec, "run", "-A", "--inspect=127.0.0.1:0", "--inspect-publish-uid=http", ...cpuProfFlags(dir, intervalMs),
          "--preload", sibling("deno_preload"), script, ...args,
        ],
        ownFlags: [],
      };
    default:
      throw new UsageError("cannot run a script on this runtime");
  }
}

/** A child's command line whose runtime flags are all tsprof's. */
function ownFlagsThen(exec: string, ownFlags: string[], script: string, args: readonly string[]): ChildArgv {
  return { argv: [exec, ...ownFlags, script, ...args], ownFlags };
}

/** Node runs the TypeScript script itself (see node_typescript.ts); the portable backend's hooks expect JavaScript. */
function nodeRunsScript(runtime: RuntimeName, script: string | undefined, backend: ChildConfig["backend"]): boolean {
  return runtime === "node" && backend !== "portable" && script !== undefined && nodeRunsTypeScript(script);
}

/** Node is given tsx with `--import`: a TypeScript entry that Node does not run itself. */
function tsxImported(runtime: RuntimeName, script: string | undefined, backend: ChildConfig["backend"]): boolean {
  return runtime === "node" && script !== undefined && TS_EXTENSIONS.test(script) && !nodeRunsScript(runtime, script, backend);
}

function pathToImport(path: string): string {
  return new URL(`file://${resolve(path)}`).href;
}

/**
 * Runs the command and waits for it. SIGINT and SIGTERM sent to tsprof are
 * passed on; a script run directly that does not end soon after and whose
 * signal handler never ran is stuck in synchronous code, and is ended from
 * outside with its profile (stuck_child.ts). A child still running after a
 * third Ctrl-C is killed. `written` is called when a Node child's session is
 * whole at `outFile`, possibly before the child has exited.
 */
export function runChild(
  runtime: RuntimeName,
  command: readonly string[],
  intervalMs: number,
  backend: ChildConfig["backend"] = "auto",
  tree?: (dir: string) => { argv: string[]; env: Record<string, string> },
  async = true,
  written?: (outFile: string, dir: string) => void,
): Promise<ChildResult> {
  const dir = runTempDir();
  // A run that cannot start (no such script, no such command) leaves no folder behind.
  const discard = () => rmSync(dir, { recursive: true, force: true });
  const out = join(dir, "session.json");
  let setup: ReturnType<NonNullable<typeof tree>> | undefined;
  let argv: string[];
  let ownFlags: string[] | undefined;
  try {
    // `tsprof -- <command>`: every process of the command writes into `dir`.
    setup = tree?.(dir);
    const direct = setup ? undefined : childArgv(runtime, command, intervalMs, dir, backend, async);
    argv = setup?.argv ?? direct!.argv;
    ownFlags = direct?.ownFlags;
  } catch (e) {
    discard();
    throw e;
  }
  const config: ChildConfig = {
    out,
    intervalMs,
    command: [...command],
    ...(backend !== "auto" ? { backend } : {}),
    ...(!setup && nodeRunsScript(runtime, command[0], backend) ? { tsxFallback: import.meta.resolve("tsx") } : {}),
    ...(!setup && tsxImported(runtime, command[0], backend) ? { tsxImported: true } : {}),
    ...(async ? {} : { async: false }),
    // Bun's edits of the program's sources, Node's and Deno's of the code they load: each runtime's own.
    ...(!setup && async && backend !== "portable" ? { awaitsCacheDir: privateCacheDir(runtime === "bun" ? "awaits" : `marks-${runtime}`) } : {}),
    ...(setup ? { dir } : {}),
    ...(ownFlags && ownFlags.length > 0 ? { ownFlags } : {}),
  };
  const startTime = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: "inherit",
      env: { ...process.env, ...setup?.env, [CHILD_ENV]: JSON.stringify(config) },
    });
    // Ctrl-C in a terminal reaches the child directly (same process group);
    // a signal sent to tsprof alone is passed on if the child has not seen it
    // shortly after (its preload notes each one it handles), so that a program
    // still shutting down gracefully never gets the same signal twice.
    let interrupts = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    // Deno sets signalCode when kill() is called, not when the child ends: count the exit itself.
    let exited = false;
    const running = () => !exited;
    const later = (ms: number, f: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (running()) f();
      }, ms);
      timers.add(t);
    };
    let ending: Promise<void> | undefined;
    let stuck: ChildResult["stuck"];
    // A signal that comes twice at once (a terminal's, and a relay passing it on: bun_relay.ts) is one.
    const lastAt = new Map<string, number>();
    const forward = (signal: NodeJS.Signals) => () => {
      const now = Date.now();
      if (now - (lastAt.get(signal) ?? -Infinity) < 100) return;
      lastAt.set(signal, now);
      if (signal === "SIGINT" && ++interrupts >= 3) {
        child.kill("SIGKILL");
        return;
      }
      const at = now;
      // process.kill, not child.kill: Deno's ChildProcess then reports the
      // signal sent as the child's end, whatever the child's own exit code.
      later(150, () => {
        if (child.pid !== undefined && !seenByChild(child.pid, at)) process.kill(child.pid, signal);
      });
      lastSignal = { signal, at };
      later(STUCK_AFTER_MS, () => {
        if (setup || !signalSeenSince(out, at)) endStuck(signal, at);
      });
    };
    let lastSignal: { signal: string; at: number } | undefined;
    // A tree's processes note signals each in their own file; a command that is not JavaScript notes none.
    const seenByChild = (pid: number, at: number) => signalSeenSince(setup ? join(dir, TREE_PROCESSES, String(pid)) : out, at);
    const endStuck = (signal: string, at: number) => {
      if (ending || child.pid === undefined) return;
      const pid = child.pid;
      // Loaded only now: a run that is never stuck pays nothing for it.
      ending = import("./stuck_child.ts")
        .then((m) => setup ? m.endStuckTree(dir, signal, at) : m.endStuckChild(runtime, pid, signal, out))
        .then((o) => {
          if (o) stuck = { ...o, signal };
        });
    };
    const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const watcher = written && !setup ? whenWritten(dir, out, written) : undefined;
    const cleanup = () => {
      for (const [s, h] of handlers) process.off(s, h);
      for (const t of timers) clearTimeout(t);
      watcher?.close();
    };
    child.on("error", (e) => {
      cleanup();
      discard();
      reject(new UsageError(`cannot start "${argv[0]}": ${e.message}`));
    });
    child.on("exit", async (code, signal) => {
      exited = true;
      cleanup();
      // A command's shell may end on the signal while a process under it spins on, orphaned.
      if (setup && lastSignal && !ending) {
        await new Promise((r) => setTimeout(r, Math.max(0, lastSignal!.at + STUCK_AFTER_MS - Date.now())));
        endStuck(lastSignal.signal, lastSignal.at);
      }
      await ending;
      const exitCode = stuck && stuck.outcome !== "own"
        ? signalExitCode(stuck.signal, constants.signals)
        : code ?? (signal ? signalExitCode(signal, constants.signals) : 1);
      resolvePromise({ exitCode, dir, outFile: out, startTime, ...(child.pid !== undefined ? { pid: child.pid } : {}), ...(stuck ? { stuck } : {}) });
    });
  });
}

/**
 * Calls `then` once, as soon as the preload has put the whole session at
 * `out` (it writes a part file and renames it): the CLI can read it while
 * the child's runtime shuts down, which on a large heap takes as long as
 * reading. `undefined` where the folder cannot be watched: then the CLI
 * reads after the child's exit, as it always can.
 */
function whenWritten(dir: string, out: string, then: (outFile: string, dir: string) => void): FSWatcher | undefined {
  let done = false;
  try {
    const watcher = watch(dir, (_, name) => {
      if (done || String(name) !== basename(out) || !existsSync(out)) return;
      done = true;
      watcher.close();
      then(out, dir);
    });
    // A watch that fails later costs only the head start.
    watcher.on("error", () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}
