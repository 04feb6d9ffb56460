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
