/**
 * Functions' spans in a source file, and the one around a place: shared by
 * the parsers that find them (`function_spans.ts` with acorn for Deno,
 * `source_functions.ts` with @babel/parser for Bun), without loading either.
 *
 * @module
 */

/** A position: 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A function's span: from its first token to its end. */
export interface FunctionSpan {
  readonly start: Position;
  readonly end: Position;
}

/** Whether `a` comes before `b`. */
const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.col < b.col);

/**
 * The innermost of `spans` that holds `at`, or `undefined` (the top level).
 *
 * @example
 * ```ts
 * import { enclosingSpan } from "./spans.ts";
 * const outer = { start: { line: 1, col: 1 }, end: { line: 9, col: 2 } };
 * const inner = { start: { line: 3, col: 5 }, end: { line: 5, col: 6 } };
 * enclosingSpan([outer, inner], { line: 4, col: 3 }); // inner
 * ```
 */
export function enclosingSpan<S extends FunctionSpan>(spans: readonly S[], at: Position): S | undefined {
  let best: S | undefined;
  for (const s of spans) {
    if (before(at, s.start) || !before(at, s.end)) continue;
    if (best === undefined || before(best.start, s.start)) best = s;
  }
  return best;
}
