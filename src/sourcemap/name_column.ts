/**
 * Where a V8 frame's function name starts: V8 reports a function at its
 * parameter list, editors (and Deno, Bun) at its name. Text only, no
 * dependencies, so that a preload can use it without loading the mapping
 * code.
 *
 * @module
 */

/**
 * The 1-based column where `name` starts, when the function whose position
 * V8 reports at `col` (its parameter list: just after the name, type
 * parameters or spaces) is declared as `name(` or `name = (`; `undefined`
 * when the text says otherwise (the position is left as it is).
 *
 * @example
 * ```ts
 * import { nameStartBefore } from "./name_column.ts";
 * nameStartBefore("function knead(ms) {", "knead", 15); // 10
 * ```
 */
export function nameStartBefore(text: string, name: string, col: number): number | undefined {
  let i = col - 2;
  const skipSpace = () => {
    while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  };
  skipSpace();
  // Type parameters (`name<T>(`), as type stripping leaves them in place.
  if (text[i] === ">") {
    let depth = 0;
    for (; i >= 0; i--) {
      if (text[i] === ">") depth++;
      else if (text[i] === "<" && --depth === 0) break;
    }
    i--;
    skipSpace();
  }
  // An arrow function or function expression assigned to its name.
  if (text[i] === "=" && text[i - 1] !== "=" && text[i - 1] !== "!" && text[i - 1] !== "<" && text[i - 1] !== ">") {
    i--;
    skipSpace();
  }
  const start = i + 1 - name.length;
  if (start < 0 || text.slice(start, i + 1) !== name) return undefined;
  if (start > 0 && /[\w$#]/.test(text[start - 1]!)) return undefined;
  return start + 1;
}


const IDENT = /^[#A-Za-z_$][\w$]*$/;

/**
 * The identifier a frame's function is declared with (`method` of
 * `Class.method`), or `undefined` for names that are none (`(anonymous)`).
 *
 * @example
 * ```ts
 * import { declaredName } from "./name_column.ts";
 * declaredName("Queue.push"); // "push"
 * ```
 */
export function declaredName(frameName: string): string | undefined {
  const short = frameName.includes(".") ? frameName.slice(frameName.lastIndexOf(".") + 1) : frameName;
  return IDENT.test(short) ? short : undefined;
}

/**
 * The column where `name` starts on `text`, when a frame at `col` sits at
 * its name, at V8's column just after it, or at the keywords before it (a
 * stack trace's position); `undefined` when the text says otherwise.
 *
 * @example
 * ```ts
 * import { nameColumn } from "./name_column.ts";
 * nameColumn("function knead(ms) {", "knead", 10); // 10
 * nameColumn("function knead(ms) {", "knead", 15); // 10
 * nameColumn("async function knead(ms) {", "knead", 1); // 16: a stack trace's first token
 * ```
 */
export function nameColumn(text: string, name: string, col: number): number | undefined {
  return text.startsWith(name, col - 1) ? col : nameStartBefore(text, name, col) ?? nameAfterKeywords(text, name, col);
}

/**
 * The keywords that may come before a declared function's name, one each
 * followed by spaces (`export default async`, `static`, `get`): the
 * definitions' search and {@linkcode nameColumn} share them.
 */
export const DECLARATION_MODIFIER_WORDS: readonly string[] = ["export", "default", "declare", "public", "private", "protected", "static", "override", "readonly", "abstract", "async", "get", "set", "accessor"];

/** {@linkcode DECLARATION_MODIFIER_WORDS} as a regular expression's source, each followed by spaces. */
export const DECLARATION_MODIFIERS = `(?:${DECLARATION_MODIFIER_WORDS.join("|")})\\s+`;

/**
 * A function placed at its first token, as a stack trace places it
 * (`getEnclosingColumnNumber`): the keywords, `function` and `*` before its name.
 */
const KEYWORDS_THEN_NAME = new RegExp(`^(?:${DECLARATION_MODIFIERS}|function\\b\\s*|\\*\\s*)+`);

/** The column of `name` right after the declaration keywords that start at `col`, if any. */
function nameAfterKeywords(text: string, name: string, col: number): number | undefined {
  const keywords = KEYWORDS_THEN_NAME.exec(text.slice(col - 1));
  if (!keywords) return undefined;
  const at = col - 1 + keywords[0].length;
  if (!text.startsWith(name, at) || /[\w$]/.test(text[at + name.length] ?? "")) return undefined;
  return at + 1;
}
