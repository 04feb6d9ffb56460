/**
 * The names edited code and its recorder share (`await_edits.ts`,
 * `await_points.ts`): a module of its own, so that the recorder and the
 * await tracker load without the parser.
 *
 * @module
 */

/** The registry key edited code calls: `globalThis[Symbol.for(key)](file)` gives `(value, line, col) => value`. */
export const AWAIT_POINTS_KEY = "tsprof.awaits.v3";
/** The function the edit calls at each `await`; frames of that name are not the program's. */
export const AWAIT_POINT_FUNCTION = "__tsprof$w";
/**
 * What a marked `await` calls: the function, or where the code runs without
 * it (a function's text run elsewhere: a browser's `page.evaluate`, `vm`, a
 * worker made from a string) the value unchanged, not a ReferenceError.
 */
export const AWAIT_POINT_CALLEE = `(typeof ${AWAIT_POINT_FUNCTION} == "function" ? ${AWAIT_POINT_FUNCTION} : (v) => v)`;

/**
 * Makes `forFile` the registry edited code asks for its file's recorder
 * (what {@linkcode awaitPointFunction} calls).
 *
 * @example
 * ```ts
 * import { registerAwaitPoints } from "./await_point_names.ts";
 * registerAwaitPoints(() => (v) => v);
 * ```
 */
export function registerAwaitPoints(forFile: (file: string) => (value: unknown, line: number, col: number) => unknown): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(AWAIT_POINTS_KEY)] = forFile;
}

/**
 * The hoisted function each marked `await` calls, appended to an edited
 * module: it asks the registry for the file's recorder once, and stays a
 * pass-through without one (a module loaded where no recorder runs).
 *
 * @example
 * ```ts
 * import { awaitPointFunction } from "./await_point_names.ts";
 * awaitPointFunction("/app/a.ts").startsWith("function __tsprof$w(v, l, c)"); // true
 * ```
 */
export function awaitPointFunction(file: string): string {
  const f = AWAIT_POINT_FUNCTION;
  return `function ${f}(v, l, c) { return (${f}.r ??= (globalThis[Symbol.for(${JSON.stringify(AWAIT_POINTS_KEY)})]?.(${JSON.stringify(file)}) ?? ((v) => v)))(v, l, c); }`;
}
