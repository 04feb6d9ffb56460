/**
 * Parses tsprof's command line with cac. tsprof's options come before the
 * script; the script and everything after it belong to the script, so its
 * own `--flags` never reach tsprof.
 *
 * @module
 */
import { cac } from "cac";
import { type OptionSpec, parseOptionValue } from "../option_spec.ts";
import { CONSOLE_OPTIONS } from "../render/console_options.ts";
import type { BackendName } from "../backend.ts";
import { FORMATS } from "../render/formats.ts";
import { PROCESS_OPTIONS } from "../tree/process_options.ts";
import { framePattern } from "./frame_patterns.ts";

/** A backend by name, or `auto` for the runtime's own. */
export type BackendChoice = BackendName | "auto";
const BACKENDS: readonly BackendChoice[] = ["auto", "node", "deno", "bun", "portable"];

/** What the user asked for. */
export interface CliOptions {
  /** Script (or command after `--`) and its arguments; empty when loading a file. */
  readonly command: string[];
  /** True when the command came after `--` (run it as given, not as a script). */
  readonly rawCommand: boolean;
  /** A saved profile to render instead of running anything. */
  readonly load?: string;
  readonly intervalMs: number;
  readonly renderer?: string;
  readonly outfile?: string;
  readonly showAll: boolean;
  readonly timeline: boolean;
  readonly unicode?: boolean;
  readonly color?: boolean;
  readonly time: "seconds" | "percent";
  readonly showRegex?: string;
  readonly hideRegex?: string;
  readonly foldRecursion: boolean;
  /** Show the hottest lines of the hottest functions (`--lines`). */
  readonly lines: boolean;
  readonly filterThreshold?: number;
  readonly description?: string;
  /** List functions by time instead of the tree. */
  readonly flat: boolean;
  /** What the flat list shows: own time or time on the stack. */
  readonly flatTime: "self" | "total";
  /** Id of a kept session to render (`--load-prev`). */
  readonly loadPrev?: string;
  /** Report options set by name with `-p key=value`, already parsed. */
  readonly settings: Readonly<Record<string, boolean | number | RegExp | string>>;
  /** Open an HTML report in the browser: true forces, false prevents, unset decides. */
  readonly open?: boolean;
  /** Which backend samples: an engine's (`auto`, `node`, `deno`, `bun`) or `portable`. */
  readonly backend: BackendChoice;
  /** Charge the time spent waiting to the `await`s that waited (`--no-async`: off). */
  readonly async: boolean;
  /** A budgets file to check the run against (`--check`): exit 1 when one is broken. */
  readonly check?: string;
  readonly help: boolean;
  readonly version: boolean;
}

/** A usage mistake: the CLI prints it with a hint and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Options that take a value: needed to find where the script starts. */
const VALUE_OPTIONS = new Set([
  "-i", "--interval", "-r", "--renderer", "-o", "--outfile", "--load", "--time", "--show-regex", "--hide-regex",
  "--show", "--hide", "--filter-threshold", "--description", "-p", "--processor-option", "--flat-time", "--load-prev",
  "--backend", "--check",
]);

/** Every option `-p key=value` can set. */
export const SETTABLE_OPTIONS: readonly OptionSpec[] = [...PROCESS_OPTIONS, ...CONSOLE_OPTIONS];

function buildCac(version: string, forHelp = false) {
  const cli = cac("tsprof");
  cli
    .usage("[options] <script> [args...]\n  tsprof [options] -- <command> [args...]\n  tsprof view <file> [options]\n  tsprof diff <base> <head> [options]\n  tsprof check <profile> --budget <file> [options]\n  tsprof attach <pid | host:port | ws://...> [--duration <s>] [options]\n  tsprof dump <pid | host:port | ws://...> [--json]")
    .option("-i, --interval <ms>", "Sampling interval in milliseconds", { default: 1 })
    .option("-r, --renderer <name>", `Output format: ${FORMATS.map((r) => r.name).join(", ")}`)
    .option("-o, --outfile <file>", "Write the output to a file (format inferred from its name)")
    .option("--load <file>", "Render a saved profile instead of running a script")
    .option("--show-all", "Show every frame: runtime internals, libraries, tiny nodes")
    .option("--timeline", "Keep calls in time order instead of merging repeated calls")
    .option("--unicode", "Draw the tree with box-drawing characters (--no-unicode for ASCII)")
    .option("--color", "Colour the output (--no-color to turn it off; default: on a TTY)")
    .option("--time <unit>", "Show times as seconds or percent", { default: "seconds" })
    .option("--show <glob>", "Show frames whose file matches, even library code")
    .option("--hide <glob>", "Fold frames whose file matches, as library code")
    .option("--show-regex <re>", "Like --show, with a regular expression")
    .option("--hide-regex <re>", "Like --hide, with a regular expression")
    .option("--fold-recursion", "Show a function that calls itself as one node")
    .option("--lines", "Also show the hottest lines of the hottest functions")
    .option("--filter-threshold <share>", "Fold nodes under this share of the total (default 0.01)")
    .option("--description <text>", "A line for the report header")
    .option("--flat", "List functions by self time instead of the tree")
    .option("--flat-time <which>", "With --flat: self, or total (time on the stack, recursion counted once)", { default: "self" })
    .option("-p, --processor-option <key=value>", "Set any report option by name (listed below); repeatable")
    .option("--load-prev <id>", "Render a session kept from an earlier console run (the id tsprof printed)")
    .option("--open", "Open the HTML report in a browser (--no-open: never; default: when it would go to a terminal)")
    .option("--backend <name>", `Sampler: ${BACKENDS.join(", ")} (portable: instrumented, runs anywhere)`, { default: "auto" })
    .option("--async", "Charge waiting time to the awaits that waited (--no-async: show it as (idle))")
    .option("--check <budgets.json>", "Check the run against budgets (see tsprof check --help); exit 1 when one is broken");
  if (forHelp) {
    cli.help();
    cli.version(version);
  } else {
    // Parsing only: tsprof itself prints help and version.
    cli.option("-h, --help", "Show this help").option("-v, --version", "Show the version");
  }
  return cli;
}

/**
 * Whether a subcommand's arguments (`diff`, `check`, `attach`, `dump`) ask
 * for its own help page.
 *
 * @example
 * ```ts
 * import { asksForHelp } from "./args.ts";
 * asksForHelp(["base.tsprof", "-h"]); // true
 * ```
 */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** Help text, for `--help` and usage errors. */
export function helpText(version: string): string {
  const cli = buildCac(version, true);
  const lines: string[] = [];
  const orig = console.info;
  const origLog = console.log;
  console.info = console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    cli.outputHelp();
  } finally {
    console.info = orig;
    console.log = origLog;
  }
  lines.push("", "Report options (-p key=value):");
  for (const o of SETTABLE_OPTIONS) {
    const type = o.type === "choice" ? (o.values ?? []).join("|") : o.type;
    lines.push(`  ${`${o.name}=<${type}>`.padEnd(34)}${o.description} (default: ${o.default})`);
  }
  return lines.join("\n");
}

/**
 * Parses `argv` (without the runtime and tsprof's own path).
 *
 * @throws {UsageError} for unknown options and bad values
 */
export function parseArgs(argv: readonly string[], version: string): CliOptions {
  let head = [...argv];
  let command: string[] = [];
  let rawCommand = false;
  let viewFile: string | undefined;
  if (head[0] === "view") {
    head = head.slice(1);
    // The first argument that is not an option or an option's value: options may come before the file.
    let file = -1;
    for (let i = 0; i < head.length && file === -1; i++) {
      if (VALUE_OPTIONS.has(head[i]!)) i++;
      else if (!head[i]!.startsWith("-") || head[i] === "-") file = i;
    }
    if (file === -1) throw new UsageError("view needs a file: tsprof view <file>");
    viewFile = head[file];
    head.splice(file, 1);
  } else {
    for (let i = 0; i < head.length; i++) {
      const a = head[i]!;
      if (a === "--") {
        command = head.slice(i + 1);
        head = head.slice(0, i);
        rawCommand = true;
        break;
      }
      if (VALUE_OPTIONS.has(a)) {
        i++;
        continue;
      }
      if (!a.startsWith("-") || a === "-") {
        command = head.slice(i);
        head = head.slice(0, i);
        break;
      }
    }
  }
  const cli = buildCac(version);
  const known = new Set(cli.globalCommand.options.flatMap((o) => o.names));
  for (let i = 0; i < head.length; i++) {
    const a = head[i]!;
    if (!a.startsWith("-")) continue;
    // An option's value is no option (`-i -5`); an empty one would reach cac as 0.
    if (VALUE_OPTIONS.has(a)) {
      if (head[i + 1] === "") throw new UsageError(`${a} needs a value: got ""`);
      i++;
      continue;
    }
    if (/^--[^=]+=$/.test(a)) throw new UsageError(`${a.slice(0, -1)} needs a value: got ""`);
    const name = a.replace(/^--?/, "").split("=")[0]!;
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const plain = camel.startsWith("no") && camel.length > 2 ? camel[2]!.toLowerCase() + camel.slice(3) : camel;
    if (!known.has(camel) && !known.has(plain) && !known.has(name)) throw new UsageError(`unknown option "${a}"`);
  }
  // A value that starts with "-" (`-i -5`) would be taken for an option: given as `--name=value`.
  const LONG = new Map<string, string>();
  for (const o of cli.globalCommand.options) {
    const short = /(?:^|\s)(-\w)\b/.exec(o.rawName)?.[1];
    const long = /--[\w-]+/.exec(o.rawName)?.[0];
    if (short && long) LONG.set(short, long);
  }
  const joined: string[] = [];
  for (let i = 0; i < head.length; i++) {
    const a = head[i]!;
    const value = head[i + 1];
    if (VALUE_OPTIONS.has(a) && value !== undefined && value.startsWith("-") && value !== "-") {
      joined.push(`${LONG.get(a) ?? a}=${value}`);
      i++;
    } else joined.push(a);
  }
  const parsed = cli.parse(["tsprof", "tsprof", ...joined], { run: false });
  const o = parsed.options as Record<string, unknown>;
  if (parsed.args.length > 0) throw new UsageError(`unexpected argument "${parsed.args[0]}"`);

  const intervalMs = Number(o.interval);
  if (!Number.isFinite(intervalMs) || intervalMs <= 0 || intervalMs > 1000) {
    throw new UsageError(`--interval must be a number of milliseconds above 0 and at most 1000: got "${String(o.interval)}"`);
  }
  const time = String(o.time);
  if (time !== "seconds" && time !== "percent") throw new UsageError(`--time must be "seconds" or "percent": got "${time}"`);
  const str = (v: unknown): string | undefined => (v === undefined || v === true ? undefined : String(v));
  const renderer = str(o.renderer);
  if (renderer !== undefined && !FORMATS.some((r) => r.name === renderer)) {
    throw new UsageError(`unknown renderer "${renderer}": choose one of ${FORMATS.map((r) => r.name).join(", ")}`);
  }
  let filterThreshold: number | undefined;
  if (o.filterThreshold !== undefined) {
    filterThreshold = Number(o.filterThreshold);
    if (!(filterThreshold >= 0 && filterThreshold < 1)) throw new UsageError(`--filter-threshold must be a share from 0 to 1: got "${String(o.filterThreshold)}"`);
  }
  const showRegex = framePattern("show", o.showRegex, o.show);
  const hideRegex = framePattern("hide", o.hideRegex, o.hide);
  const flatTime = String(o.flatTime);
  if (flatTime !== "self" && flatTime !== "total") throw new UsageError(`--flat-time must be "self" or "total": got "${flatTime}"`);
  const settings = parseSettings(o.processorOption);
  if ((settings.flat ?? o.flat === true) && (settings.timeline ?? o.timeline === true)) throw new UsageError("--flat and --timeline cannot be used together");
  const backend = String(o.backend ?? "auto") as BackendChoice;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(", ")}: got "${backend}"`);
  const load = viewFile ?? str(o.load);
  if (o.loadPrev === true) throw new UsageError("--load-prev needs the id of a kept run (each report ends with the command that shows it again)");
  const loadPrev = str(o.loadPrev);
  if (load !== undefined && loadPrev !== undefined) throw new UsageError("give --load or --load-prev, not both");
  if (!o.help && !o.version && load === undefined && loadPrev === undefined && command.length === 0) throw new UsageError("no script given");
  const result: CliOptions = {
    command,
    rawCommand,
    intervalMs,
    showAll: o.showAll === true,
    timeline: o.timeline === true,
    time,
    foldRecursion: o.foldRecursion === true,
    flat: o.flat === true,
    flatTime,
    settings,
    ...(loadPrev !== undefined ? { loadPrev } : {}),
    lines: o.lines === true,
    backend,
    async: o.async !== false,
    help: o.help === true || o.h === true,
    version: o.version === true || o.v === true,
    ...(load !== undefined ? { load } : {}),
    ...(renderer !== undefined ? { renderer } : {}),
    ...(str(o.outfile) !== undefined ? { outfile: str(o.outfile)! } : {}),
    ...(typeof o.unicode === "boolean" ? { unicode: o.unicode } : {}),
    ...(typeof o.color === "boolean" ? { color: o.color } : {}),
    ...(showRegex !== undefined ? { showRegex } : {}),
    ...(hideRegex !== undefined ? { hideRegex } : {}),
    ...(filterThreshold !== undefined ? { filterThreshold } : {}),
    ...(str(o.description) !== undefined ? { description: str(o.description)! } : {}),
    ...(typeof o.open === "boolean" ? { open: o.open } : {}),
    ...(str(o.check) !== undefined ? { check: str(o.check)! } : {}),
  };
  return result;
}

/**
 * Reads the `-p key=value` settings (`-p key` sets a boolean). Keys are
 * camelCase or kebab-case names from {@linkcode SETTABLE_OPTIONS}.
 */
function parseSettings(raw: unknown): Record<string, boolean | number | RegExp | string> {
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: Record<string, boolean | number | RegExp | string> = {};
  for (const item of items) {
    const text = String(item);
    const eq = text.indexOf("=");
    const given = eq === -1 ? text : text.slice(0, eq);
    const key = given.replace(/(?<=\w)-([a-z])/g, (_, c: string) => c.toUpperCase());
    const spec = SETTABLE_OPTIONS.find((s) => s.name === key);
    if (!spec) throw new UsageError(`-p: unknown option "${given}": choose one of ${SETTABLE_OPTIONS.map((s) => s.name).join(", ")}`);
    try {
      out[key] = parseOptionValue(spec, eq === -1 ? undefined : text.slice(eq + 1));
    } catch (e) {
      throw new UsageError(`-p: ${(e as Error).message}`);
    }
  }
  return out;
}
