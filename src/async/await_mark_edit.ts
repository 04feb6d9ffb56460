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
 * end with the two hoisted functions the marks call. A `for await` loop,
 * which awaits each value with no `await` written, is marked around its
 * iterable and its body (`forAwaitMarks`). No line is added before the
 * last.
 *
 * @module
 */
import type MagicString from "magic-string";
import { AWAIT_CAUGHT_CALL, AWAIT_TOKEN_DECLARATION, awaitMarkFunctions, awaitMarkPrefix, forAwaitMarks, nestedAwaitMarks } from "./await_point_names.ts";
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
  /** A `for await` loop's: where the statement starts, its labels included. */
  readonly statementStart?: number;
}

/** What {@linkcode findAwaits} finds. */
export interface FoundAwaits {
  /** The `await` expressions and `for await` loops, in source order. */
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
  // `labelled`: where the labels of a statement start, for the statement they label.
  const todo: { node: SyntaxNode; fn: SyntaxNode | undefined; labelled?: number }[] = [{ node: root, fn: undefined }];
  while (todo.length > 0) {
    const { node, fn, labelled } = todo.pop()!;
    if (node.type === "AwaitExpression" && isNode(node.argument)) awaits.push({ node, fn });
    else if (node.type === "ForOfStatement" && node.await === true) awaits.push({ node, fn, statementStart: labelled ?? node.start });
    else if (node.type === "TryStatement") tries.push({ node, fn });
    const inner = isFunction(node) ? node : fn;
    const label = node.type === "LabeledStatement" ? labelled ?? node.start : undefined;
    for (const key in node) {
      // A parser's locations and comments: no code in them.
      if (key === "loc" || key === "extra" || key.endsWith("Comments")) continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) todo.push({ node: c, fn: inner });
      } else if (isNode(v)) todo.push({ node: v, fn: inner, ...(label !== undefined && key === "body" ? { labelled: label } : {}) });
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
  /** Told of each text inserted, in order: where in `code` (0-based line and column) and how long. */
  readonly onInsert?: (line: number, col: number, length: number) => void;
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
  // An arrow with an expression body whose `await` awaits in its argument holds one too, for the
  // outer wait to start after the inner (see `nestedAwaitMarks`): its body becomes a block, from
  // just after its `=>` (the offset here) to its end.
  const wrapped = new Map<SyntaxNode, number>();
  for (const k of awaitsAroundAwaits(awaits, (fn) => fn !== undefined && !holders.has(fn))) {
    const fn = awaits[k]!.fn!;
    const arrow = fn.type === "ArrowFunctionExpression" ? arrowOf(code, fn.body as SyntaxNode) : undefined;
    if (arrow === undefined || wrapped.has(fn)) continue;
    wrapped.set(fn, arrow);
    holders.add(fn);
  }
  // The module's top level holds one where it awaits (an ES module's), hoisted at its end.
  const topLevel = options.esm && awaits.some((a) => a.fn === undefined);
  const holds = (fn: SyntaxNode | undefined) => (fn === undefined ? topLevel : holders.has(fn));
  // A held token is handed to the next start of its call, whose callers are the same: not in an
  // async generator, resumed by whoever calls `next()`.
  const reuses = (fn: SyntaxNode | undefined) => holds(fn) && fn?.generator !== true;
  // In offset order: what is inserted before each offset, and where each
  // `await` will be. An `await`'s position comes after its own start; at
  // one offset, a catch's end of a wait goes first, an inner `await`'s end
  // before an outer one's, a function's token last.
  const events: MarkEvent[] = [];
  // The variables of each holder's `for await` loops and nested `await`s, declared with its token.
  const variables = new Map<SyntaxNode | undefined, string[]>();
  const declare = (fn: SyntaxNode | undefined, ...names: string[]) => variables.set(fn, [...(variables.get(fn) ?? []), ...names]);
  const nested = awaitsAroundAwaits(awaits, holds);
  awaits.forEach(({ node, fn, statementStart }, k) => {
    if (statementStart !== undefined) {
      const { variable, value, start, end } = forAwaitMarks(k, reuses(fn));
      // An iterable that awaits (`for await (x of await open())`): the first wait starts after it.
      const awaiting = nested.has(k);
      declare(fn, variable, ...(awaiting ? [value] : []));
      events.push(...forAwaitEvents(node, statementStart, { start, end, ...(awaiting ? { value } : {}) }, code.length), { at: forAwaitPosition(node), order: Number.MAX_SAFE_INTEGER, kind: "position", k });
      return;
    }
    const kept = nested.has(k) ? nestedAwaitMarks(k, reuses(fn)) : undefined;
    events.push({ at: node.start, order: 0, kind: "start", k, held: holds(fn), reused: reuses(fn), ...(kept ? { prefix: kept.prefix } : {}) });
    const close = 1 + (code.length - node.start);
    if (kept) {
      declare(fn, kept.value);
      const arg = node.argument as SyntaxNode;
      // Inside the `await`'s own parenthesis, around the inner ones'.
      events.push({ at: arg.start, order: -0.5, kind: "text", text: kept.before }, { at: arg.end, order: close - 0.5, kind: "text", text: kept.after });
    }
    events.push({ at: node.end, order: close, kind: "text", text: kept ? kept.close : ")" });
    events.push({ at: options.awaitPosition(node), order: Number.MAX_SAFE_INTEGER, kind: "position", k });
  });
  const declarations = (fn: SyntaxNode | undefined) => [AWAIT_TOKEN_DECLARATION, ...(variables.get(fn) ?? []).map((v) => `var ${v};`)].join(" ");
  for (const fn of holders) {
    const arrow = wrapped.get(fn);
    if (arrow === undefined) events.push({ at: (fn.body as SyntaxNode).end - 1, order: 4 * code.length + 8, kind: "text", text: `;${declarations(fn)}` });
    else {
      // `return (` on the body's line: a line break after a bare `return` would end the statement.
      events.push({ at: arrow, order: -3, kind: "text", text: "{ return (" }, { at: fn.end, order: 4 * code.length + 8, kind: "text", text: `);${declarations(fn)}}` });
    }
  }
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
      const text = e.prefix ?? awaitMarkPrefix(e.k, e.held, e.reused);
      s.update(e.at, e.at + AWAIT.length, text + AWAIT);
      inserted += text.length;
      options.onInsert?.(l, e.at - starts[l]!, text.length);
    } else {
      s.appendLeft(e.at, e.text);
      inserted += e.text.length;
      options.onInsert?.(l, e.at - starts[l]!, e.text.length);
    }
  }
  s.append(`\n${awaitMarkFunctions(options.file, points.flatMap((p) => [p.line, p.col]))}${topLevel ? ` ${declarations(undefined)}` : ""}\n`);
  return points;
}

/** What the edit inserts at an offset, or where an `await` will be; ordered by `order` at one offset. */
type MarkEvent = { at: number; order: number } & ({ kind: "start"; k: number; held: boolean; reused: boolean; prefix?: string } | { kind: "position"; k: number } | { kind: "text"; text: string });

/**
 * The indexes of the held `await`s whose argument, and of the `for await`
 * loops whose iterable, holds a held `await` of the same function
 * (`await f(await g())`): they start after it is evaluated (see
 * `nestedAwaitMarks`), not alongside the inner waits.
 */
function awaitsAroundAwaits(awaits: readonly Placed[], holds: (fn: SyntaxNode | undefined) => boolean): Set<number> {
  const outer = new Set<number>();
  // In source order, an `await` inside another comes after it: a stack of the ranges still open.
  const open: { k: number; from: number; to: number }[] = [];
  awaits.forEach(({ node, fn, statementStart }, k) => {
    while (open.length > 0 && open.at(-1)!.to <= node.start) open.pop();
    if (!holds(fn)) return;
    const around = open.findLast((o) => awaits[o.k]!.fn === fn && o.from <= node.start);
    if (around !== undefined) outer.add(around.k);
    const range = statementStart === undefined ? node : (node.right as SyntaxNode);
    open.push({ k, from: range.start, to: range.end });
  });
  return outer;
}

/**
 * The texts around a `for await` loop (see `forAwaitMarks`): the statement
 * in a block of its own, with the last wait's end after the loop; the
 * first wait's start before the iterable; each iteration's body in a
 * `try` whose `finally` starts the next wait, after the end of the last.
 * At one offset, an inner loop's closing texts go before an outer one's,
 * and all of them after an `await`'s closing parenthesis.
 */
function forAwaitEvents(node: SyntaxNode, statementStart: number, loop: { start: string; end: string; value?: string }, length: number): MarkEvent[] {
  const right = node.right as SyntaxNode;
  const body = node.body as SyntaxNode;
  const closing = 2 * length + 4 + 2 * (length - node.start);
  const text = (at: number, order: number, t: string): MarkEvent => ({ at, order, kind: "text", text: t });
  const block = body.type === "BlockStatement";
  return [
    text(statementStart, -2, "{ "),
    // An iterable that awaits is evaluated first: started before, the first wait would run alongside those.
    text(right.start, -1, loop.value ? `(${loop.value} = ` : `(${loop.start}, `),
    text(right.end, 1 + (length - right.start) + 0.5, loop.value ? `, ${loop.start}, ${loop.value})` : ")"),
    text(block ? body.start + 1 : body.start, -1, `${block ? "" : "{ "}${loop.end} try {`),
    text(block ? body.end - 1 : body.end, closing, `} finally { ${loop.start}; }${block ? "" : " }"}`),
    text(node.end, closing + 1, ` ${loop.end} }`),
  ];
}

/** Where V8 places a `for await` loop's waits: at the variable it assigns each value to. */
function forAwaitPosition(node: SyntaxNode): number {
  const left = node.left as SyntaxNode;
  const first = (left.declarations as SyntaxNode[] | undefined)?.[0]?.id as SyntaxNode | undefined;
  return (left.type === "VariableDeclaration" && first ? first : left).start;
}

/**
 * The offset just after an arrow's `=>`, given its expression body: only
 * spaces and the body's opening parentheses may come between (a comment
 * there, and the arrow is left as it is: `undefined`).
 */
function arrowOf(code: string, body: SyntaxNode): number | undefined {
  let at = body.start;
  while (at > 0 && /[\s(]/.test(code[at - 1]!)) at--;
  return code[at - 1] === ">" && code[at - 2] === "=" ? at : undefined;
}

const AWAIT = "await";

/**
 * What leaves the JavaScript an engine runs as it was: acorn's parentheses
 * (with `preserveParens`; @babel/parser notes them in `extra` instead) and
 * TypeScript's `f()!`, `(p as Promise<T>)`, `p satisfies T`, `<T>p`.
 */
const TRANSPARENT = new Set(["ParenthesizedExpression", "TSNonNullExpression", "TSAsExpression", "TSSatisfiesExpression", "TSTypeAssertion"]);

/**
 * Where V8 reports an `await` in the stacks its promise hooks see (where the
 * tracker finds it without marks), as an offset: at the call it awaits (`f`
 * of `f()`, `m` of `o.m()`, `new` of `new P()`), else at the `await`
 * itself. The marks hand over this place, so one `await` is at the same
 * place marked or not, and on every runtime. Reads acorn's tree and
 * @babel/parser's alike.
 *
 * @example
 * ```ts
 * import { parse } from "acorn";
 * import { v8Position } from "./await_mark_edit.ts";
 * const program = parse("async function f() { await db.load(); }", { ecmaVersion: "latest" }) as never;
 * v8Position((program as any).body[0].body.body[0].expression); // 30: `load`
 * ```
 */
export function v8Position(node: SyntaxNode): number {
  let arg = node.argument as SyntaxNode;
  while (TRANSPARENT.has(arg.type) && isNode(arg.expression)) arg = arg.expression;
  if (arg.type === "NewExpression") return arg.start;
  if (arg.type === "ChainExpression" && isNode(arg.expression)) arg = arg.expression;
  if (arg.type !== "CallExpression" && arg.type !== "OptionalCallExpression") return node.start;
  const callee = arg.callee as SyntaxNode;
  const parenthesized = (callee.extra as { parenthesized?: boolean } | undefined)?.parenthesized === true;
  if (callee.type === "Identifier" && !parenthesized) return callee.start;
  const member = callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression";
  if (member && callee.computed !== true && !parenthesized && isNode(callee.property)) return callee.property.start;
  // A computed or parenthesized callee: V8 places the call at its arguments, which have no node.
  return node.start;
}

/** Whether `v` is a node of a parser's tree. */
export function isNode(v: unknown): v is SyntaxNode {
  return typeof v === "object" && v !== null && typeof (v as SyntaxNode).type === "string" && typeof (v as SyntaxNode).start === "number";
}
