/**
 * `tsprof check <profile>`: checks a profile against budgets and exits 1
 * when one is broken, 0 when all are kept, 2 on bad input. Also the check
 * after a run, `tsprof --check budgets.json script.ts`.
 *
 * @module
 */
import process from "node:process";
import { cac } from "cac";
import { type Budgets, checkBudgets, parseDuration, parseShare, parseShareOfTotal, splitTarget } from "../diff/budgets.ts";
import { renderCheck } from "../render/check_report.ts";
import { asksForHelp, UsageError } from "./args.ts";
import { readBudgetsFile } from "./budget_file.ts";
import { loadSession } from "./load_session.ts";
import { writeReplacing } from "./output_file.ts";

/** Help for `tsprof check --help`. */
export const CHECK_HELP = `Usage: tsprof check <profile> [--budget budgets.json] [options]

Checks a profile against budgets: exits 1 with a short report when one is
broken, 0 when all are kept, 2 on bad input.

Options:
  --budget <file>          Budgets file: {"maxTotal": "2s", "max": {"parseConfig": "50ms"},
                           "maxShare": {"lodash": "10%"}, "maxRegression": "10%", "base": "base.tsprof"}
  --max <target=time>      Time with the target on the stack at most (repeatable)
  --max-share <target=%>   Share of the total with the target on the stack at most (repeatable)
  --max-total <time>       The whole run's time at most
  --base <profile>         A base profile for --max-regression
  --max-regression <%>     How much slower than the base the total or a function's own
                           time may get; only changes the samples support count
  --noise <share>          Run-to-run spread the regression check allows for (default 0.05)
  -r, --renderer <name>    console, markdown or json (default: console)
  -o, --outfile <file>     Write the report to a file

A target is a function name, a package name (lodash, @scope/pkg) or a glob
on file paths (src/parse/*).`;

/** Runs `tsprof check` and returns its exit code. */
export function checkCommand(argv: readonly string[]): number {
  if (asksForHelp(argv)) {
    process.stdout.write(`${CHECK_HELP}\n`);
    return 0;
  }
  const cli = cac("tsprof check");
  cli
    .option("--budget <file>", "")
    .option("--max <target=time>", "")
    .option("--max-share <target=share>", "")
    .option("--max-total <time>", "")
    .option("--base <profile>", "")
    .option("--max-regression <share>", "")
    .option("--noise <share>", "", { default: 0.05 })
    .option("-r, --renderer <name>", "")
    .option("-o, --outfile <file>", "");
  const known = new Set(cli.globalCommand.options.flatMap((o) => o.names));
  for (const a of argv) {
    if (!a.startsWith("-") || a === "-") continue;
    const name = a.replace(/^--?/, "").split("=")[0]!;
    if (!known.has(name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())) && !known.has(name)) throw new UsageError(`unknown option "${a}"`);
  }
  const parsed = cli.parse(["tsprof", "check", ...argv], { run: false });
  const o = parsed.options as Record<string, unknown>;
  if (parsed.args.length !== 1) throw new UsageError(`check needs one profile: tsprof check <profile> --budget budgets.json`);
  const list = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
  const one = (v: unknown, flag: string): string | undefined => {
    if (v === undefined) return undefined;
    if (Array.isArray(v) || typeof v === "boolean") throw new UsageError(`${flag} takes one value`);
    return String(v);
  };
  const renderer = one(o.renderer, "-r") ?? (String(o.outfile ?? "").endsWith(".md") ? "markdown" : String(o.outfile ?? "").endsWith(".json") ? "json" : "console");
  if (renderer !== "console" && renderer !== "markdown" && renderer !== "json") throw new UsageError(`check: unknown renderer "${renderer}": choose console, markdown or json`);
  let budgets: Budgets = {};
  let basePath = one(o.base, "--base");
  const budgetFile = one(o.budget, "--budget");
  if (budgetFile !== undefined) {
    const read = readBudgetsFile(budgetFile);
    budgets = read.budgets;
    basePath ??= read.base;
  }
  let noise: number;
  try {
    const maxTotal = one(o.maxTotal, "--max-total");
    const maxRegression = one(o.maxRegression, "--max-regression");
    budgets = {
      ...budgets,
      ...(maxTotal !== undefined ? { maxTotalMs: parseDuration(maxTotal) } : {}),
      max: [...(budgets.max ?? []), ...list(o.max).map((t) => splitTarget(t)).map(([target, v]) => ({ target, ms: parseDuration(v) }))],
      maxShare: [...(budgets.maxShare ?? []), ...list(o.maxShare).map((t) => splitTarget(t)).map(([target, v]) => ({ target, share: parseShareOfTotal(v) }))],
      ...(maxRegression !== undefined ? { maxRegression: parseShare(maxRegression) } : {}),
    };
    noise = parseShare(String(o.noise));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (budgets.maxRegression !== undefined && basePath === undefined) throw new UsageError("--max-regression needs a base profile: --base <profile>");
  if (basePath !== undefined && budgets.maxRegression === undefined) throw new UsageError("--base needs --max-regression (how much slower may it get?)");
  const counted = (budgets.max?.length ?? 0) + (budgets.maxShare?.length ?? 0) + (budgets.maxTotalMs !== undefined ? 1 : 0) + (budgets.maxRegression !== undefined ? 1 : 0);
  if (counted === 0) throw new UsageError("no budgets given: --budget <file>, --max, --max-share, --max-total or --max-regression");
  const session = loadSession(parsed.args[0]!);
  const base = basePath !== undefined ? loadSession(basePath) : undefined;
  const results = checkBudgets(session, budgets, base, { noise });
  const report = renderCheck(results, renderer, basePath);
  const outfile = one(o.outfile, "-o");
  if (outfile !== undefined) {
    writeReplacing(outfile, report);
    // The verdict still shows where the job's log is read.
    process.stderr.write(renderer === "console" ? "" : renderCheck(results, "console", basePath));
  } else {
    process.stdout.write(report);
  }
  return results.some((r) => r.broken) ? 1 : 0;
}
