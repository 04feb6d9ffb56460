/**
 * `--show`, `--hide`, `--show-regex` and `--hide-regex`: each may be given
 * any number of times, and a frame matches when any of the patterns given
 * matches its file. Globs read as in other glob tools, over whole paths:
 * `*` matches anything (slashes too, as pyinstrument reads `--show`), `?`
 * one character, `[abc]` and `[!abc]` one of a set, `{a,b}` either. A glob
 * written as the report shows paths (`src/cli.ts`, `src/**`: relative, with
 * no scheme) matches the end of a path, from a folder's start.
 *
 * @module
 */
import { UsageError } from "./args.ts";

/** The values of a repeatable option as cac gives them: absent, one, or an array. */
function values(raw: unknown): string[] {
  if (raw === undefined || raw === true || raw === false) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== true && v !== false).map(String);
}

/**
 * A glob as a regular expression over whole paths.
 *
 * @example
 * ```ts
 * import { globToRegex } from "./frame_patterns.ts";
 * console.log(new RegExp(globToRegex("**\/{marked,zod}/**")).test("/app/node_modules/zod/index.js")); // true
 * ```
 */
export function globToRegex(glob: string): string {
  let re = "";
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[" && glob.indexOf("]", i + 2) !== -1) {
      const end = glob.indexOf("]", i + 2);
      let set = glob.slice(i + 1, end);
      const negated = set.startsWith("!") || set.startsWith("^");
      if (negated) set = set.slice(1);
      re += `[${negated ? "^" : ""}${set.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else if (c === "{" && closes(glob, i)) {
      re += "(?:";
      depth++;
    } else if (c === "," && depth > 0) re += "|";
    else if (c === "}" && depth > 0) {
      re += ")";
      depth--;
    } else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return `^${re}$`;
}

/**
 * {@linkcode globToRegex} for `--show` and `--hide`: a relative glob
 * (`src/cli.ts`, as the report shows a path) matches a whole path's end from
 * a folder's start (`/app/src/cli.ts`, not `/app/mysrc/cli.ts`).
 *
 * @example
 * ```ts
 * import { pathGlobToRegex } from "./frame_patterns.ts";
 * new RegExp(pathGlobToRegex("src/cli.ts")).test("/app/src/cli.ts"); // true
 * ```
 */
export function pathGlobToRegex(glob: string): string {
  const whole = globToRegex(glob);
  const relative = !/^[/*\\]/.test(glob) && !/^[A-Za-z][\w+.-]*:/.test(glob);
  return relative ? `^(?:.*/)?${whole.slice(1)}` : whole;
}

/** Whether the `{` at `start` has its `}` (a lone brace is a literal character). */
function closes(glob: string, start: number): boolean {
  let depth = 0;
  for (let i = start; i < glob.length; i++) {
    if (glob[i] === "{") depth++;
    else if (glob[i] === "}" && --depth === 0) return true;
  }
  return false;
}

/**
 * One pattern for every `--<name>-regex` and `--<name>` given, or
 * `undefined` when none was.
 *
 * @throws {UsageError} naming the flag of a regular expression that does not compile
 */
export function framePattern(name: "show" | "hide", regexes: unknown, globs: unknown): string | undefined {
  const parts: string[] = [];
  for (const re of values(regexes)) {
    try {
      new RegExp(re);
    } catch (e) {
      throw new UsageError(`--${name}-regex: not a valid regular expression: "${re}" (${(e as Error).message.replace(/^Invalid regular expression: /, "")})`);
    }
    parts.push(re);
  }
  for (const glob of values(globs)) parts.push(pathGlobToRegex(glob));
  return parts.length === 0 ? undefined : parts.map((p) => `(?:${p})`).join("|");
}
