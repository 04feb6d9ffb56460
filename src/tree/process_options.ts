/**
 * The pipeline's options by name, as data: what `-p key=value` and
 * `tsprof --help` know, kept apart from the processors so that the CLI can
 * check its arguments without loading them.
 *
 * @module
 */
import type { OptionSpec } from "../option_spec.ts";

/**
 * The pipeline's options that can be set by name (`-p key=value`).
 *
 * @example
 * ```ts
 * import { PROCESS_OPTIONS } from "./process_options.ts";
 * PROCESS_OPTIONS.map((o) => `-p ${o.name}=${o.default}`); // what `tsprof --help` lists
 * ```
 */
export const PROCESS_OPTIONS: readonly OptionSpec[] = [
  { name: "showAll", type: "boolean", default: "false", description: "keep runtime internals, library frames and tiny nodes" },
  { name: "timeline", type: "boolean", default: "false", description: "keep calls in time order, never merge repeated calls" },
  { name: "filterThreshold", type: "share", default: "0.01", description: "drop nodes under this share of the total" },
  { name: "foldRecursion", type: "boolean", default: "false", description: "fold calls of a function already on the call path into it" },
  { name: "groupMinHidden", type: "count", default: "2", description: "fold a library group only if it hides at least this many frames" },
  { name: "groupShowShare", type: "share", default: "0.2", description: "keep a library frame in view if its own time is over this share" },
  { name: "showRegex", type: "regex", default: "none", description: "files that count as app code, even in node_modules" },
  { name: "hideRegex", type: "regex", default: "none", description: "files that count as library code, even the app's" },
];
