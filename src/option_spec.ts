/**
 * Describes options that can be set by name from text, as the CLI's
 * `-p key=value` does: each option says its type, default and meaning, so
 * one table drives parsing, `--help` and the docs.
 *
 * @module
 */

/**
 * The type of an option's value, as text is read into it.
 *
 * @example
 * ```ts
 * import type { OptionType } from "./option_spec.ts";
 * const kinds: OptionType[] = ["boolean", "share", "count", "regex", "choice"];
 * ```
 */
export type OptionType =
  /** `true`/`false`; a bare `-p key` means true. */
  | "boolean"
  /** A share of the total from 0 to 1, e.g. `0.05`. */
  | "share"
  /** A whole number of at least 1. */
  | "count"
  /** A regular expression, e.g. `node_modules/(?!my-lib)`. */
  | "regex"
  /** One of a fixed list of words (see {@linkcode OptionSpec.values}). */
  | "choice";

/**
 * One option that can be set by name.
 *
 * @example
 * ```ts
 * import type { OptionSpec } from "./option_spec.ts";
 * const spec: OptionSpec = { name: "filterThreshold", type: "share", default: "0.01", description: "fold nodes under this share" };
 * ```
 */
export interface OptionSpec {
  /** The option's name, camelCase, as in the options object. */
  readonly name: string;
  /** How its value is read. */
  readonly type: OptionType;
  /** The allowed words, for `choice`. */
  readonly values?: readonly string[];
  /** The default, as the user would write it. */
  readonly default: string;
  /** What it does, one line. */
  readonly description: string;
}

/**
 * Reads an option's value from text.
 *
 * @param spec the option
 * @param text the value as written; `undefined` for a bare `-p key`
 * @throws {RangeError} when the text is not a value of the option's type
 * @example
 * ```ts
 * import { parseOptionValue } from "./option_spec.ts";
 * parseOptionValue({ name: "filterThreshold", type: "share", default: "0.01", description: "" }, "0.05"); // 0.05
 * ```
 */
export function parseOptionValue(spec: OptionSpec, text: string | undefined): boolean | number | RegExp | string {
  const fail = (what: string): never => {
    throw new RangeError(`"${spec.name}" must be ${what}: got "${text ?? ""}"`);
  };
  switch (spec.type) {
    case "boolean":
      if (text === undefined || text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      return fail("true or false");
    case "share": {
      const n = Number(text);
      if (text === undefined || text.trim() === "" || !(n >= 0 && n <= 1)) return fail("a share from 0 to 1");
      return n;
    }
    case "count": {
      const n = Number(text);
      if (text === undefined || !Number.isInteger(n) || n < 1) return fail("a whole number of at least 1");
      return n;
    }
    case "regex":
      if (text === undefined) return fail("a regular expression");
      try {
        return new RegExp(text);
      } catch {
        return fail("a valid regular expression");
      }
    case "choice":
      if (text === undefined || !spec.values?.includes(text)) return fail(`one of ${(spec.values ?? []).map((v) => `"${v}"`).join(", ")}`);
      return text;
  }
}
