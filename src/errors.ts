/**
 * Errors callers are expected to catch, each with a stable code.
 *
 * @module
 */

/** Stable, machine-readable reason carried by every {@linkcode TsprofError}. */
export type TsprofErrorCode =
  | "UNSUPPORTED_RUNTIME"
  | "PROFILER_ALREADY_RUNNING"
  | "PROFILER_NOT_RUNNING"
  | "INVALID_PROFILE_DATA"
  | "BACKEND_FAILED"
  | "NO_SESSION";

/**
 * Base class of tsprof's errors.
 *
 * @example
 * ```ts
 * import { TsprofError } from "./errors.ts";
 * try { throw new TsprofError("BACKEND_FAILED", "Cannot start profiler") } catch (e) {
 *   if (e instanceof TsprofError && e.code === "BACKEND_FAILED") { }
 * }
 * ```
 */
export class TsprofError extends Error {
  /** Why it failed. */
  readonly code: TsprofErrorCode;
  constructor(code: TsprofErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TsprofError";
    this.code = code;
  }
}

/** A file that is not a profile tsprof can read, with what is wrong with it. */
export class ProfileFormatError extends TsprofError {
  /** The file, as named by the user. */
  readonly path: string;
  constructor(path: string, message: string, options?: ErrorOptions) {
    super("INVALID_PROFILE_DATA", `${path}: ${message}`, options);
    this.name = "ProfileFormatError";
    this.path = path;
  }
}
