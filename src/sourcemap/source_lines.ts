/**
 * Lines of source files, for placing frames at their functions: a profile
 * needs a few lines of each file it ran, and the files can be large
 * (a 9 MB compiler, a bundle). Read as bytes, a file is only scanned for its
 * line ends; a line is decoded when asked for. Reading files is the
 * runtime's job, so it is passed in.
 *
 * @module
 */
import type { ReadText } from "./map_source.ts";

/** Reads bytes of an open file at `position` into `into`: how many were read, 0 at its end. */
export type ReadAt = (into: Uint8Array, position: number) => number;

/**
 * Runs `use` with reads at positions in the file at `path`; `undefined` when
 * the file cannot be opened or read. Reading files is the runtime's job
 * (`runtimes/_files.ts`, which keeps the files open for a pass), so it is
 * passed in.
 */
export type OpenFile = <T>(path: string, use: (readAt: ReadAt) => T) => T | undefined;

/** The lines of one file. */
export interface SourceLines {
  /** How many lines the file has (a final line without a newline counts). */
  readonly count: number;
  /** The 1-based line `n` without its newline; `undefined` past the end. */
  line(n: number): string | undefined;
  /**
   * Reads the lines that `line()` will be asked for, in one pass in the
   * file's order, where reading them one by one would cost a call each.
   */
  prefetch?(lines: Iterable<number>): void;
}

/** The lines of the file at a path, each file read once; `undefined` when it cannot be read. */
export type ReadLines = (path: string) => SourceLines | undefined;

const NEWLINE = 10;
/** The scan's reads: large enough to cost few calls, small enough to be reused memory, not fresh pages. */
const CHUNK_BYTES = 1 << 18;
/** Lines read together in a search upwards (for a definition), from the one asked for. */
const WINDOW_LINES = 8;
const WINDOW_BYTES = 1 << 14;

/** An open function bound to one file. */
type Opened = <T>(use: (readAt: ReadAt) => T) => T | undefined;

/**
 * The lines of a file, reading it through `open`: its line ends are found
 * by one pass in `chunk`-sized reads into the same memory, and a line is
 * read and decoded when asked for (UTF-8; its columns are UTF-16 units, as
 * engines count them). Reading a whole large file at once would cost more in
 * fresh memory than the scan does.
 */
function linesAt(open: Opened, chunk: Uint8Array, kept?: KeptStarts): SourceLines | undefined {
  const scanned = kept?.starts ?? open((readAt) => {
    // starts[i] is where line i + 1 begins; the last entry is one past the end.
    // A typed array grown by doubling: pushing to an array costs more than the scan.
    let starts = new Float64Array(1024);
    let k = 1;
    let position = 0;
    for (let n = readAt(chunk, 0); n > 0; position += n, n = readAt(chunk, position)) {
      const view = n === chunk.length ? chunk : chunk.subarray(0, n);
      for (let at = view.indexOf(NEWLINE); at !== -1; at = view.indexOf(NEWLINE, at + 1)) {
        if (k + 1 >= starts.length) {
          const grown = new Float64Array(starts.length * 2);
          grown.set(starts);
          starts = grown;
        }
        starts[k++] = position + at + 1;
      }
    }
    starts[k] = position + 1;
    return { starts, count: k };
  });
  if (scanned === undefined) return undefined;
  if (kept?.starts === undefined) kept?.keep(scanned);
  const { starts, count } = scanned;
  const end = (n: number) => starts[n]! - 1;
  // A BOM stays in the line, as a whole-file UTF-8 read keeps it.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  // Decoded once each: a definition is searched for line by line upwards, often over the same lines.
  const decoded = new Map<number, string>();
  return {
    count,
    line(n) {
      if (!(n >= 1 && n <= count)) return undefined;
      const known = decoded.get(n);
      if (known !== undefined) return known;
      // The line below known: a search upwards, which the lines above it will serve.
      let lo = n;
      if (decoded.has(n + 1)) while (lo > 1 && n - lo + 1 < WINDOW_LINES && !decoded.has(lo - 1) && end(n) - starts[lo - 2]! <= WINDOW_BYTES) lo--;
      const from = starts[lo - 1]!;
      const bytes = open((readAt) => readFully(readAt, new Uint8Array(end(n) - from), from));
      if (bytes === undefined) return undefined;
      decodeLines(bytes, from, lo, n);
      return decoded.get(n);
    },
    prefetch(lines) {
      const todo = [...new Set(lines)].filter((n) => n >= 1 && n <= count && !decoded.has(n)).sort((a, b) => a - b);
      if (todo.length === 0) return;
      open((readAt) => {
        // Lines close together are read at once into the scan's memory; a longer line alone, into its own.
        for (let i = 0; i < todo.length;) {
          const from = starts[todo[i]! - 1]!;
          let j = i;
          while (j + 1 < todo.length && end(todo[j + 1]!) - from <= chunk.length) j++;
          const into = end(todo[j]!) - from <= chunk.length ? chunk.subarray(0, end(todo[j]!) - from) : new Uint8Array(end(todo[j]!) - from);
          const bytes = readFully(readAt, into, from);
          for (let k = i; k <= j; k++) decodeLines(bytes, from, todo[k]!, todo[k]!);
          i = j + 1;
        }
      });
    },
  };

  /** Decodes lines `lo` to `hi` from `bytes`, which were read from byte `from` on. */
  function decodeLines(bytes: Uint8Array, from: number, lo: number, hi: number): void {
    for (let l = lo; l <= hi; l++) decoded.set(l, decoder.decode(bytes.subarray(Math.min(starts[l - 1]! - from, bytes.length), Math.min(end(l) - from, bytes.length))));
  }
}

/** `into` filled from `position` on, or the part of it before the file's end. */
function readFully(readAt: ReadAt, into: Uint8Array, position: number): Uint8Array {
  let got = 0;
  for (let n = 1; got < into.length && n > 0; got += n) n = readAt(into.subarray(got), position + got);
  return got === into.length ? into : into.subarray(0, got);
}

/**
 * The lines of `text`, cut out when asked for (no array of every line).
 *
 * @example
 * ```ts
 * import { linesOfText } from "./source_lines.ts";
 * linesOfText("a\nb").line(1); // "a"
 * ```
 */
export function linesOfText(text: string): SourceLines {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  starts.push(text.length + 1);
  return {
    count: starts.length - 1,
    line: (n) => (n >= 1 && n < starts.length ? text.slice(starts[n - 1]!, starts[n]! - 1) : undefined),
  };
}

/**
 * A {@linkcode ReadLines} over files opened with `open`, scanning each file
 * once (see `linesAt`); the scan's memory is shared by the files.
 *
 * @example
 * ```ts
 * import { fileLineReader } from "./source_lines.ts";
 * const text = new TextEncoder().encode("a\nb");
 * const readLines = fileLineReader((_path, use) =>
 *   use((into, at) => {
 *     const part = text.subarray(at, at + into.length);
 *     into.set(part);
 *     return part.length;
 *   })
 * );
 * readLines("/app/a.js")?.line(2); // "b"
 * ```
 */
export function fileLineReader(open: OpenFile, cache?: LineStartsCache): ReadLines {
  let chunk: Uint8Array | undefined;
  return memoized((path) => {
    const kept = cache && { starts: cache.get(path), keep: (scanned: LineStarts) => cache.put(path, scanned) };
    return linesAt((use) => open(path, use), chunk ??= new Uint8Array(CHUNK_BYTES), kept);
  });
}

/**
 * Where each line of a file starts: `starts[i]` is the byte where line
 * `i + 1` begins, and `starts[count]` one past the file's end, plus one.
 */
export interface LineStarts {
  readonly starts: Float64Array | Uint32Array;
  readonly count: number;
}

/**
 * Line starts kept from one pass to the next (`src/cli/line_starts_cache.ts`):
 * for a large file, the scan for its line ends costs more than reading them.
 */
export interface LineStartsCache {
  /** The starts kept for the file at `path` as it is now, if any. */
  get(path: string): LineStarts | undefined;
  /** Keeps the starts of the file at `path`, where that is worth it. */
  put(path: string, starts: LineStarts): void;
}

/** A file's kept starts, if any, and where to keep them once scanned. */
interface KeptStarts {
  readonly starts: LineStarts | undefined;
  keep(starts: LineStarts): void;
}

/**
 * A {@linkcode ReadLines} over a text reader (sources held in memory, tests),
 * reading each file once.
 *
 * @example
 * ```ts
 * import { textLineReader } from "./source_lines.ts";
 * textLineReader(() => "x")("/app/a.js")?.line(1); // "x"
 * ```
 */
export function textLineReader(read: ReadText): ReadLines {
  return memoized((path) => {
    const text = read(path);
    return text === undefined ? undefined : linesOfText(text);
  });
}

function memoized(read: ReadLines): ReadLines {
  const files = new Map<string, SourceLines | undefined>();
  return (path) => {
    if (!files.has(path)) files.set(path, read(path));
    return files.get(path);
  };
}
