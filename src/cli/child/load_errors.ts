/**
 * A program that never started: the runtime could not load its code (a
 * syntax error in the script or a module it imports). Its user gets the
 * runtime's error and exit code, as without tsprof, and one line saying
 * there is no report, rather than an empty report after the error.
 *
 * The preloads note such an error next to the run's output (Node and Bun
 * report it as an uncaught error; the monitor changes nothing for the
 * program). Deno reports it before any preload hears of it, while its
 * preload notes the end of every run that started (see deno_preload.ts):
 * there a run without that note never started. Either way, a run with a
 * sample in the entry file did start.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import process from "node:process";
import { loadErrorPath } from "../protocol.ts";


/** A stack frame in code outside runtimes and packages: the program's own, which therefore ran. */
const OWN_FRAME = /^\s*at (?:.*\()?(?:file:\/\/)?\/(?![^)]*[\\/]node_modules[\\/])[^)\s]*:\d+:\d+\)?\s*$/m;

/**
 * Whether an uncaught error is the runtime failing to load code: a syntax
 * error (Node's, tsx's esbuild's, Bun's build errors) that no frame of the
 * program's own code threw.
 */
export function isLoadError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; message?: unknown; stack?: unknown; constructor?: { name?: string } };
  const name = String(e.name ?? e.constructor?.name ?? "");
  const message = String(e.message ?? "");
  // Only a loader throws these; a SyntaxError may be the program's own (JSON.parse).
  const code = String((error as { code?: unknown }).code ?? "");
  if (/^ERR_(?:INVALID|UNSUPPORTED)_TYPESCRIPT_SYNTAX$/.test(code) || name === "BuildMessage") return true;
  if (/^Transform failed with \d+ error/.test(message) || (name === "AggregateError" && /\berrors? building\b/.test(message))) return true;
  if (name !== "SyntaxError") return false;
  // Bun fails to load code with the build errors above; and reading a SyntaxError's stack there
  // (even its sourceURL) makes Bun print it without its place ("at <parse> (1:1)").
  if (process.versions.bun !== undefined) return false;
  return !OWN_FRAME.test(String(e.stack ?? ""));
}

/** In the profiled process: notes a load error beside `out` when the program ends by one. */
export function noteLoadErrors(out: string): void {
  process.on("uncaughtExceptionMonitor", (error) => {
    if (!isLoadError(error)) return;
    try {
      writeFileSync(loadErrorPath(out), "");
    } catch {
      // Then the report shows, as before.
    }
  });
}
