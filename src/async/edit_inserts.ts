/**
 * What the await marks inserted in a file Bun runs edited, and the way back
 * from a position in the edited text to the same place in the file as
 * written. Bun reads no map from a plugin's output, so the positions it
 * reports (its samples' functions, its stack traces' calls) are the edited
 * text's: a function after an `await` on its line sits past where it is
 * written, often past the end of the line. The marks only insert, and add
 * no line, so each line's insertions take every position back. Back in the
 * file's own positions, a compiled file's map beside it applies as it did
 * before the edit (a map of the edit would have to be composed with it).
 *
 * @module
 */
import { mapWaitFrames } from "./wait_frames.ts";

/** A file's insertions, in order: `[line, col, length, ...]`, 1-based, at the file's own positions. */
export type EditInserts = readonly number[];

/**
 * The column in the file as written of what the edited text has at `line`,
 * `col` (1-based). A column inside an insertion goes to the character just
 * before it (the insertion's own place when it starts the line): the marks
 * insert inside the code they mark, and a call made in a mark (a wait's
 * start, after an `await`'s argument) must fall inside its function, not
 * at the end of an arrow's body.
 *
 * @example
 * ```ts
 * import { uneditedColumn } from "./edit_inserts.ts";
 * // "ab" + "XYZ" inserted before column 3 of "abcd".
 * uneditedColumn([1, 3, 3], 1, 6); // 3: the "c"
 * uneditedColumn([1, 3, 3], 1, 4); // 2: inside the insertion, the "b" before it
 * uneditedColumn([1, 3, 3], 2, 6); // 6: another line
 * ```
 */
export function uneditedColumn(inserts: EditInserts, line: number, col: number): number {
  let shift = 0;
  for (let i = 0; i < inserts.length; i += 3) {
    const l = inserts[i]!;
    if (l < line) continue;
    if (l > line) break;
    const at = inserts[i + 1]! + shift;
    if (at > col) break;
    const length = inserts[i + 2]!;
    if (col < at + length) return Math.max(1, inserts[i + 1]! - 1);
    shift += length;
  }
  return col - shift;
}

/** Frames with a line and column: where they sit. */
interface Placed {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

/**
 * `frames` with the columns Bun reported in the edited files of `inserts`
 * (by path) taken back to the files as written; the others as they are.
 *
 * @example
 * ```ts
 * import { uneditFrames } from "./edit_inserts.ts";
 * uneditFrames([{ name: "f", file: "/app/a.ts", line: 1, col: 40 }], { "/app/a.ts": [1, 10, 20] }); // col 20
 * ```
 */
export function uneditFrames<F extends Placed>(frames: readonly F[], inserts: Readonly<Record<string, EditInserts>> | undefined): F[] {
  if (inserts === undefined) return frames.slice();
  return frames.map((f) => {
    const edits = f.file === undefined ? undefined : inserts[f.file];
    if (edits === undefined || f.line === undefined || f.col === undefined) return f;
    const col = uneditedColumn(edits, f.line, f.col);
    return col === f.col ? f : { ...f, col };
  });
}

/** A wait's frames and the places its calls were at (`AwaitWait`'s, loosely). */
interface WaitCalls {
  readonly stack: readonly Placed[];
  readonly calls?: readonly ({ readonly line: number; readonly col: number } | null | undefined)[];
}

/**
 * `waits` with the places of their calls in the edited files of `inserts`
 * taken back to the files as written (their `await`s' places are the
 * source's already: the marks hand those over).
 *
 * @example
 * ```ts
 * import { uneditWaitCalls } from "./edit_inserts.ts";
 * const wait = { stack: [{ file: "/app/a.ts" }], calls: [{ line: 1, col: 40 }] };
 * uneditWaitCalls([wait], { "/app/a.ts": [1, 10, 20] })[0]!.calls; // [{ line: 1, col: 20 }]
 * ```
 */
export function uneditWaitCalls<W extends WaitCalls>(waits: readonly W[], inserts: Readonly<Record<string, EditInserts>> | undefined): W[] {
  if (inserts === undefined) return waits.slice();
  return mapWaitFrames(waits, (w) => {
    if (w.calls === undefined) return w;
    let changed = false;
    const calls = w.calls.map((call, k) => {
      const file = w.stack[k]?.file;
      const edits = file === undefined ? undefined : inserts[file];
      if (call == null || edits === undefined) return call;
      const col = uneditedColumn(edits, call.line, call.col);
      if (col === call.col) return call;
      changed = true;
      return { ...call, col };
    });
    return changed ? { stack: w.stack, calls } : w;
  });
}
