/**
 * The profiled process's side of ending a program stuck in synchronous code
 * (see stuck_child.ts): JavaScript signal handlers never run while the
 * thread spins, so the CLI pauses the thread over the inspector and calls
 * the function installed here, which answers what the signal should do.
 *
 * A handler that does run leaves a note beside the session file, so the CLI
 * knows the program is not stuck and leaves it to end by itself.
 *
 * @module
 */
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import process from "node:process";

/** The global (a registered symbol, so invisible to the script) that the CLI calls while the thread is paused. */
export const STUCK_HOOK = "tsprof.signal";

/**
 * What the hook answered: the script handles the signal itself (`own`), the
 * profile is written and the process may be killed (`written`), or the
 * runtime must be made to end its script so that it writes (`terminate`).
 */
export type StuckAnswer = "own" | "written" | "terminate";

/** Installs the hook in the calling process. */
export function installStuckHook(answer: (signal: string) => StuckAnswer): void {
  Object.defineProperty(globalThis, Symbol.for(STUCK_HOOK), { value: answer, enumerable: false, configurable: true });
}

/** The expression the CLI evaluates in the paused process. */
export function stuckHookCall(signal: string): string {
  return `(globalThis[Symbol.for(${JSON.stringify(STUCK_HOOK)})] ?? (() => "none"))(${JSON.stringify(signal)})`;
}

/** The note that a signal handler ran, beside the session file `out`. */
export function signalSeenPath(out: string): string {
  return `${out}.signal`;
}

/** Whether the process's signal handler ran since epoch ms `at` (then it is not stuck). */
export function signalSeenSince(out: string, at: number): boolean {
  try {
    return statSync(signalSeenPath(out)).mtimeMs >= at - 100;
  } catch {
    return false;
  }
}

/** Leaves the note that a signal handler ran; never throws. */
export function noteSignalSeen(out: string): void {
  try {
    writeFileSync(signalSeenPath(out), "");
  } catch {
    // The run's folder is gone: the CLI is ending anyway.
  }
}

/** The note of the signals the script listens for itself, beside the session file `out` (Bun: see stuck_child.ts). */
export function ownSignalsPath(out: string): string {
  return `${out}.own`;
}

/** Notes each signal in `signals` that the script starts listening for, from now on. */
export function noteOwnSignals(out: string, signals: readonly string[]): void {
  process.on("newListener", (event: string | symbol) => {
    if (typeof event !== "string" || !signals.includes(event)) return;
    try {
      appendFileSync(ownSignalsPath(out), `${event}\n`);
    } catch {
      // The run's folder is gone: the CLI is ending anyway.
    }
  });
}

/** Whether the note says the script listens for `signal` itself. */
export function scriptListensFor(out: string, signal: string): boolean {
  try {
    return readFileSync(ownSignalsPath(out), "utf8").split("\n").includes(signal);
  } catch {
    return false;
  }
}

/** The folder of a tree run (`tsprof -- <command>`) where each process registers itself (see stuck_child.ts). */
export const TREE_PROCESSES = "processes";

/**
 * Registers the calling process of a tree run: a file named by its pid that
 * says whether it can be paused and asked (`node`) or only ended (`kill`).
 * Returns the file's path, the base of its notes.
 */
export function registerTreeProcess(dir: string, how: "node" | "kill"): string {
  const folder = `${dir}/${TREE_PROCESSES}`;
  const file = `${folder}/${process.pid}`;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, how);
  } catch {
    // Cannot register: a signal then finds no record of this process.
  }
  return file;
}
