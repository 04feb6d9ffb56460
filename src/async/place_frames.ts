/**
 * Gives the frames of waits the positions their stack traces left out
 * (Deno's): each frame's function is the innermost one whose span holds the
 * place the frame was at (`AwaitWait.calls`), placed where its name starts
 * as the sampled frames are; a frame in no function is its module's top
 * level, at 1:1. A frame whose file cannot be read or parsed keeps no
 * position.
 *
 * @module
 */
import { type Frame, MODULE_FRAME_NAME } from "../format/types.ts";
import { mapOfCode, type ReadText, toPath } from "../sourcemap/map_source.ts";
import { declaredName, nameColumn } from "../sourcemap/name_column.ts";
import type { AwaitWait } from "./charge_awaits.ts";
import { mapWaitFrames } from "./wait_frames.ts";
import { enclosingSpan, type FunctionSpan, functionSpans } from "./function_spans.ts";

/**
 * A file's function spans and lines, in the positions stack traces give;
 * `undefined` when they cannot be had.
 */
export type SourceOutline = (file: string) => { readonly spans: readonly FunctionSpan[]; readonly lines: readonly string[] } | undefined;

/**
 * `waits` with their unplaced frames placed (see the module's doc).
 *
 * @example
 * ```ts
 * import { placeWaitFrames } from "./place_frames.ts";
 * const wait = {
 *   start: 0, end: 5, at: { file: "/app/a.ts", line: 2, col: 9 },
 *   stack: [{ name: "(anonymous)", file: "/app/a.ts", kind: "js" as const }],
 *   calls: [{ line: 2, col: 9 }],
 * };
 * const [w] = placeWaitFrames([wait], () => ({ spans: [], lines: ["", "await main();"] }));
 * w!.stack[0]; // { name: "(module)", file: "/app/a.ts", kind: "js", line: 1, col: 1 }
 * ```
 */
export function placeWaitFrames(waits: readonly AwaitWait[], outline: SourceOutline): AwaitWait[] {
  const outlines = new Map<string, ReturnType<SourceOutline>>();
  const outlineOf = (file: string) => {
    if (!outlines.has(file)) outlines.set(file, outline(file));
    return outlines.get(file);
  };
  return mapWaitFrames(waits, (w) => {
    if (w.calls === undefined) return w;
    const stack = w.stack.map((frame, k) => {
      const call = w.calls![k];
      if (!call || frame.line !== undefined || frame.file === undefined) return frame;
      const o = outlineOf(frame.file);
      if (o === undefined) return frame;
      const span = enclosingSpan(o.spans, call);
      if (span === undefined) return { ...frame, name: MODULE_FRAME_NAME, line: 1, col: 1 };
      const name = declaredName(frame.name);
      const text = o.lines[span.start.line - 1];
      const col = name !== undefined && text !== undefined ? nameColumn(text, name, span.start.col) : undefined;
      return { ...frame, line: span.start.line, col: col ?? span.start.col } satisfies Frame;
    });
    return { stack };
  });
}

/**
 * The outline of each source file: its functions' spans from the code that
 * ran, `emitted(file)` where the runtime compiled it (with the map back to
 * the file), the file itself otherwise.
 *
 * @example
 * ```ts
 * import { sourceOutline } from "./place_frames.ts";
 * const outline = sourceOutline(() => "function f() {}\n", () => undefined);
 * outline("/app/a.js")!.spans.length; // 1
 * ```
 */
export function sourceOutline(readText: ReadText, emitted: (file: string) => { readonly code: string; readonly path: string } | undefined): SourceOutline {
  return (file) => {
    const path = toPath(file);
    const text = path === undefined ? undefined : readText(path);
    if (path === undefined || text === undefined) return undefined;
    const e = emitted(file);
    let spans: FunctionSpan[] | undefined;
    try {
      const map = e === undefined ? undefined : mapOfCode(e.code, e.path, readText);
      spans = e === undefined ? functionSpans(text) : map === undefined ? undefined : functionSpans(e.code, map.map);
    } catch {
      spans = undefined;
    }
    return spans === undefined ? undefined : { spans, lines: text.split("\n") };
  };
}
