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
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import process from "node:process";
import { ownSignalsPath, TREE_PROCESSES } from "../protocol.ts";
import { noteSignalSeenBy } from "./stuck_answer.ts";

export { installStuckHook } from "./stuck_answer.ts";

/** Leaves the note that a signal handler ran; never throws. */
export function noteSignalSeen(out: string): void {
  noteSignalSeenBy(writeFileSync, out);
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
