/**
 * Source maps of code edited in memory, as loaders hand it over: the map
 * inline at the end of the code (tsx and esbuild write it so), and an
 * edit's own map traced through the map of what it edited, so that
 * positions in the edited code lead back to the source as written.
 * Shared by the portable backend's transform and the CLI's await marks.
 *
 * @module
 */
// Types only: the functions are handed in (see MapLibraries).
import type { TraceMap, traceSegment } from "@jridgewell/trace-mapping";
import type { encode, SourceMapSegment } from "@jridgewell/sourcemap-codec";

/** A source map as JSON (version 3). */
export interface RawSourceMap {
  version: number;
  sources: (string | null)[];
  names: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
  sourceRoot?: string;
  file?: string;
}

/**
 * Offsets where each line starts.
 *
 * @example
 * ```ts
 * import { lineStarts } from "./inline_maps.ts";
 * lineStarts("a\nbc\n"); // [0, 2, 5]
 * ```
 */
export function lineStarts(code: string): number[] {
  const out = [0];
  for (let i = code.indexOf("\n"); i !== -1; i = code.indexOf("\n", i + 1)) out.push(i + 1);
  return out;
}

/**
 * The 0-based line of `offset`, given the offsets where lines start
 * ({@linkcode lineStarts}).
 *
 * @example
 * ```ts
 * import { lineIndexOf, lineStarts } from "./inline_maps.ts";
 * lineIndexOf(lineStarts("a\nbc\n"), 3); // 1
 * ```
 */
export function lineIndexOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The source-map functions {@linkcode composeMaps} uses, handed in by the
 * caller: a process that cannot import packages by name (Deno's CLI child,
 * whose imports resolve in the program's project) requires them by path
 * (`src/async/mark_libraries.ts`).
 */
export interface MapLibraries {
  readonly traceSegment: typeof traceSegment;
  readonly encode: typeof encode;
}

/**
 * An edit's map (its decoded mappings, into the code it edited) traced
 * through `input`, the map of that code: a map from the edited code to the
 * source as written. Segments that lead nowhere (text the edit added) are
 * dropped.
 *
 * @example
 * ```ts
 * import { TraceMap, traceSegment } from "@jridgewell/trace-mapping";
 * import { encode } from "@jridgewell/sourcemap-codec";
 * import { composeMaps } from "./inline_maps.ts";
 * const input = new TraceMap({ version: 3, sources: ["/app/a.ts"], names: [], mappings: "AAAA" });
 * composeMaps([[[0, 0, 0, 0]]], input, { traceSegment, encode }).sources; // ["/app/a.ts"]
 * ```
 */
export function composeMaps(mappings: SourceMapSegment[][], input: TraceMap, libs: MapLibraries): RawSourceMap {
  const { traceSegment, encode } = libs;
  const out: SourceMapSegment[][] = [];
  for (const line of mappings) {
    const next: SourceMapSegment[] = [];
    for (const seg of line) {
      if (seg.length === 1) continue;
      const traced = traceSegment(input, seg[2], seg[3]);
      if (!traced || traced.length === 1) continue;
      next.push(traced.length === 5 ? [seg[0], traced[1], traced[2], traced[3], traced[4]] : [seg[0], traced[1], traced[2], traced[3]]);
    }
    out.push(next);
  }
  const sources = input.resolvedSources.slice();
  const map: RawSourceMap = { version: 3, sources, names: input.names.slice(), mappings: encode(out) };
  if (input.sourcesContent) map.sourcesContent = input.sourcesContent.slice();
  return map;
}

/**
 * Splits an inline source map off the end of `code` (as tsx and esbuild
 * write it).
 */
export function takeInlineSourceMap(code: string): { code: string; map?: RawSourceMap } {
  const m = /\n?\/\/[#@] sourceMappingURL=data:application\/json[^,]*;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!m) return { code };
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0)));
    return { code: code.slice(0, m.index), map: JSON.parse(json) as RawSourceMap };
  } catch {
    return { code };
  }
}

/**
 * `code` with `map` appended as an inline source-map comment.
 *
 * @example
 * ```ts
 * import { takeInlineSourceMap, withInlineSourceMap } from "./inline_maps.ts";
 * const code = withInlineSourceMap("f();", { version: 3, sources: ["/app/a.ts"], names: [], mappings: "AAAA" });
 * takeInlineSourceMap(code).map?.sources; // ["/app/a.ts"]
 * ```
 */
export function withInlineSourceMap(code: string, map: RawSourceMap): string {
  const json = JSON.stringify(map);
  // `btoa` takes one byte a character: a map is ASCII but for the odd name or path, whose UTF-8 goes byte by byte.
  // deno-lint-ignore no-control-regex
  const base64 = /^[\x00-\x7f]*$/.test(json) ? btoa(json) : btoa(binaryString(new TextEncoder().encode(json)));
  // No `;charset=utf-8`: Deno reads an inline map only when its URL is written exactly so.
  return `${code}\n//# sourceMappingURL=data:application/json;base64,${base64}\n`;
}

/** Each byte as the character of its code, in chunks (not spread: iterating a typed array is slow). */
function binaryString(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x2000) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x2000) as unknown as number[]);
  return out;
}

