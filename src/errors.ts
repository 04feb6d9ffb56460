/**
 * Errors callers are expected to catch, each with a stable code.
 *
 * @module
 */

/**
 * Stable, machine-readable reason carried by every {@linkcode TsprofError}.
 *
 * @example
 * ```ts
 * import { Profiler, TsprofError, type TsprofErrorCode } from "tsprof";
 * const expected: TsprofErrorCode = "PROFILER_NOT_RUNNING";
 * await new Profiler().stop().catch((e) => e instanceof TsprofError && e.code === expected); // true
 * ```
 */
export type TsprofErrorCode =
  | "UNSUPPORTED_RUNTIME"
  | "PROFILER_ALREADY_RUNNING"
  | "PROFILER_NOT_RUNNING"
  | "INVALID_PROFILE_DATA"
  | "BACKEND_FAILED"
  | "NO_SESSION"
  | "UNKNOWN_RENDERER"
  | "WRITE_FAILED";

/**
 * Base class of tsprof's errors.
 *
 * @example
 * ```ts
 * import { TsprofError } from "tsprof";
 * try { throw new TsprofError("BACKEND_FAILED", "Cannot start profiler") } catch (e) {
 *   if (e instanceof TsprofError && e.code === "BACKEND_FAILED") { }
 * }
 * ```
 */
export class TsprofError extends Error {
  /** Why it failed. */
  readonly code: TsprofErrorCode;
  /** An error with a stable `code` and a message for people. */
  constructor(code: TsprofErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TsprofError";
    this.code = code;
  }
}

/**
 * A file that is not a profile tsprof can read, with what is wrong with it.
 *
 * @example
 * ```ts
 * import { loadProfileFile, ProfileFormatError } from "tsprof";
 * try {
 *   loadProfileFile(new TextEncoder().encode("not a profile"), "x.json");
 * } catch (e) {
 *   if (e instanceof ProfileFormatError) console.log(e.path, e.code); // x.json INVALID_PROFILE_DATA
 * }
 * ```
 */
export class ProfileFormatError extends TsprofError {
  /** The file, as named by the user. */
  readonly path: string;
  /** An error about the file at `path`. */
  constructor(path: string, message: string, options?: ErrorOptions) {
    super("INVALID_PROFILE_DATA", `${path}: ${message}`, options);
    this.name = "ProfileFormatError";
    this.path = path;
  }
}

/**
 * A file that could not be written, as a {@linkcode TsprofError}
 * (`WRITE_FAILED`) that names the file the caller gave and why, with the
 * system's error as its `cause`.
 *
 * @example
 * ```ts
 * import { writeFailed } from "./errors.ts";
 * writeFailed("/no/such/dir/out.html", Object.assign(new Error("ENOENT"), { code: "ENOENT" })).message;
 * // 'Cannot save "/no/such/dir/out.html": its folder does not exist (ENOENT)'
 * ```
 */
export function writeFailed(path: string, error: unknown): TsprofError {
  const code = (error as { code?: unknown }).code;
  const why = code === "ENOENT" ? "its folder does not exist (ENOENT)" : code === "EISDIR" ? "it is a folder (EISDIR)" : code === "EACCES" || code === "EPERM" ? `permission denied (${code})` : typeof code === "string" ? code : (error as Error).message;
  return new TsprofError("WRITE_FAILED", `Cannot save "${path}": ${why}`, { cause: error });
}
