/**
 * Gives the frames of waits the positions their stack traces left out, by
 * the search JavaScriptCore's sampled frames go through (`definitions.ts`):
 * from where each frame was (`AwaitWait.calls`) up to the definition of a
 * function of its name. Both then sit where the function's name is, and are
 * matched as one (`matchSampledFrames`). An unnamed frame is the function
 * around where it was (`functionsOf`), under the name JavaScriptCore's
 * sampler gives it. A frame whose definition is not found keeps the place
 * it was at.
 *
 * @module
 */
import { ANONYMOUS_NAME, type Frame } from "../format/types.ts";
import { toPath } from "../sourcemap/map_source.ts";
import { findDefinition } from "../sourcemap/definitions.ts";
import type { ReadLines } from "../sourcemap/source_lines.ts";
import type { AwaitWait } from "./charge_awaits.ts";
import { enclosingSpan } from "./spans.ts";
import { mapWaitFrames } from "./wait_frames.ts";
import type { NamedSpan } from "./source_functions.ts";


/**
 * `waits` with the places their frames were at, and their `await`s, moved
 * to the sources the code was compiled from, where `original` knows them
 * (a map beside compiled code); before {@linkcode placeWaitsAtDefinitions}.
 *
 * @example
 * ```ts
 * import { mapWaitPlaces } from "./wait_definitions.ts";
 * const wait = { start: 0, end: 5, at: { file: "/app/out/a.js", line: 2, col: 3 }, stack: [], calls: [] };
 * mapWaitPlaces([wait], (file, line, col) => ({ file: "/app/src/a.ts", line: line + 1, col })); // at /app/src/a.ts:3:3
 * ```
 */
export function mapWaitPlaces(waits: readonly AwaitWait[], original: (file: string, line: number, col: number) => { file: string; line: number; col: number } | undefined): AwaitWait[] {
  const places = new Map<AwaitWait["at"], AwaitWait["at"]>();
  const placed = waits.map((w) => {
    let at = places.get(w.at);
    if (at === undefined) places.set(w.at, (at = original(w.at.file, w.at.line, w.at.col) ?? w.at));
    return at === w.at ? w : { ...w, at };
  });
  return mapWaitFrames(placed, (w) => {
    if (w.calls === undefined) return w;
    const calls = w.calls.slice();
    const stack = w.stack.map((frame, k): Frame => {
      const call = calls[k];
      const o = call && frame.file !== undefined && frame.line === undefined ? original(frame.file, call.line, call.col) : undefined;
      if (o === undefined) return frame;
      calls[k] = { line: o.line, col: o.col };
      return { ...frame, file: o.file };
    });
    return { stack, calls };
  });
}

/**
 * `waits` with their unplaced frames at their functions' definitions.
 *
 * @example
 * ```ts
 * import { placeWaitsAtDefinitions } from "./wait_definitions.ts";
 * import { textLineReader } from "../sourcemap/source_lines.ts";
 * const wait = {
 *   start: 0, end: 5, at: { file: "/app/a.ts", line: 2, col: 3 },
 *   stack: [{ name: "f", file: "/app/a.ts", kind: "js" as const }],
 *   calls: [{ line: 2, col: 3 }],
 * };
 * const [w] = placeWaitsAtDefinitions([wait], textLineReader(() => "async function f() {\n  await g();\n}\n"));
 * w!.stack[0]; // { name: "f", file: "/app/a.ts", kind: "js", line: 1, col: 16 }
 * ```
 */
export function placeWaitsAtDefinitions(waits: readonly AwaitWait[], readLines: ReadLines, functionsOf: (path: string) => readonly NamedSpan[] | undefined = () => undefined): AwaitWait[] {
  const functions = new Map<string, readonly NamedSpan[] | undefined>();
  return mapWaitFrames(waits, (w) => {
    if (w.calls === undefined) return w;
    const stack = w.stack.map((frame, k): Frame => {
      const call = w.calls![k];
      if (!call || frame.line !== undefined || frame.file === undefined) return frame;
      const path = toPath(frame.file);
      if (path !== undefined && frame.name === ANONYMOUS_NAME) {
        if (!functions.has(path)) functions.set(path, functionsOf(path));
        const spans = functions.get(path);
        const span = spans && enclosingSpan(spans, call);
        // At its name, as a sampled frame is placed; where it starts when it has none.
        if (span) {
          const { name, nameAt } = span;
          return { ...frame, name: name ?? ANONYMOUS_NAME, line: (nameAt ?? span.start).line, col: (nameAt ?? span.start).col };
        }
      }
      const lines = path === undefined ? undefined : readLines(path);
      const def = lines && findDefinition(lines, frame.name, call.line, call.col);
      return def ? { ...frame, line: def.line, col: def.col } : { ...frame, line: call.line, col: call.col };
    });
    return { stack };
  });
}
