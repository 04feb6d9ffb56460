/**
 * The names edited code and its recorder share: the edits
 * (`await_mark_edit.ts`, for Node's and Deno's JavaScript and Bun's
 * source) and the recorder (`marked_awaits.ts`). A module of its own, so
 * that the recorder loads without the parser.
 *
 * @module
 */

/** The function each marked `await` calls as it starts; frames of that name are not the program's. */
export const AWAIT_POINT_FUNCTION = "__tsprof$w";

/**
 * The registry key edited code calls: an {@linkcode AwaitMarks}. A new
 * protocol between the edit and its recorder takes a new key.
 */
export const AWAIT_MARKS_KEY = "tsprof.marks.v1";
/**
 * The form of the edit, for edits kept between runs (`kept_edits.ts`):
 * it changes whenever the edited text does, the protocol or not.
 */
export const AWAIT_MARKS_FORM = `${AWAIT_MARKS_KEY} form 7`;
/** The function each marked `await` calls as it resumes; frames of that name are not the program's either. */
export const AWAIT_END_FUNCTION = "__tsprof$e";

/** The variable an edited function keeps the token of its latest wait in, for its `catch` and `finally` blocks. */
export const AWAIT_TOKEN_VARIABLE = "__tsprof$t";
/** Declares {@linkcode AWAIT_TOKEN_VARIABLE}: at the end of a function's body, hoisted. */
export const AWAIT_TOKEN_DECLARATION = `var ${AWAIT_TOKEN_VARIABLE};`;
/**
 * What the edit writes first in a `catch` or `finally` block of
 * a function that awaits: the function's latest wait ends there if it
 * threw (an `await` whose promise rejected does not resume through its end).
 */
export const AWAIT_CAUGHT_CALL = `(typeof ${AWAIT_END_FUNCTION} == "function" && ${AWAIT_END_FUNCTION}(${AWAIT_TOKEN_VARIABLE}));`;

/**
 * What the edit's marks call. `start` is asked once per file,
 * with the position of each of its `await`s (line and column, in turn, by
 * the `await`'s index); the function it returns is called with that index
 * as the `await` is about to wait, and returns a token for a wait worth
 * recording, else `undefined`; a function that holds its latest token (see
 * {@linkcode AWAIT_TOKEN_VARIABLE}) hands that one in too, as `previous`:
 * its callers are this wait's (the same call of the same function), so a
 * stack taken for it serves this wait as well. `end` is called, unbound, with that token as
 * the `await` resumes with a value, or as a `catch` or `finally` block of
 * its function starts (again for a token ended already: it does nothing
 * then). An `await` that throws out of its function is not ended: its time
 * goes to the `await` that waits on that function, where that one ends.
 */
export interface AwaitMarks {
  start(file: string, positions: readonly number[]): (index: number, previous?: object) => object | undefined;
  end(token: object): void;
}

/**
 * Makes `marks` the registry edited code asks (what
 * {@linkcode awaitMarkFunctions} call).
 *
 * @example
 * ```ts
 * import { registerAwaitMarks } from "./await_point_names.ts";
 * registerAwaitMarks({ start: () => () => undefined, end: () => {} });
 * ```
 */
export function registerAwaitMarks(marks: AwaitMarks): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(AWAIT_MARKS_KEY)] = marks;
}

/**
 * What the edit writes in place of `await X`, given the
 * `await`'s index in its file: its start is called before `X` is evaluated,
 * its end when the `await` resumes, with no promise of tsprof's between
 * the two (the program's order of events and V8's async stack frames stay
 * as they were). `held`: the token is also kept in the function's
 * {@linkcode AWAIT_TOKEN_VARIABLE}; `reused`: the latest one held is handed
 * to the start (not in an async generator, whose callers change at each
 * `next()`). Guarded, for code run where the hoisted
 * functions are not (a function's text run elsewhere: a browser's
 * `page.evaluate`, `vm`, a worker made from a string): the value unchanged,
 * not a ReferenceError.
 *
 * @example
 * ```ts
 * import { awaitMarkPrefix } from "./await_point_names.ts";
 * `${awaitMarkPrefix(0, false)}await f())`.includes("__tsprof$w(0), await f())"); // true
 * ```
 */
export function awaitMarkPrefix(index: number, held: boolean, reused = held): string {
  const e = AWAIT_END_FUNCTION;
  return `(typeof ${e} == "function" ? ${e} : (t, v) => v)(${guardedStart(index, held ? [AWAIT_TOKEN_VARIABLE] : [], reused)}, `;
}

/**
 * The start of the wait of mark `index`, guarded, its token assigned to
 * each of `into`; `reused`: handed the function's latest token (`previous`
 * of {@linkcode AwaitMarks}), where that was one of the same call.
 */
function guardedStart(index: number, into: readonly string[], reused: boolean): string {
  const w = AWAIT_POINT_FUNCTION;
  const call = reused ? `${w}(${index}, ${AWAIT_TOKEN_VARIABLE})` : `${w}(${index})`;
  return `typeof ${w} == "function" && ${into.length === 0 ? call : `(${[...into, call].join(" = ")})`}`;
}

/** The variable a mark keeps a value in for a moment, before its start runs (see {@linkcode nestedAwaitMarks}). */
function valueVariable(index: number): string {
  return `__tsprof$v${index}`;
}

/** What {@linkcode nestedAwaitMarks} gives. */
export interface NestedAwaitMarks {
  /** The variable the argument's value is kept in, for a moment. */
  readonly value: string;
  /** Written in place of the `await` keyword's start (before it). */
  readonly prefix: string;
  /** Written before the argument. */
  readonly before: string;
  /** Written after it: the wait starts there. */
  readonly after: string;
  /** Written after the `await` expression. */
  readonly close: string;
}

/**
 * What the edit writes for a held `await` whose argument holds another of
 * its function's (`await f(await g())`). Its start must come after its
 * argument is evaluated: started before, its wait would run alongside the
 * inner one's, and the two would share that time as concurrent waits do.
 * So the argument's value is kept in a variable for a moment, the start
 * runs, and the value is awaited; the end reads the token from the
 * function's {@linkcode AWAIT_TOKEN_VARIABLE} as the `await` resumes (its
 * own start set it last, and nothing of that call ran since).
 *
 * @example
 * ```ts
 * import { nestedAwaitMarks } from "./await_point_names.ts";
 * nestedAwaitMarks(3).after; // ', typeof __tsprof$w == "function" && (__tsprof$t = __tsprof$w(3, __tsprof$t)), __tsprof$v3)'
 * ```
 */
export function nestedAwaitMarks(index: number, reused = true): NestedAwaitMarks {
  const e = AWAIT_END_FUNCTION;
  const value = valueVariable(index);
  return {
    value,
    prefix: `(typeof ${e} == "function" ? (v, t) => ${e}(t, v) : (v) => v)(`,
    before: `(${value} = `,
    after: `, ${guardedStart(index, [AWAIT_TOKEN_VARIABLE], reused)}, ${value})`,
    close: `, ${AWAIT_TOKEN_VARIABLE})`,
  };
}

/**
 * What the edit writes around a `for await` loop, given its index among
 * the file's marks (the loop's implicit `await`s, one per iteration, share
 * it). The loop's own variable holds the token of the wait for its next
 * value, and so does the function's {@linkcode AWAIT_TOKEN_VARIABLE}, for a
 * `catch` to end it when that value is a rejection: the wait starts before
 * the iterable is evaluated (after, for one that awaits: `value`) and as
 * each iteration ends (`finally`, so that
 * a `continue` starts it too), and ends as an iteration starts and after
 * the loop (the last wait, for the value that said it was done).
 *
 * @example
 * ```ts
 * import { forAwaitMarks } from "./await_point_names.ts";
 * forAwaitMarks(2).variable; // "__tsprof$f2"
 * ```
 */
export function forAwaitMarks(index: number, reused = true): { variable: string; value: string; start: string; end: string } {
  const variable = `__tsprof$f${index}`;
  const e = AWAIT_END_FUNCTION;
  return {
    variable,
    // For an iterable that awaits: it is evaluated into this before the first start.
    value: valueVariable(index),
    start: `(${guardedStart(index, [variable, AWAIT_TOKEN_VARIABLE], reused)})`,
    end: `(typeof ${e} == "function" && ${e}(${variable}));`,
  };
}

/**
 * The two hoisted functions appended to a module with marked
 * `await`s: the start asks the registry for the file's recorder once (a
 * pass-through without one: a module loaded where no recorder runs); the
 * end returns the value, and calls the registry only with a token.
 *
 * @example
 * ```ts
 * import { awaitMarkFunctions } from "./await_point_names.ts";
 * awaitMarkFunctions("/app/a.ts", [1, 9]).startsWith("function __tsprof$w(i, p)"); // true
 * ```
 */
export function awaitMarkFunctions(file: string, positions: readonly number[]): string {
  const w = AWAIT_POINT_FUNCTION;
  const e = AWAIT_END_FUNCTION;
  const registry = `globalThis[Symbol.for(${JSON.stringify(AWAIT_MARKS_KEY)})]`;
  return `function ${w}(i, p) { return (${w}.r ??= (${registry}?.start(${JSON.stringify(file)}, [${positions.join(",")}]) ?? (() => undefined)))(i, p); }` +
    ` function ${e}(t, v) { if (t) (${e}.r ??= ${registry}.end)(t); return v; }`;
}
