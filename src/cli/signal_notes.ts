/**
 * The notes a profiled process leaves about signals (see `child/stuck_hook.ts`),
 * read by the CLI: whether its handler ran, and which signals the script
 * listens for itself.
 *
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { ownSignalsPath, signalSeenPath } from "./protocol.ts";

/** Whether the process's signal handler ran since epoch ms `at` (then it is not stuck). */
export function signalSeenSince(out: string, at: number): boolean {
  try {
    return statSync(signalSeenPath(out)).mtimeMs >= at - 100;
  } catch {
    return false;
  }
}

/** Whether the note says the script listens for `signal` itself. */
export function scriptListensFor(out: string, signal: string): boolean {
  try {
    return readFileSync(ownSignalsPath(out), "utf8").split("\n").includes(signal);
  } catch {
    return false;
  }
}
