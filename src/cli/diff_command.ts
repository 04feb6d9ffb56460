/**
 * `tsprof diff <base> <head>`: compares two profiles and writes the
 * difference as a console report, JSON, markdown or an HTML page.
 *
 * @module
 */
import process from "node:process";
import { cac } from "cac";
import { diffSessions, type DiffOptions } from "../diff/diff_tree.ts";
import { renderDiffConsole } from "../render/diff_console.ts";
import { renderDiffHtml } from "../render/diff_html.ts";
import { renderDiffJson } from "../render/diff_json.ts";
import { renderDiffMarkdown } from "../render/markdown.ts";
import { asksForHelp, UsageError } from "./args.ts";
import { framePattern } from "./frame_patterns.ts";
import { loadSession } from "./load_session.ts";
import { useColor } from "../render/color_policy.ts";
import { checkWritable, writeReplacing } from "./output_file.ts";
import { htmlTempPath, openReport } from "./open_report.ts";

const RENDERERS = ["console", "json", "markdown", "html"] as const;
type DiffRenderer = (typeof RENDERERS)[number];

/** What `tsprof diff` was asked for. */
export interface DiffCliOptions {
  readonly base: string;
  readonly head: string;
  readonly renderer: DiffRenderer;
  readonly outfile?: string;
  readonly flat: boolean;
  readonly flatTime: "self" | "total";
  readonly all: boolean;
  readonly noise: number;
  readonly color?: boolean;
  readonly unicode: boolean;
  readonly open?: boolean;
  readonly process: DiffOptions;
}

/** Help for `tsprof diff --help`. */
export const DIFF_HELP = `Usage: tsprof diff <base> <head> [options]

Compares two profiles (sessions, .cpuprofile, speedscope, Chrome traces, of
any runtimes): the head's call tree with each path's time and change against
the base, biggest change first. Changes the sample counts cannot support are
hidden (see --all).

Options:
  -r, --renderer <name>   console, json, markdown or html (default: console, or from -o)
  -o, --outfile <file>    Write to a file (.json, .md, .html choose the format)
  --flat                  One line per function instead of the tree
  --flat-time <which>     With --flat: self (default) or total time
  --all                   Show every path, changes within noise too (marked ~)
  --noise <share>         Run-to-run spread to allow for beyond sampling (default 0.05)
  --show-all              Keep runtime internals and library frames unfolded
  --fold-recursion        Show a function that calls itself as one path, as in the tree
  --show <glob>, --hide <glob>  What counts as app or library code, as in the tree
  --no-color, --color     Colour (default: on a terminal)
  --no-unicode            ASCII tree lines
  --open, --no-open       Open the HTML page in a browser`;

/**
 * Parses the arguments after `diff`.
 *
 * @throws {UsageError} on unknown options, missing files, bad values
 */
export function parseDiffArgs(argv: readonly string[]): DiffCliOptions {
  const cli = cac("tsprof diff");
  cli
    .option("-r, --renderer <name>", "")
    .option("-o, --outfile <file>", "")
    .option("--flat", "")
    .option("--flat-time <which>", "", { default: "self" })
    .option("--all", "")
    .option("--noise <share>", "", { default: 0.05 })
    .option("--show-all", "")
    .option("--fold-recursion", "")
    .option("--show <glob>", "")
    .option("--hide <glob>", "")
    .option("--color", "")
    .option("--unicode", "", { default: true })
    .option("--open", "");
  const known = new Set(cli.globalCommand.options.flatMap((o) => o.names));
  for (const a of argv) {
    if (!a.startsWith("-") || a === "-") continue;
    const name = a.replace(/^--?/, "").split("=")[0]!.replace(/^no-/, "");
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!known.has(camel) && !known.has(name)) throw new UsageError(`unknown option "${a}"`);
  }
  const parsed = cli.parse(["tsprof", "diff", ...argv], { run: false });
  const o = parsed.options as Record<string, unknown>;
  if (parsed.args.length !== 2) throw new UsageError(`diff needs two profiles: tsprof diff <base> <head>${parsed.args.length > 2 ? ` (got ${parsed.args.length})` : ""}`);
  const str = (v: unknown) => (v === undefined || typeof v === "boolean" ? undefined : String(v));
  const outfile = str(o.outfile);
  let renderer = str(o.renderer) as DiffRenderer | undefined;
  if (renderer === undefined && outfile !== undefined) {
    renderer = outfile.endsWith(".json") ? "json" : outfile.endsWith(".md") ? "markdown" : /\.html?$/.test(outfile) ? "html" : outfile.endsWith(".txt") ? "console" : undefined;
    if (renderer === undefined) throw new UsageError(`cannot tell the format of "${outfile}" from its name (.json, .md, .html, .txt): add -r <renderer>`);
  }
  // Before the profiles are read and compared: a folder that is not there fails now, in one line.
  if (outfile !== undefined) checkWritable(outfile);
  renderer ??= "console";
  if (!RENDERERS.includes(renderer)) throw new UsageError(`unknown renderer "${renderer}": choose one of ${RENDERERS.join(", ")}`);
  const flatTime = String(o.flatTime);
  if (flatTime !== "self" && flatTime !== "total") throw new UsageError(`--flat-time must be "self" or "total": got "${flatTime}"`);
  const noise = Number(o.noise);
  if (!(noise >= 0 && noise <= 1)) throw new UsageError(`--noise must be a share from 0 to 1: got "${String(o.noise)}"`);
  const show = framePattern("show", undefined, o.show);
  const hide = framePattern("hide", undefined, o.hide);
  return {
    base: parsed.args[0]!,
    head: parsed.args[1]!,
    renderer,
    ...(outfile !== undefined ? { outfile } : {}),
    flat: o.flat === true,
    flatTime,
    all: o.all === true,
    noise,
    ...(typeof o.color === "boolean" ? { color: o.color } : {}),
    unicode: o.unicode !== false,
    ...(typeof o.open === "boolean" ? { open: o.open } : {}),
    process: {
      noise,
      showAll: o.showAll === true,
      foldRecursion: o.foldRecursion === true,
      ...(show !== undefined ? { showRegex: new RegExp(show) } : {}),
      ...(hide !== undefined ? { hideRegex: new RegExp(hide) } : {}),
    },
  };
}

/**
 * Runs `tsprof diff` and returns its exit code: 0, or 2 for bad input.
 * Errors are thrown for `main` to print.
 */
export function diffCommand(argv: readonly string[]): number {
  if (asksForHelp(argv)) {
    process.stdout.write(`${DIFF_HELP}\n`);
    return 0;
  }
  const options = parseDiffArgs(argv);
  const base = loadSession(options.base);
  const head = loadSession(options.head);
  const diff = diffSessions(base, head, options.process);
  const labels = [options.base, options.head] as const;
  let output: string;
  switch (options.renderer) {
    case "json":
      output = renderDiffJson(diff, { all: options.all, labels });
      break;
    case "markdown":
      output = renderDiffMarkdown(diff, { all: options.all, labels, ...(argv.includes("--flat-time") ? { flatTime: options.flatTime } : {}) });
      break;
    case "html":
      output = renderDiffHtml(diff, { labels });
      break;
    default: {
      const toTerminal = options.outfile === undefined;
      output = renderDiffConsole(diff, {
        labels,
        all: options.all,
        flat: options.flat,
        flatTime: options.flatTime,
        unicode: options.unicode,
        color: toTerminal ? useColor(options.color, process.stdout.isTTY === true, process.env) : false,
      });
    }
  }
  let outfile = options.outfile;
  const htmlToBrowser = options.renderer === "html" && outfile === undefined && (options.open === true || process.stdout.isTTY === true);
  if (htmlToBrowser) outfile = htmlTempPath("diff");
  if (outfile === undefined) {
    process.stdout.write(output);
    return 0;
  }
  writeReplacing(outfile, output);
  process.stderr.write(`tsprof: wrote ${outfile}\n`);
  if (options.renderer === "html" && options.open !== false && (htmlToBrowser || options.open === true)) openReport(outfile);
  return 0;
}
