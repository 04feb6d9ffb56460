/**
 * The names edited code and its recorder share (`await_edits.ts`,
 * `await_points.ts`): a module of its own, so that the recorder and the
 * await tracker load without the parser.
 *
 * @module
 */

/** The registry key edited code calls: `globalThis[Symbol.for(key)](file)` gives `(value, line, col) => value`. */
export const AWAIT_POINTS_KEY = "tsprof.awaits.v2";
/** The function the edit calls at each `await`; frames of that name are not the program's. */
export const AWAIT_POINT_FUNCTION = "__tsprof$w";
