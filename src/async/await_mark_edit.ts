/**
 * The edit that marks a module's `await`s (see `awaitMarkPrefix`), made on
 * its syntax tree whatever parser read it: acorn for the JavaScript Node's
 * and Deno's loaders hand over (`await_edits_js.ts`), @babel/parser for the
 * TypeScript and JSX Bun loads as written (`await_edits.ts`). Both trees
 * give each node its type and offsets, which is all the edit reads.
 *
 * Each `await X` becomes `END(START(i), await X)`, the start written over
 * the `await` keyword. A function with a block body that awaits holds the
 * token of its latest wait in a hoisted variable, declared before its
 * closing brace, and its `catch` and `finally` blocks end that wait first
 * thing (an `await` whose promise rejects does not resume through its end).
 * An ES module that awaits at its top level holds one too, declared at its
 * end with the two hoisted functions the marks call. No line is added
 * before the last.
 *
 * @module
 */
import type MagicString from "magic-string";
import { AWAIT_CAUGHT_CALL, AWAIT_TOKEN_DECLARATION, awaitMarkFunctions, awaitMarkPrefix } from "./await_point_names.ts";
import { lineIndexOf, lineStarts } from "../sourcemap/inline_maps.ts";

/** A node of a parser's tree, as the edit reads it. */
export interface SyntaxNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** A node and the innermost function it is in (`undefined`: the module's top level). */
interface Placed {
  readonly node: SyntaxNode;
  readonly fn: SyntaxNode | undefined;
}

/** What {@linkcode findAwaits} finds. */
export interface FoundAwaits {
  /** The `await` expressions, in source order. */
  readonly awaits: readonly Placed[];
  readonly tries: readonly Placed[];
}

/**
 * The `await` expressions and `try` statements under `root`, each with the
 * innermost function it is in; iterative, for deep trees.
 *
 * @example
 * ```ts
 * import { parse } from "acorn";
 * import { findAwaits } from "./await_mark_edit.ts";
 * const program = parse("async function f() { await g(); }", { ecmaVersion: "latest" });
 * findAwaits(program as never, (n) => n.type.includes("Function")).awaits.length; // 1
 * ```
 */
export function findAwaits(root: SyntaxNode, isFunction: (node: SyntaxNode) => boolean): FoundAwaits {
  const awaits: Placed[] = [];
  const tries: Placed[] = [];
  const todo: Placed[] = [{ node: root, fn: undefined }];
  while (todo.length > 0) {
    const { node, fn } = todo.pop()!;
    if (node.type === "AwaitExpression" && isNode(node.argument)) awaits.push({ node, fn });
    else if (node.type === "TryStatement") tries.push({ node, fn });
    const inner = isFunction(node) ? node : fn;
    for (const key in node) {
      // A parser's locations and comments: no code in them.
      if (key === "loc" || key === "extra" || key.endsWith("Comments")) continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) todo.push({ node: c, fn: inner });
      } else if (isNode(v)) todo.push({ node: v, fn: inner });
    }
  }
  awaits.sort((a, b) => a.node.start - b.node.start);
  return { awaits, tries };
}

/** Options for {@linkcode editAwaits}. */
export interface EditAwaitsOptions {
  /** The file, as the recorder should name it. */
  readonly file: string;
  /** An ES module (whose top level may await), not a script. */
  readonly esm: boolean;
  /** The offset where V8 places an `await`'s wait (each parser's tree has its own way to find it). */
  readonly awaitPosition: (node: SyntaxNode) => number;
  /**
   * The position the recorder is handed for an `await`, 1-based, given its
   * place in the code as it came (0-based line and column) and the
   * characters the edit inserted before it on its line.
   */
  readonly place: (line: number, col: number, inserted: number) => { line: number; col: number };
}

/**
 * Edits `s` (a MagicString over `code`) to mark the `await`s found; returns
 * the position each mark hands the recorder, by its index.
 *
 * @example
 * ```ts
 * import MagicString from "magic-string";
 * import { parse } from "acorn";
 * import { editAwaits, findAwaits } from "./await_mark_edit.ts";
 * const code = "await g();\n";
 * const s = new MagicString(code);
 * const found = findAwaits(parse(code, { ecmaVersion: "latest", sourceType: "module" }) as never, () => false);
 * editAwaits(s, code, found, { file: "/app/a.js", esm: true, awaitPosition: (n) => n.start, place: (l, c) => ({ line: l + 1, col: c + 1 }) });
 * // [{ line: 1, col: 1 }]; s.toString() starts with "(typeof __tsprof$e"
 * ```
 */
export function editAwaits(s: MagicString, code: string, found: FoundAwaits, options: EditAwaitsOptions): { line: number; col: number }[] {
  const { awaits, tries } = found;
  const starts = lineStarts(code);
  // The functions that hold the token of their latest wait (those with a
  // block body), for their `catch` and `finally` blocks to end a wait that
  // threw: a function waits at one `await` at a time.
  const holders = new Set<SyntaxNode>();
  for (const a of awaits) if (a.fn !== undefined && (a.fn.body as SyntaxNode | undefined)?.type === "BlockStatement") holders.add(a.fn);
  // The module's top level holds one where it awaits (an ES module's), hoisted at its end.
  const topLevel = options.esm && awaits.some((a) => a.fn === undefined);
  const holds = (fn: SyntaxNode | undefined) => (fn === undefined ? topLevel : holders.has(fn));
  // In offset order: what is inserted before each offset, and where each
  // `await` will be. An `await`'s position comes after its own start; at
  // one offset, a catch's end of a wait goes first, an inner `await`'s end
  // before an outer one's, a function's token last.
  type Event = { at: number; order: number } & ({ kind: "start"; k: number; held: boolean } | { kind: "position"; k: number } | { kind: "text"; text: string });
  const events: Event[] = [];
  awaits.forEach(({ node, fn }, k) => {
    events.push({ at: node.start, order: 0, kind: "start", k, held: holds(fn) });
    events.push({ at: node.end, order: 1 + (code.length - node.start), kind: "text", text: ")" });
    events.push({ at: options.awaitPosition(node), order: Number.MAX_SAFE_INTEGER, kind: "position", k });
  });
  for (const fn of holders) events.push({ at: (fn.body as SyntaxNode).end - 1, order: code.length + 2, kind: "text", text: `;${AWAIT_TOKEN_DECLARATION}` });
  for (const { node, fn } of tries) {
    if (!holds(fn)) continue;
    for (const block of [(node.handler as SyntaxNode | null)?.body as SyntaxNode | undefined, node.finalizer as SyntaxNode | null]) {
      if (block) events.push({ at: block.start + 1, order: -1, kind: "text", text: AWAIT_CAUGHT_CALL });
    }
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  const points: { line: number; col: number }[] = [];
  let inserted = 0;
  let line = -1;
  let insertedBeforeLine = 0;
  for (const e of events) {
    const l = lineIndexOf(starts, e.at);
    if (l !== line) {
      line = l;
      insertedBeforeLine = inserted;
    }
    if (e.kind === "position") {
      points[e.k] = options.place(l, e.at - starts[l]!, inserted - insertedBeforeLine);
    } else if (e.kind === "start") {
      // Written over the `await` keyword, so that a map leads the mark's calls (a stack trace
      // taken in its start, Deno's placed by that map) to the `await`, not to the code before.
      const text = awaitMarkPrefix(e.k, e.held);
      s.update(e.at, e.at + AWAIT.length, text + AWAIT);
      inserted += text.length;
    } else {
      s.appendLeft(e.at, e.text);
      inserted += e.text.length;
    }
  }
  s.append(`\n${awaitMarkFunctions(options.file, points.flatMap((p) => [p.line, p.col]))}${topLevel ? ` ${AWAIT_TOKEN_DECLARATION}` : ""}\n`);
  return points;
}

const AWAIT = "await";

function isNode(v: unknown): v is SyntaxNode {
  return typeof v === "object" && v !== null && typeof (v as SyntaxNode).type === "string" && typeof (v as SyntaxNode).start === "number";
}
