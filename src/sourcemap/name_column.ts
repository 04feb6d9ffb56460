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
 * parameters or spaces) is declared as `name(`, or bound to it as
 * `name = (`, `name: (`, `name = function (` or `name = async (`;
 * `undefined` when the text says otherwise (the position is left as it is).
 *
 * @example
 * ```ts
 * import { nameStartBefore } from "./name_column.ts";
 * nameStartBefore("function knead(ms) {", "knead", 15); // 10
 * nameStartBefore("const o = { knead: (ms) => 1 };", "knead", 20); // 13
 * ```
 */
export function nameStartBefore(text: string, name: string, col: number): number | undefined {
  const found = nameBefore(text, col - 2, true);
  // `name` is a declared name (`parse`), the binding may be a member chain (`exports.parse`).
  return found !== undefined && found.name.slice(found.name.lastIndexOf(".") + 1) === name ? found.col : undefined;
}

/**
 * The name an unnamed function at `col` (its parameter list, or the
 * `function` or `async` keyword that starts it) is bound to, and where that
 * name starts: `const name = (`, `name: function (`, `this.name = async (`.
 * The name the engine gives such a function from the source; a transpiler
 * that keeps names at run time (esbuild's `keepNames`, as tsx runs it) wraps
 * the function in a call, and the engine sees none. A function passed as
 * an argument has none: `undefined`.
 *
 * @example
 * ```ts
 * import { boundName } from "./name_column.ts";
 * boundName("const twice = (n: number) => n * 2;", 15); // { name: "twice", col: 7 }
 * boundName("xs.map((n) => n * 2);", 8); // undefined
 * ```
 */
export function boundName(text: string, col: number): { name: string; col: number } | undefined {
  // A column inside the parameter list (tsx's maps put an arrow one past its parenthesis): from the list's start.
  return nameBefore(text, (paramListStart(text, col) ?? col) - 2, false);
}

/**
 * The name an async arrow is bound to, and where it starts, given the
 * position of its body's `{` (where JavaScriptCore places the body, which
 * it leaves unnamed: `const load = async (id: number): Promise<T> => {`).
 *
 * @example
 * ```ts
 * import { arrowBodyName } from "./name_column.ts";
 * arrowBodyName("const load = async (id: number): Promise<number> => {", 53); // { name: "load", col: 7 }
 * ```
 */
export function arrowBodyName(text: string, col: number): { name: string; col: number } | undefined {
  const params = arrowParamsAt(text, col);
  return params === undefined ? undefined : boundName(text, params + 1);
}

/**
 * Where V8 places an arrow function, given the position of its body's `{`:
 * at its `async`, else at its parameter list (its `(`, or its lone
 * parameter). For an arrow bound to no name (a callback), which
 * JavaScriptCore places at its body; `undefined` when `col` is not an
 * arrow's body.
 *
 * @example
 * ```ts
 * import { arrowStartAtBody } from "./name_column.ts";
 * arrowStartAtBody('app.get("/", async (req, res) => {', 34); // 14
 * arrowStartAtBody("xs.forEach((x) => {", 19); // 12
 * ```
 */
export function arrowStartAtBody(text: string, col: number): number | undefined {
  const params = arrowParamsAt(text, col);
  if (params === undefined) return undefined;
  let k = params - 1;
  while (k >= 0 && (text[k] === " " || text[k] === "\t")) k--;
  const isAsync = text.slice(k - 4, k + 1) === "async" && !IDENT_CHAR.test(text[k - 5] ?? "");
  return isAsync ? k - 3 : params + 1;
}

/** The 0-based index where the parameters of the arrow whose body's `{` is at `col` begin: its `(`, or a lone parameter. */
function arrowParamsAt(text: string, col: number): number | undefined {
  if (text[col - 1] !== "{") return undefined;
  let i = col - 2;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  if (text[i] !== ">" || text[i - 1] !== "=") return undefined;
  const arrow = i - 1;
  // The parameters' `)`: the first one back whose text up to the arrow is nothing or a return type.
  for (let k = arrow - 1; k >= 0; k--) {
    if (text[k] !== ")") continue;
    const between = text.slice(k + 1, arrow).trim();
    if (between !== "" && !between.startsWith(":")) continue;
    let depth = 0;
    for (let j = k; j >= 0; j--) {
      if (text[j] === ")") depth++;
      else if (text[j] === "(" && --depth === 0) return j;
    }
    return undefined;
  }
  // A single parameter without parentheses: `async x => {`.
  let j = arrow - 1;
  while (j >= 0 && (text[j] === " " || text[j] === "\t")) j--;
  const end = j;
  while (j >= 0 && IDENT_CHAR.test(text[j]!)) j--;
  return end > j ? j + 1 : undefined;
}

/**
 * The column of the `(` that opens an arrow's parameter list when `col` is
 * just inside it, at its first parameter or its `)` (where tsx's maps put an
 * arrow: one past the parenthesis V8 reports); `undefined` otherwise: a
 * call's arguments (no `=>` after the `)`), a lone parameter without
 * parentheses (`xs.map(x => x)`, where `col` is the arrow's own).
 *
 * @example
 * ```ts
 * import { paramListStart } from "./name_column.ts";
 * paramListStart("xs.map((n: number) => n * 2);", 9); // 8
 * paramListStart("xs.map(n => n * 2);", 8); // undefined
 * ```
 */
export function paramListStart(text: string, col: number): number | undefined {
  if (text[col - 2] !== "(" || text[col - 1] === "(") return undefined;
  // The list's `)`, then an arrow (or a return type before it): not a call's arguments.
  let depth = 1;
  let i = col - 1;
  for (; i < text.length && depth > 0; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
  }
  if (depth > 0) return undefined;
  while (text[i] === " " || text[i] === "\t") i++;
  return text.startsWith("=>", i) || text[i] === ":" ? col - 1 : undefined;
}

/** The keywords that may start a function before its parameter list: `async`, `function`, `*`. */
const FUNCTION_HEAD_END = /(?:\basync|\bfunction|\*)\s*$/;

/**
 * Whether the unnamed function whose parameter list (or `async`/`function`
 * keyword) starts at `col` of `text` is passed as an argument: what comes
 * before it is `(` or `,`, on its line or, for a function that starts its
 * line, at the end of what `above` returns (the line before it). V8 gives such a
 * function a name inferred from the call and any object literal after it
 * (`test.timeout` for `test("t", () => {}, { timeout: 5 })`), which no
 * source gives it.
 *
 * @example
 * ```ts
 * import { passedAsArgument } from "./name_column.ts";
 * passedAsArgument(`el.addEventListener("load", () => {}, { once: true });`, 29); // true
 * passedAsArgument("obj.method = function () {};", 23); // false
 * ```
 */
export function passedAsArgument(text: string, col: number, above: () => string | undefined = () => undefined): boolean {
  let head = text.slice(0, (paramListStart(text, col) ?? col) - 1).trimEnd();
  for (let prev = ""; prev !== head;) {
    prev = head;
    head = head.replace(FUNCTION_HEAD_END, "").trimEnd();
  }
  // Only then is the line above read.
  if (head === "") head = (above() ?? "").trimEnd();
  return head.endsWith("(") || head.endsWith(",");
}

const IDENT_CHAR = /[\w$#]/;
/** Characters that make `=` part of another operator (`==`, `<=`, `+=`, `=>`'s own `=`). */
const NOT_ASSIGNMENT = new Set(["=", "!", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "?"]);

/**
 * The identifier that names the function whose parameter list starts just
 * after `end` (an index into `text`): declared right before it (when
 * `declared` allows: `name(`, `function name(`), or bound to it through `=`
 * or an object literal's `:`, past `function`, `*` and `async`.
 */
function nameBefore(text: string, end: number, declared: boolean): { name: string; col: number } | undefined {
  let i = end;
  const skipSpace = () => {
    while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  };
  /** The identifier ending at i (skipping spaces), leaving i before it. */
  const identifier = (): { name: string; start: number } | undefined => {
    skipSpace();
    const last = i;
    while (i >= 0 && IDENT_CHAR.test(text[i]!)) i--;
    return last === i ? undefined : { name: text.slice(i + 1, last + 1), start: i + 1 };
  };
  skipSpace();
  // Type parameters (`name<T>(`), as type stripping leaves them in place.
  if (text[i] === ">" && text[i - 1] !== "=") {
    let depth = 0;
    for (; i >= 0; i--) {
      if (text[i] === ">") depth++;
      else if (text[i] === "<" && --depth === 0) break;
    }
    i--;
  }
  // The keywords of a function expression or an async arrow, between its binding and its parameters.
  for (;;) {
    skipSpace();
    if (text[i] === "*") {
      i--;
      continue;
    }
    const word = identifier();
    if (word === undefined) break;
    if (word.name === "function" || word.name === "async") continue;
    // A name right before the parameters: the function's own (declared), not a binding.
    if (!declared) return undefined;
    return { name: word.name, col: word.start + 1 };
  }
  skipSpace();
  const sign = text[i];
  if (sign === "=" && !NOT_ASSIGNMENT.has(text[i - 1] ?? "")) {
    i--;
    const bound = identifier();
    if (bound === undefined) return undefined;
    // A member chain (`this.onData = (`, `exports.parse = function (`) names it whole, as V8 does.
    let name = bound.name;
    for (skipSpace(); text[i] === "." && text[i - 1] !== "."; skipSpace()) {
      i--;
      const object = identifier();
      if (object === undefined) return undefined;
      name = `${object.name}.${name}`;
    }
    // `const f: Handler = (`: the identifier is a type annotation's, not the binding.
    if (text[i] === ":" || text[i] === ">") return undefined;
    return { name, col: bound.start + 1 };
  }
  if (sign === ":" && text[i - 1] !== ":") {
    i--;
    const key = identifier();
    if (key === undefined) return undefined;
    skipSpace();
    // An object literal's key (after `{` or `,`, or first on its line); not a ternary's `a ? b : (`, nor `case b: (`.
    if (i >= 0 && text[i] !== "{" && text[i] !== ",") return undefined;
    return { name: key.name, col: key.start + 1 };
  }
  return undefined;
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
  // The function's own name after its keywords first: before them may be a binding of the same
  // name (`exports.work = async function work(`), where the sampled frame is not placed.
  return text.startsWith(name, col - 1) ? col : nameAfterKeywords(text, name, col) ?? nameStartBefore(text, name, col);
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
