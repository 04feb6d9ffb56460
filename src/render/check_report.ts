/**
 * The report of a budget check: one line per budget, broken ones first,
 * as text, markdown or JSON.
 *
 * @module
 */
import type { BudgetResult } from "../diff/budgets.ts";

const KIND: Record<BudgetResult["kind"], string> = { max: "max", maxShare: "max share", maxTotal: "max total", maxRegression: "max regression" };

/**
 * Renders budget results.
 *
 * @example
 * ```ts
 * import { renderCheck } from "./check_report.ts";
 * renderCheck([{ what: "total", kind: "maxTotal", limit: "2 s", actual: "2.5 s", broken: true }], "console");
 * // "tsprof check: 1 of 1 budgets broken\n  FAIL  total: 2.5 s, over its max total of 2 s\n"
 * ```
 */
export function renderCheck(results: readonly BudgetResult[], format: "console" | "markdown" | "json", against?: string): string {
  const broken = results.filter((r) => r.broken);
  const ordered = [...broken, ...results.filter((r) => !r.broken && !r.info), ...results.filter((r) => r.info)];
  const judged = results.filter((r) => !r.info);
  if (format === "json") {
    return JSON.stringify({ tsprofCheck: 1, ok: broken.length === 0, broken: broken.length, ...(against ? { base: against } : {}), budgets: results }, null, 2) + "\n";
  }
  const title = judged.length === 0
    ? "no budgets to check"
    : broken.length === 0
    ? `all ${judged.length} budgets kept`
    : `${broken.length} of ${judged.length} budgets broken`;
  const vs = (r: BudgetResult) => (r.kind === "maxRegression" && against ? ` against ${against}` : "");
  const line = (r: BudgetResult) =>
    r.info
      ? `${r.what}: ${r.actual}${vs(r)}${r.note ? ` (${r.note})` : ""}`
      : `${r.what}: ${r.actual}, ${r.broken ? "over" : "within"} its ${KIND[r.kind]} of ${r.limit}${vs(r)}${r.note ? ` (${r.note})` : ""}`;
  if (format === "markdown") {
    const esc = (s: string) => s.replace(/[\\`*_{}[\]<>|#]/g, "\\$&");
    const out = [`### tsprof check: ${title}`, ""];
    for (const r of ordered) out.push(`- ${r.broken ? "❌" : r.info ? "ℹ️" : "✅"} ${esc(line(r))}`);
    return out.join("\n") + "\n";
  }
  const out = [`tsprof check: ${title}`];
  for (const r of ordered) out.push(`  ${r.broken ? "FAIL" : r.info ? "info" : "ok  "}  ${line(r)}`);
  return out.join("\n") + "\n";
}
