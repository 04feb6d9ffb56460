/**
 * The console report's own options by name, as data: what `-p key=value`
 * and `tsprof --help` know, kept apart from the renderer so that the CLI can
 * check its arguments without loading it.
 *
 * @module
 */
import type { OptionSpec } from "../option_spec.ts";

/**
 * The console's own options that can be set by name (`-p key=value`).
 *
 * @example
 * ```ts
 * import { CONSOLE_OPTIONS } from "./console_options.ts";
 * CONSOLE_OPTIONS.map((o) => o.name); // ["time", "unicode", "color", ...]
 * ```
 */
export const CONSOLE_OPTIONS: readonly OptionSpec[] = [
  { name: "time", type: "choice", values: ["seconds", "percent"], default: "seconds", description: "show times as seconds or as a share of the total" },
  { name: "unicode", type: "boolean", default: "true", description: "draw the tree with box-drawing characters" },
  { name: "color", type: "boolean", default: "on a TTY", description: "colour the report with ANSI escapes" },
  { name: "flat", type: "boolean", default: "false", description: "list functions by time instead of the tree" },
  { name: "flatTime", type: "choice", values: ["self", "total"], default: "self", description: "the flat list's time: own time or time on the stack" },
  { name: "flatThreshold", type: "share", default: "0.001", description: "the flat list leaves out functions under this share" },
  { name: "maxDepth", type: "count", default: "200", description: "calls nested deeper are not drawn (a line says so)" },
  { name: "lines", type: "boolean", default: "false", description: "add the hottest lines of the hottest functions (--lines)" },
];
