/**
 * What the CLI tells the profiled process, through one environment variable
 * that the preload removes before the script starts.
 *
 * @module
 */
import type { BackendName } from "../backend.ts";

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
  /** Backend to record with; `auto` when absent. */
  readonly backend?: BackendName | "auto";
  /**
   * Set for `tsprof -- <command>`: every process of the command writes its
   * own session into this directory (see tree_preload.ts).
   */
  readonly dir?: string;
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
