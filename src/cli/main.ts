/**
 * The tsprof command: runs a script under the profiler (or loads a saved
 * profile), processes the tree and writes the chosen output. With
 * `run_report.ts`, the only modules that print and pick exit codes.
 *
 * Only what starting the script needs is loaded up front (argument parsing
 * and the child's command line): the rest, `run_report.ts`, loads while the
 * script runs, so tsprof adds as little as it can before the script starts.
 *
 * @module
 */
import { tmpdir } from "node:os";
import process from "node:process";
import { detectRuntime, type RuntimeName } from "../../runtimes/auto.ts";
import { TsprofError } from "../errors.ts";
import { FORMATS, formatForFile } from "../render/formats.ts";
import { type CliOptions, helpText, parseArgs, UsageError } from "./args.ts";
import { runChild } from "./run_child.ts";
import type { Recorded } from "./run_report.ts";
import { checkDefaultOutput, checkWritable } from "./output_file.ts";
import { VERSION } from "../version.ts";

/**
 * Runs the CLI with `argv` (arguments after the program name) and returns the
 * exit code. Errors end as one line on stderr: usage errors and unreadable
 * files exit 2.
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "attach" || argv[0] === "dump") return await targetCommand(argv[0], argv.slice(1));
  if (argv[0] === "diff" || argv[0] === "check") return await subcommand(argv[0], argv.slice(1));
  let options: CliOptions;
  try {
    options = parseArgs(argv, VERSION);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`tsprof: ${e.message} (see tsprof --help)\n`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    process.stdout.write(`${helpText(VERSION)}\n`);
    return 0;
  }
  if (options.version) {
    process.stdout.write(`tsprof/${VERSION}\n`);
    return 0;
  }
  try {
    const format = chooseFormat(options);
    if (options.outfile !== undefined) checkWritable(options.outfile);
    // A mistake in the budgets costs no run.
    if (options.check !== undefined) (await import("./budget_file.ts")).readBudgetsFile(options.check);
    if (options.load !== undefined) {
      await (await import("./run_report.ts")).showLoaded({ ...options, load: options.load }, format);
      return 0;
    }
    if (options.loadPrev !== undefined) {
      await (await import("./run_report.ts")).showPrevious({ ...options, loadPrev: options.loadPrev }, format);
      return 0;
    }
    // A run's report without -o goes to a file tsprof names (see run_report.ts): check its folder first.
    if (options.outfile === undefined && format !== "console") {
      checkDefaultOutput(format === "html" && (options.open === true || process.stderr.isTTY === true) ? tmpdir() : ".", format);
    }
    return await profileCommand(options, format);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`tsprof: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TsprofError) {
      process.stderr.write(`tsprof: ${e.message}\n`);
      return e.code === "INVALID_PROFILE_DATA" ? 2 : 1;
    }
    if (process.env.TSPROF_DEBUG) throw e;
    process.stderr.write(`tsprof: internal error: ${(e as Error).message ?? String(e)} (TSPROF_DEBUG=1 shows where)\n`);
    return 1;
  }
}

/** `tsprof attach` and `tsprof dump`: a running process (a script named so runs as `tsprof ./attach`). */
async function targetCommand(command: "attach" | "dump", argv: readonly string[]): Promise<number> {
  try {
    if (command === "dump") return await (await import("./dump.ts")).dumpCommand(argv);
    return await (await import("./attach.ts")).attachCommand(argv, (o) => {
      const format = chooseFormat(o);
      if (o.outfile !== undefined) checkWritable(o.outfile);
      return format;
    });
  } catch (e) {
    if (e instanceof UsageError || e instanceof TsprofError) {
      process.stderr.write(`tsprof: ${e.message}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    if (process.env.TSPROF_DEBUG) throw e;
    process.stderr.write(`tsprof: ${command}: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}

/** `tsprof diff` and `tsprof check`, in their own modules; errors end as in `main`. */
async function subcommand(name: "diff" | "check", args: readonly string[]): Promise<number> {
  try {
    if (name === "diff") return (await import("./diff_command.ts")).diffCommand(args);
    return (await import("./check_command.ts")).checkCommand(args);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TsprofError && e.code === "INVALID_PROFILE_DATA")) {
      process.stderr.write(`tsprof ${name}: ${e.message}\n`);
      return 2;
    }
    if (process.env.TSPROF_DEBUG) throw e;
    process.stderr.write(`tsprof ${name}: ${e instanceof TsprofError ? "" : "internal error: "}${(e as Error).message ?? String(e)}\n`);
    return name === "check" ? 2 : 1;
  }
}

/** The output format's name, from `-r`, else `-o`'s file ending, else the console. */
function chooseFormat(options: CliOptions): string {
  if (options.renderer !== undefined) return options.renderer;
  if (options.outfile !== undefined) {
    const f = formatForFile(FORMATS, options.outfile);
    if (!f) throw new UsageError(`cannot tell the format of "${options.outfile}" from its name: add -r <renderer>`);
    return f.name;
  }
  return "console";
}

async function profileCommand(options: CliOptions, format: string): Promise<number> {
  const runtime = detectRuntime();
  if (options.rawCommand) {
    // `tsprof -- <command>`: every process of the command writes into one folder.
    const { treeSetup } = await import("./run_tree.ts");
    const running = runChild(runtime, options.command, options.intervalMs, "auto", (dir) => treeSetup(options.command, dir, options.intervalMs));
    const report = loading(format);
    const child = await running;
    return (await report).finishTree(child, options, format);
  }
  if (options.backend !== "auto" && options.backend !== "portable" && options.backend !== runtime) {
    throw new UsageError(`cannot use the ${options.backend} backend on ${runtime}: choose auto, portable or ${runtime}`);
  }
  if (options.backend === "portable" && runtime === "deno") {
    throw new UsageError("--backend portable needs a module loader hook, which the CLI has on node and bun only: on deno, use the library (profiled, profiledBlock)");
  }
  // On Node the report's reading starts once the child has written its session, while it ends.
  let early: Promise<Recorded | undefined> | undefined;
  const readEarly = runtime === "node" ? (outFile: string, dir: string) => {
    early = report.then((m) => m.readRunEarly(outFile, dir, options), () => undefined);
  } : undefined;
  const running = runChild(runtime, options.command, options.intervalMs, options.backend, undefined, options.async, readEarly);
  const report = loading(format, runtime);
  const child = await running;
  return (await report).finishRun(runtime, child, options, format, early);
}

/** Starts loading `run_report.ts` while the child runs; a failure shows when awaited. */
function loading(format: string, runtime?: RuntimeName): Promise<typeof import("./run_report.ts")> {
  const report = import("./run_report.ts");
  // Every format's renderer but the console's is loaded with the others (see rendererFor).
  if (format !== "console") import("../render/registry.ts").catch(() => undefined);
  // Deno's and Bun's waits are charged by the CLI after the run: loaded meanwhile.
  if (runtime === "deno") import("./child_awaits.ts").catch(() => undefined);
  if (runtime === "bun") import("./child_awaits_bun.ts").catch(() => undefined);
  // The report's header gives the local time. An engine reads the time zone
  // the first time it is asked for one, which JavaScriptCore (Bun) is slow
  // to do: done here, it costs the time the program runs, not the report's.
  report.then(() => new Date().getHours(), () => undefined);
  return report;
}
