/**
 * Where each function of a file starts and ends, in the source a user
 * wrote. Deno's stack traces give a frame's name and the position of the
 * call in it, but not where its function starts (V8's
 * `getEnclosingLineNumber` is missing there), so the waits' frames cannot
 * be matched to the sampled ones by position. The innermost function whose
 * span holds the call is the frame's function; none is the module's top
 * level.
 *
 * The code parsed is JavaScript: the file itself, or what the runtime made
 * of a TypeScript file (Deno's emit cache) with the map back to it.
 *
 * @module
 */
import { parse } from "acorn";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import type { FunctionSpan, Position } from "./spans.ts";

export { enclosingSpan, type FunctionSpan, type Position } from "./spans.ts";

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/**
 * The spans of the functions in `code`, in the positions of the source
 * `map` (a source map's JSON text or object) leads back to, or of `code`
 * itself without one. `undefined` when the code does not parse. Functions
 * whose ends do not map are left out.
 *
 * @example
 * ```ts
 * import { functionSpans } from "./function_spans.ts";
 * functionSpans("const f = () => {\n  g();\n};\n");
 * // [{ start: { line: 1, col: 11 }, end: { line: 3, col: 2 } }]
 * ```
 */
export function functionSpans(code: string, map?: string | object): FunctionSpan[] | undefined {
  let ast: unknown;
  try {
    ast = parse(code, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true, allowHashBang: true, allowReturnOutsideFunction: true, locations: true });
  } catch {
    return undefined;
  }
  let traced: TraceMap | undefined;
  if (map !== undefined) {
    try {
      traced = new TraceMap(map as string);
    } catch {
      return undefined;
    }
  }
  const back = (line: number, column: number): Position | undefined => {
    if (traced === undefined) return { line, col: column + 1 };
    const o = originalPositionFor(traced, { line, column });
    return o.line === null || o.column === null ? undefined : { line: o.line, col: o.column + 1 };
  };
  const spans: FunctionSpan[] = [];
  // Iterative: a generated file can nest deeper than the call stack allows.
  const todo: unknown[] = [ast];
  while (todo.length > 0) {
    const node = todo.pop();
    if (Array.isArray(node)) {
      for (const child of node) todo.push(child);
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    const n = node as { type?: unknown; loc?: { start: { line: number; column: number }; end: { line: number; column: number } } };
    if (typeof n.type !== "string") continue;
    if (FUNCTION_TYPES.has(n.type) && n.loc) {
      const start = back(n.loc.start.line, n.loc.start.column);
      // The last character of the function, not the one after it, so that the map finds its segment.
      const end = back(n.loc.end.line, Math.max(0, n.loc.end.column - 1));
      if (start && end) spans.push({ start, end: { line: end.line, col: end.col + 1 } });
    }
    for (const key in n) {
      if (key === "loc" || key === "type") continue;
      const child = (n as Record<string, unknown>)[key];
      if (child !== null && typeof child === "object") todo.push(child);
    }
  }
  return spans;
}
