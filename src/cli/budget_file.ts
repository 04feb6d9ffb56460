/**
 * Reading a budgets file for `tsprof check` and `tsprof --check`, and the
 * check after a run. Light on imports: `main.ts` reads the file before the
 * script starts, so that a mistake in it costs no run.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import process from "node:process";
import { type Budgets, parseBudgetsJson } from "../diff/budget_spec.ts";
import type { Session } from "../format/types.ts";
import { UsageError } from "./args.ts";

/**
 * Reads a budgets file, with its `base` path made relative to the file.
 *
 * @throws {UsageError} when it cannot be read or is not a budgets file
 */
export function readBudgetsFile(path: string): { budgets: Budgets; base?: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read budgets "${path}": ${(e as { code?: string }).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  try {
    const parsed = parseBudgetsJson(text);
    return parsed.base === undefined ? parsed : { ...parsed, base: resolve(dirname(path), parsed.base) };
  } catch (e) {
    throw new UsageError(`budgets "${path}": ${(e as Error).message}`);
  }
}

/**
 * Checks a session just recorded against the budgets file `path` (read
 * with {@linkcode readBudgetsFile}): prints the report on stderr and
 * returns 1 if a budget is broken, else 0.
 */
export async function checkAfterRun(session: Session, path: string, loadBase: (path: string) => Session): Promise<number> {
  const { budgets, base } = readBudgetsFile(path);
  const { checkBudgets } = await import("../diff/budgets.ts");
  const { renderCheck } = await import("../render/check_report.ts");
  const results = checkBudgets(session, budgets, base !== undefined ? loadBase(base) : undefined);
  process.stderr.write(renderCheck(results, "console", base));
  return results.some((r) => r.broken) ? 1 : 0;
}
