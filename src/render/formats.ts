/**
 * The output formats by name and file ending, without their renderers: what
 * the CLI checks before a run, so that it can start the script before it
 * loads any rendering code.
 *
 * @module
 */

/**
 * One output format.
 *
 * @example
 * ```ts
 * import type { OutputFormat } from "tsprof/render";
 * const summary: OutputFormat = { name: "summary", extensions: [".summary.txt"], description: "one line per profile" };
 * ```
 */
export interface OutputFormat {
  /** Name given to `-r`. */
  readonly name: string;
  /** File name endings that select it, longest first. */
  readonly extensions: readonly string[];
  /** What it is, for `--help`. */
  readonly description: string;
}

/**
 * Every output format, in the order `--help` lists them.
 *
 * @example
 * ```ts
 * import { FORMATS } from "./formats.ts";
 * FORMATS.map((f) => f.name); // ["console", "speedscope", "html", "json", ...]
 * ```
 */
export const FORMATS: readonly OutputFormat[] = [
  { name: "console", extensions: [".txt"], description: "call tree as text" },
  { name: "speedscope", extensions: [".speedscope.json"], description: "speedscope file (the shared format)" },
  { name: "html", extensions: [".html", ".htm"], description: "self-contained HTML report (call tree, flame graph, timeline, functions)" },
  { name: "json", extensions: [".json"], description: "tsprof JSON (lossless, versioned)" },
  { name: "session", extensions: [".tsprof"], description: "saved session (gzipped tsprof JSON), for --load" },
  { name: "cpuprofile", extensions: [".cpuprofile"], description: "Chrome/V8 .cpuprofile of the main thread (DevTools, VS Code, speedscope)" },
  { name: "markdown", extensions: [".md"], description: "compact markdown summary (PR comments, CI job summaries, agents)" },
  { name: "collapsed", extensions: [".collapsed", ".folded"], description: "collapsed stacks for flamegraph.pl and inferno (counts in microseconds)" },
  { name: "pprof", extensions: [".pb.gz", ".pprof"], description: "pprof profile (gzipped protobuf) for go tool pprof, Pyroscope, Grafana, Parca" },
];

/**
 * The format a file name asks for by its ending, if any: the longest
 * matching ending wins.
 *
 * @example
 * ```ts
 * import { FORMATS, formatForFile } from "./formats.ts";
 * formatForFile(FORMATS, "out.speedscope.json")?.name; // "speedscope", not "json"
 * ```
 */
export function formatForFile<F extends OutputFormat>(formats: readonly F[], file: string): F | undefined {
  let best: F | undefined;
  let bestLen = 0;
  for (const f of formats) {
    for (const ext of f.extensions) {
      if (file.endsWith(ext) && ext.length > bestLen) {
        best = f;
        bestLen = ext.length;
      }
    }
  }
  return best;
}
