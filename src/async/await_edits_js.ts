/**
 * Marks every `await` of JavaScript as a loader hands it over (Node's module
 * hooks: the code Node runs, after tsx or type stripping), so that the
 * await tracker learns which promises are the program's own `await`s
 * without looking at the stack of every promise (`await_tracker.ts`). The
 * edit is the one `await_edits.ts` makes for Bun: `await X` becomes
 * `await CALLEE((X), line, col)` and a hoisted function at the end asks the
 * registry for the file's recorder. Here `line, col` are where V8 places the
 * `await` (see `v8Position`) in the edited code, as every other position
 * the runtime reports; the edit's source map, traced through the map the
 * code came with, leads them and the rest back to the source as written.
 * No line is added before the last.
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
import { AWAIT_POINT_CALLEE, awaitPointFunction } from "./await_point_names.ts";
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
}

// acorn's nodes, loosely: the walker reads fields by name.
type Node = AcornNode & { [key: string]: unknown };

const PREFIX = `${AWAIT_POINT_CALLEE}((`;

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
 * out!.code.split("\n")[0]; // 'const r = await (typeof __tsprof$w == "function" ? __tsprof$w : (v) => v)((fetch(url)), 1, 71);'
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
  const awaits = awaitExpressions(program);
  if (awaits.length === 0) return undefined;
  const input = taken.map === undefined ? undefined : new TraceMap(taken.map as never, read?.url);
  const s = new MagicString(taken.code);
  const starts = lineStarts(taken.code);
  // In offset order: what is inserted before each offset, and where each
  // `await` will be. A suffix's text holds its `await`'s position, which
  // comes before it; at one offset, insertions go before the position, an
  // inner `await`'s suffix before an outer one's.
  type Event = { at: number; order: number; kind: "prefix" | "suffix" | "position"; k: number };
  const events: Event[] = [];
  awaits.forEach((node, k) => {
    const arg = node.argument as Node;
    events.push({ at: arg.start, order: 0, kind: "prefix", k });
    events.push({ at: arg.end, order: 1 + (code.length - arg.start), kind: "suffix", k });
    events.push({ at: v8Position(node), order: Number.MAX_SAFE_INTEGER, kind: "position", k });
  });
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
    } else if (e.kind === "prefix") {
      s.prependRight(e.at, PREFIX);
      inserted += PREFIX.length;
    } else {
      const p = place[e.k]!;
      const text = `), ${p.line}, ${p.col})`;
      s.appendLeft(e.at, text);
      inserted += text.length;
    }
  }
  s.append(`\n${awaitPointFunction(options.file)}\n`);
  const decoded = s.generateDecodedMap({ hires: "boundary", source: options.file, includeContent: false });
  const mappings = decoded.mappings as SourceMapSegment[][];
  const map: RawSourceMap = input === undefined
    ? { version: 3, sources: [options.file], names: decoded.names, mappings: options.libs.encode(mappings) }
    : composeMaps(mappings, input, options.libs);
  return { code: withInlineSourceMap(s.toString(), map), map };
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
 * Where V8 reports an `await` in the stack its promise hooks see: at the
 * call it awaits (`f` of `f()`, `m` of `o.m()`, `new` of `new P()`), else
 * at the `await` itself (as `await_edits.ts` places it on the source).
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

/** The `await` expressions under `root`; iterative, for deep trees. */
function awaitExpressions(root: Node): Node[] {
  const found: Node[] = [];
  const todo: Node[] = [root];
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (node.type === "AwaitExpression" && isNode(node.argument)) found.push(node);
    for (const key in node) {
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) todo.push(c);
      } else if (isNode(v)) todo.push(v);
    }
  }
  return found;
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && typeof (v as Node).type === "string" && typeof (v as Node).start === "number";
}
