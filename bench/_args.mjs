// The benches' options, read strictly (node:util's parseArgs): an option a
// bench does not know, or one missing its value, stops it with a one-line
// error before anything runs, where before a stray `--help` ran the whole
// bench and wrote its results file over the last one.
import { parseArgs } from "node:util";

/**
 * The options of `script` (its path under bench/, for the error), given
 * each one's kind: "flag" (no value) or "value".
 *
 * @example
 * ```js
 * import { benchOptions } from "./_args.mjs";
 * const { rounds = "7", quick } = benchOptions("bench/x.mjs", { rounds: "value", quick: "flag" });
 * ```
 */
export function benchOptions(script, kinds, argv = process.argv.slice(2)) {
  const options = Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, { type: kind === "flag" ? "boolean" : "string" }]));
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    process.stderr.write(`${script}: ${e.message.split("\n")[0]} (options: ${Object.keys(kinds).map((k) => `--${k}`).join(", ")})\n`);
    process.exit(2);
  }
}
