/**
 * Marks every `await` of JavaScript as a loader hands it over (Node's and
 * Deno's module hooks: the code the runtime runs, after tsx or type
 * stripping), so that the await tracker learns when the program's own
 * `await`s wait and resume with no promise hook and no look at any stack
 * but the few it keeps (`await_tracker.ts`). `await X` becomes
 * `END(START(i), await X)` (guarded: `awaitMarkPrefix`): arguments are
 * evaluated in order, so the start runs before `X` and the end as the
 * `await` resumes, with its token kept by the suspended function itself.
 * Two hoisted functions at the end ask the registry for the file's recorder,
 * handing it where V8 places each `await` (see `v8Position`) in the edited
 * code, as every other position the runtime reports; the edit's source
 * map, traced through the map the code came with, leads them and the rest
 * back to the source as written. No line is added before the last.
 *
 * Why acorn and magic-string: the code is JavaScript already, and they are
 * what the portable backend's transform edits it with (see there).
 *
 * @module
 */
// Types only: the libraries are handed in (see MarkLibraries).
import type { Node as AcornNode, parse } from "acorn";
import type MagicString from "magic-string";
import type { TraceMap } from "@jridgewell/trace-mapping";
import type { SourceMapSegment } from "@jridgewell/sourcemap-codec";
import { AWAIT_CAUGHT_CALL, AWAIT_TOKEN_DECLARATION, awaitMarkFunctions, awaitMarkPrefix } from "./await_point_names.ts";
import { composeMaps, lineIndexOf, lineStarts, type MapLibraries, type RawSourceMap, takeInlineSourceMap, withInlineSourceMap } from "../sourcemap/inline_maps.ts";

/**
 * The libraries the edit uses, handed in: the process that edits is the
 * program's, and Deno's resolves imports by name in the program's project,
 * not tsprof's, so the CLI's preloads require them by path
 * (`mark_libraries.ts`), and only once a module has an `await` to edit.
 */
export interface MarkLibraries extends MapLibraries {
  readonly parse: typeof parse;
  readonly MagicString: typeof MagicString;
  readonly TraceMap: typeof TraceMap;
}

/** Options for {@linkcode markAwaitsInCode}. */
export interface MarkOptions {
  readonly libs: MarkLibraries;
  /** The file, as the recorder should name it (an absolute path). */
  readonly file: string;
  readonly format: "esm" | "cjs";
  /**
   * Reads the map a `sourceMappingURL` comment names (a compiler's output
   * with its map beside it), given the comment's URL: the map and its own
   * URL, against which its sources are resolved. The edit's map is traced
   * through it. Without it, or when it gives nothing, the edit's map leads
   * to the code as it came, and the comment stays.
   */
  readonly readMap?: (ref: string) => { readonly map: RawSourceMap; readonly url: string } | undefined;
  /**
   * What position each mark hands the recorder: where V8 places the `await`
   * in the edited code (`"edited"`, the default: the CLI maps it with the
   * rest of what the runtime reports), or that place in the source as
   * written (`"source"`: Deno, whose stack traces are mapped already).
   */
  readonly positions?: "edited" | "source";
}

/** What {@linkcode markAwaitsInCode} returns. */
export interface MarkedCode {
  /** The edited code, its map inline at the end. */
  readonly code: string;
  /** Map from the edited code to the source as written. */
  readonly map: RawSourceMap;
  /** Where each mark places its `await`, by its index (as `positions` asked). */
  readonly points: readonly { readonly line: number; readonly col: number }[];
}

// acorn's nodes, loosely: the walker reads fields by name.
type Node = AcornNode & { [key: string]: unknown };

const AWAIT = "await";

/**
 * `code` (an ES module or CommonJS, with its inline map if it has one) with
 * each `await` marked, or `undefined` when it has none or does not parse.
 *
 * @example
 * ```ts
 * import { createRequire } from "node:module";
 * import { markAwaitsInCode } from "./await_edits_js.ts";
 * import { requireMarkLibraries } from "./mark_libraries.ts";
 * const libs = requireMarkLibraries(createRequire(import.meta.url));
 * const out = markAwaitsInCode("const r = await fetch(url);\n", { libs, file: "/app/a.js", format: "esm" });
 * out!.points; // [{ line: 1, col: 110 }]: `fetch`, after the mark's start
 * ```
 */
export function markAwaitsInCode(code: string, options: MarkOptions): MarkedCode | undefined {
  if (!code.includes("await")) return undefined;
  const { parse, MagicString, TraceMap } = options.libs;
  const inline = takeInlineSourceMap(code);
  const external = inline.map === undefined ? takeMapReference(inline.code) : undefined;
  const read = external && options.readMap?.(external.ref);
  const taken = read ? { code: external!.code, map: read.map } : inline;
  const esm = options.format === "esm";
  let program: Node;
  try {
    program = parse(taken.code, {
      ecmaVersion: "latest",
      sourceType: esm ? "module" : "script",
      allowHashBang: true,
      allowReturnOutsideFunction: !esm,
      allowAwaitOutsideFunction: esm,
      preserveParens: true,
    }) as unknown as Node;
  } catch {
    return undefined;
  }
  const { awaits, tries } = awaitsAndTries(program);
  if (awaits.length === 0) return undefined;
  awaits.sort((a, b) => a.node.start - b.node.start);
  const input = taken.map === undefined ? undefined : new TraceMap(taken.map as never, read?.url);
  const s = new MagicString(taken.code);
  const starts = lineStarts(taken.code);
  // The functions that hold the token of their latest wait (those with a
  // block body), for their `catch` and `finally` blocks to end a wait that
  // threw: a function waits at one `await` at a time.
  const holders = new Set<Node>();
  for (const a of awaits) if (a.fn !== undefined && (a.fn.body as Node).type === "BlockStatement") holders.add(a.fn);
  // The module's top level holds one where it awaits (an ES module's), hoisted at its end.
  const topLevel = esm && awaits.some((a) => a.fn === undefined);
  const holds = (fn: Node | undefined) => (fn === undefined ? topLevel : holders.has(fn));
  // In offset order: what is inserted before each offset, and where each
  // `await` will be. An `await`'s position comes after its own start; at
  // one offset, a catch's end of a wait goes first, an inner `await`'s end
  // before an outer one's, a function's token last.
  type Event = { at: number; order: number } & ({ kind: "start"; k: number; held: boolean } | { kind: "position"; k: number } | { kind: "text"; text: string });
  const events: Event[] = [];
  awaits.forEach(({ node, fn }, k) => {
    events.push({ at: node.start, order: 0, kind: "start", k, held: holds(fn) });
    events.push({ at: node.end, order: 1 + (code.length - node.start), kind: "text", text: ")" });
    events.push({ at: v8Position(node), order: Number.MAX_SAFE_INTEGER, kind: "position", k });
  });
  for (const fn of holders) events.push({ at: (fn.body as Node).end - 1, order: code.length + 2, kind: "text", text: `;${AWAIT_TOKEN_DECLARATION}` });
  for (const { node, fn } of tries) {
    if (!holds(fn)) continue;
    for (const block of [(node.handler as Node | null)?.body as Node | undefined, node.finalizer as Node | null]) {
      if (block) events.push({ at: block.start + 1, order: -1, kind: "text", text: AWAIT_CAUGHT_CALL });
    }
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  const place: { line: number; col: number }[] = [];
  const source = options.positions === "source";
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
      const col = e.at - starts[l]!;
      place[e.k] = source ? sourcePosition(l, col, input, options.libs) : { line: l + 1, col: col + (inserted - insertedBeforeLine) + 1 };
    } else if (e.kind === "start") {
      // Written over the `await` keyword, so that the map leads the mark's calls (a stack trace
      // taken in its start, Deno's placed by that map) to the `await`, not to the code before.
      const text = awaitMarkPrefix(e.k, e.held);
      s.update(e.at, e.at + AWAIT.length, text + AWAIT);
      inserted += text.length;
    } else {
      s.appendLeft(e.at, e.text);
      inserted += e.text.length;
    }
  }
  s.append(`\n${awaitMarkFunctions(options.file, place.flatMap((p) => [p.line, p.col]))}${topLevel ? ` ${AWAIT_TOKEN_DECLARATION}` : ""}\n`);
  const decoded = s.generateDecodedMap({ hires: "boundary", source: options.file, includeContent: false });
  const mappings = decoded.mappings as SourceMapSegment[][];
  const map: RawSourceMap = input === undefined
    ? { version: 3, sources: [options.file], names: decoded.names, mappings: options.libs.encode(mappings) }
    : composeMaps(mappings, input, options.libs);
  return { code: withInlineSourceMap(s.toString(), map), map, points: place };
}

/** 1-based: the place at 0-based `line`, `col` of the code as it came, in the source its map leads to. */
function sourcePosition(line: number, col: number, input: TraceMap | undefined, libs: MarkLibraries): { line: number; col: number } {
  const [, , sourceLine, sourceCol] = (input && libs.traceSegment(input, line, col)) ?? [];
  return sourceLine !== undefined && sourceCol !== undefined ? { line: sourceLine + 1, col: sourceCol + 1 } : { line: line + 1, col: col + 1 };
}

/**
 * The URL a `sourceMappingURL` comment at the end of `code` names (not an
 * inline map), as written, and the code without it.
 */
function takeMapReference(code: string): { code: string; ref: string } | undefined {
  const m = /\n?\/\/[#@] sourceMappingURL=([^\s'"]+)\s*$/.exec(code);
  return m && !m[1]!.startsWith("data:") ? { code: code.slice(0, m.index), ref: m[1]! } : undefined;
}

/**
 * Where V8 reports an `await` in the stack its promise hooks see (where the
 * tracker finds it without marks, and `await_edits.ts` places it on Bun): at
 * the call it awaits (`f` of `f()`, `m` of `o.m()`, `new` of `new P()`),
 * else at the `await` itself. Marked, the same `await` is at the same place.
 */
function v8Position(node: Node): number {
  let arg = node.argument as Node;
  while (arg.type === "ParenthesizedExpression") arg = arg.expression as Node;
  if (arg.type === "NewExpression") return arg.start;
  if (arg.type === "ChainExpression") arg = arg.expression as Node;
  if (arg.type !== "CallExpression") return node.start;
  const callee = arg.callee as Node;
  if (callee.type === "Identifier") return callee.start;
  if (callee.type === "MemberExpression" && callee.computed !== true && isNode(callee.property)) return callee.property.start;
  // A computed or parenthesized callee: V8 places the call at its arguments, which have no node.
  return node.start;
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/**
 * The `await` expressions and `try` statements under `root`, each with the
 * innermost function it is in (`undefined`: the module's top level);
 * iterative, for deep trees.
 */
function awaitsAndTries(root: Node): { awaits: { node: Node; fn: Node | undefined }[]; tries: { node: Node; fn: Node | undefined }[] } {
  const awaits: { node: Node; fn: Node | undefined }[] = [];
  const tries: { node: Node; fn: Node | undefined }[] = [];
  const todo: { node: Node; fn: Node | undefined }[] = [{ node: root, fn: undefined }];
  while (todo.length > 0) {
    const { node, fn } = todo.pop()!;
    if (node.type === "AwaitExpression" && isNode(node.argument)) awaits.push({ node, fn });
    else if (node.type === "TryStatement") tries.push({ node, fn });
    const inner = FUNCTION_TYPES.has(node.type) ? node : fn;
    for (const key in node) {
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) todo.push({ node: c, fn: inner });
      } else if (isNode(v)) todo.push({ node: v, fn: inner });
    }
  }
  return { awaits, tries };
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && typeof (v as Node).type === "string" && typeof (v as Node).start === "number";
}
