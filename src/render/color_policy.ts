/**
 * Whether a report printed to a terminal gets colour: the one policy of the
 * CLI and the library.
 *
 * @module
 */

/**
 * Decides colour the usual way: an explicit flag, then `NO_COLOR` (any
 * non-empty value: no colour), then `FORCE_COLOR` (anything but `0` or
 * `false`: colour), then whether the stream is a terminal.
 *
 * @example
 * ```ts
 * import { useColor } from "./color_policy.ts";
 * useColor(undefined, true, {}); // true
 * useColor(undefined, false, { FORCE_COLOR: "1" }); // true
 * useColor(undefined, true, { NO_COLOR: "1" }); // false
 * useColor(false, true, { FORCE_COLOR: "1" }); // false: the flag decides
 * ```
 */
export function useColor(flag: boolean | undefined, isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return isTTY;
}
