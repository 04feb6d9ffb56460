/**
 * A program that never started: the runtime could not load its code (see
 * `child/load_errors.ts`, which notes such an error in the profiled
 * process). Its user gets the runtime's error and exit code and one line
 * saying there is no report, not an empty report after the error.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Session } from "../format/types.ts";
import { loadErrorPath } from "./protocol.ts";

/**
 * Whether the run's program never started: it failed, and either its
 * preload noted a load error beside `out`, or (Deno) it ended without the
 * preload's end-of-run note of the CPU time;
 * and no sample is in the entry file.
 */
export function neverStarted(session: Session, entry: string | undefined, exitCode: number, out: string): boolean {
  if (exitCode === 0 || entry === undefined) return false;
  if (!existsSync(loadErrorPath(out)) && (session.meta.runtime !== "deno" || session.meta.cpuTimeMs !== undefined)) return false;
  const path = resolve(entry);
  const url = pathToFileURL(path).href;
  return !session.profiles.some((p) => p.frames.some((f) => f.file === path || f.file === url));
}
