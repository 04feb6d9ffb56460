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
import { editAwaits, findAwaits, type SyntaxNode, v8Position } from "./await_mark_edit.ts";
import { composeMaps, type MapLibraries, type RawSourceMap, takeInlineSourceMap, withInlineSourceMap } from "../sourcemap/inline_maps.ts";

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
  /**
   * Where the map inline in the edited code leads, for a runtime that maps
   * its stack traces: to the source as written (`"source"`, the default:
   * Deno, and Node with source maps on, which map the code as it came
   * through its own map too), or to the code as it came (`"code"`, with
   * that code: Node with source maps off, where they are turned on for
   * the edited modules alone, `src/cli/child/edited_stacks.ts`). The
   * returned `map` leads to the source either way.
   */
  readonly inlineMap?: "source" | "code";
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

// acorn's nodes, loosely: the edit reads fields by name.
type Node = AcornNode & SyntaxNode;

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
  const found = findAwaits(program, (n) => FUNCTION_TYPES.has(n.type));
  if (found.awaits.length === 0) return undefined;
  const input = taken.map === undefined ? undefined : new TraceMap(taken.map as never, read?.url);
  const s = new MagicString(taken.code);
  const source = options.positions === "source";
  const points = editAwaits(s, taken.code, found, {
    file: options.file,
    esm,
    awaitPosition: v8Position,
    place: (line, col, inserted) => (source ? sourcePosition(line, col, input, options.libs) : { line: line + 1, col: col + inserted + 1 }),
  });
  const decoded = s.generateDecodedMap({ hires: "boundary", source: options.file, includeContent: false });
  const mappings = decoded.mappings as SourceMapSegment[][];
  // The map to the code as it came, encoded only where it is used.
  const toCode = (): RawSourceMap => ({ version: 3, sources: [options.file], names: decoded.names, mappings: options.libs.encode(mappings) });
  const map = input === undefined ? toCode() : composeMaps(mappings, input, options.libs);
  const carried = options.inlineMap === "code" ? { ...(input === undefined ? map : toCode()), sourcesContent: [taken.code] } : map;
  return { code: withInlineSourceMap(s.toString(), carried), map, points };
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

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
