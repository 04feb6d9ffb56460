/**
 * What the `tsprof` process and the processes it profiles say to each other:
 * the environment variables that carry settings, the files each side
 * writes beside the session, the flags that make a runtime record, and how
 * a stuck thread is asked what a signal should do. Both sides import this
 * module; nothing else names these files or variables.
 *
 * The profiled side's code lives in `child/` (see docs/architecture.md).
 *
 * @module
 */
import type { BackendName } from "../backend.ts";
import type { BusyReading } from "../import/thread_busy.ts";

/** Environment variable that carries {@linkcode ChildConfig}. */
export const CHILD_ENV = "TSPROF_CHILD";

/** Settings for the preload in the profiled process. */
export interface ChildConfig {
  /** Where to write the session (tsprof JSON). */
  readonly out: string;
  /** Sampling interval, ms. */
  readonly intervalMs: number;
  /** The command as the user typed it, for the header. */
  readonly command: readonly string[];
  /**
   * Set when Node runs the TypeScript entry itself: tsx's module to load
   * should the entry need more than type stripping (see node_typescript.ts).
   */
  readonly tsxFallback?: string;
  /**
   * Set when tsx was given to Node with `--import`, as a direct `tsx` run
   * has it: its module-hooks thread is the program's, not tsprof's.
   */
  readonly tsxImported?: true;
  /** Backend to record with; `auto` when absent. */
  readonly backend?: BackendName | "auto";
  /** Record where `await`s wait (see src/async/); on unless `false`. */
  readonly async?: boolean;
  /** Where the preload keeps its edits of the program's `await`s (see `privateCacheDir`, `child/kept_edits.ts`); none when absent. */
  readonly awaitsCacheDir?: string | undefined;
  /**
   * Set for `tsprof -- <command>`: every process of the command writes its
   * own session into this directory (see child/tree_preload.ts).
   */
  readonly dir?: string;
  /**
   * The runtime flags tsprof gave the child (its preloads, the inspector's
   * port, Bun's `--cpu-prof`), which the preload takes out of
   * `process.execArgv`: the program sees the flags of a direct run, and the
   * processes it forks do not inherit tsprof's.
   */
  readonly ownFlags?: readonly string[];
}

/**
 * Takes `own` out of `execArgv`, in place: from the end, the last entry
 * equal to each.
 *
 * @example
 * ```ts
 * const execArgv = ["--inspect-port=0", "--import", "tsx", "--import", "/p.js"];
 * removeOwnFlags(execArgv, ["--inspect-port=0", "--import", "/p.js"]);
 * // execArgv is ["--import", "tsx"]
 * ```
 */
export function removeOwnFlags(execArgv: string[], own: readonly string[]): void {
  // tsprof's preload comes after a loader (tsx) given with the same flag.
  for (let i = own.length - 1; i >= 0; i--) {
    const at = execArgv.lastIndexOf(own[i]!);
    if (at !== -1) execArgv.splice(at, 1);
  }
}

/**
 * The preloads leave a module larger than this (characters) as it is: its
 * awaits are not edited (parsing costs about a second per few megabytes
 * before the program starts), and the report says so
 * ({@linkcode awaitsNotEditedWarning}).
 */
export const MAX_AWAIT_EDIT_CHARS = 1 << 20;

/** A module the preload did not edit, for its size. */
export interface AwaitsNotEdited {
  readonly path: string;
  readonly chars: number;
}

/**
 * The report's line for a module whose `await`s were not edited.
 *
 * @example
 * ```ts
 * import { awaitsNotEditedWarning } from "./protocol.ts";
 * awaitsNotEditedWarning({ path: "/app/big.js", chars: 2 << 20 }); // "the awaits of /app/big.js (2.0 MB) are not charged: ..."
 * ```
 */
export function awaitsNotEditedWarning({ path, chars }: AwaitsNotEdited): string {
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  return `the awaits of ${path} (${mb(chars)}) are not charged: tsprof edits modules up to ${mb(MAX_AWAIT_EDIT_CHARS)}; their waits go to the await that waits on them, or show as (idle)`;
}

/**
 * The folder of a tree run (`tsprof -- <command>`) where Bun processes write
 * their `--cpu-prof` files, and beside each the preload's `<pid>.json`: the
 * process's name and exit code.
 */
export const BUN_PROFILES = "bun-cpu";

/**
 * The folder of a tree run where `deno run` processes write their
 * `--cpu-prof` files (the `deno` shim adds the flag), and beside each the
 * preload's `<pid>.json`: the process's name and main module.
 */
export const DENO_PROFILES = "deno-cpu";

/** Set by the `deno` shim for a process its `--cpu-prof` records. */
export const DENO_CPU_PROF_ENV = "TSPROF_DENO_CPU_PROF";

/**
 * A path's folder (with its separator) and its file name. Strings only, so
 * that a child without Node's modules (Deno's preload) can share this file.
 */
function folderAndName(path: string): [string, string] {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
  return [path.slice(0, cut), path.slice(cut)];
}

/** The maps file that goes with a session file written by the preload. */
export function childMapsPath(sessionPath: string): string {
  const [folder, name] = folderAndName(sessionPath);
  return `${folder}${name.replace(/\.json$/, "")}.maps.json`;
}

/** The session file of worker `id`, beside the main thread's `out`. */
export function workerSessionPath(out: string, id: number): string {
  const [folder, name] = folderAndName(out);
  return `${folder}thread-${id}.${name}`;
}

/** Of the file names in the main session's folder, the workers' sessions with their thread ids, in thread order. */
export function workerSessionFiles(files: readonly string[], out: string): { file: string; id: number }[] {
  const main = folderAndName(out)[1];
  return files
    .map((file) => ({ file, m: /^thread-(\d+)\.(.*)$/.exec(file) }))
    .filter((x) => x.m !== null && x.m[2] === main)
    .map(({ file, m }) => ({ file, id: Number(m![1]) }))
    .sort((a, b) => a.id - b.id);
}

/** The file beside the preload's output that says the program failed to load. */
export function loadErrorPath(out: string): string {
  return `${out}.load-error`;
}

/** The global (a registered symbol, so invisible to the script) that the CLI calls while the thread is paused. */
export const STUCK_HOOK = "tsprof.signal";

/**
 * What a Bun preload notes of the main thread at exit, for the importer:
 * how long it was busy (`import/thread_busy.ts`; absent where the system
 * keeps no counters) and when the program ended, on the clock of Bun's
 * profile, which ends at its last sample (`endBunProfileAt`).
 */
export interface BunThreadNote {
  readonly busyMs?: number;
  /** How busy the thread had been as the preload started: the part of `busyMs` before the profile is left out. */
  readonly busyAt?: BusyReading;
  readonly endedAtMs?: number;
  /** When the preload had set up (edited the program's `await`s), ms on the clock that starts at `timeOrigin`. */
  readonly setupEnd?: number;
  /** The epoch's time (ms) at the zero of the child's `performance.now()`. */
  readonly timeOrigin?: number;
}

/**
 * What the hook answered: the script handles the signal itself (`own`), the
 * profile is written and the process may be killed (`written`), or the
 * runtime must be made to end its script so that it writes (`terminate`).
 */
export type StuckAnswer = "own" | "written" | "terminate";

/** The expression the CLI evaluates in the paused process. */
export function stuckHookCall(signal: string): string {
  return `(globalThis[Symbol.for(${JSON.stringify(STUCK_HOOK)})] ?? (() => "none"))(${JSON.stringify(signal)})`;
}

/** The note that a signal handler ran, beside the session file `out`. */
export function signalSeenPath(out: string): string {
  return `${out}.signal`;
}

/** The note of the signals the script listens for itself, beside the session file `out` (Bun: see stuck_child.ts). */
export function ownSignalsPath(out: string): string {
  return `${out}.own`;
}

/** The folder of a tree run (`tsprof -- <command>`) where each process registers itself (see stuck_child.ts). */
export const TREE_PROCESSES = "processes";

/** Set by the relay (`bunx tsprof` runs Node, which hands over to Bun): Bun must not hand over again. */
export const NO_REEXEC_ENV = "TSPROF_NO_REEXEC";
/** Set by the relay: its pid, so that the Bun process it started ends with it. */
export const RELAY_PID_ENV = "TSPROF_RELAY_PID";
/** Set for the `deno` shim of a tree run: the real `deno` it runs. */
export const REAL_DENO_ENV = "TSPROF_DENO";
/** Set by the `deno` shim: the subcommand (`run`, `test`, ...), for the process's name. */
export const DENO_SUBCOMMAND_ENV = "TSPROF_DENO_SUBCOMMAND";

/**
 * The flags that make Deno or Bun record with their own `--cpu-prof` into
 * `dir`, at `intervalMs` (the runtimes take whole microseconds).
 *
 * @example
 * ```ts
 * import { cpuProfFlags } from "./protocol.ts";
 * cpuProfFlags("/tmp/run", 1); // ["--cpu-prof", "--cpu-prof-dir=/tmp/run", "--cpu-prof-interval=1000"]
 * ```
 */
export function cpuProfFlags(dir: string, intervalMs: number): string[] {
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${Math.max(1, Math.round(intervalMs * 1000))}`];
}

/**
 * The exit code a shell gives a process that `signal` ended: 128 plus its
 * number in `signals` (Node's `os.constants.signals`: numbers differ between
 * systems); 128 for a name not there.
 */
export function signalExitCode(signal: string, signals: Readonly<Record<string, number | undefined>>): number {
  return 128 + (signals[signal] ?? 0);
}

