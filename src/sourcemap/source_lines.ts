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

/** Reads a file's bytes by absolute path; `undefined` when it cannot be read. */
export type ReadBytes = (path: string) => Uint8Array | undefined;

/** The lines of one file. */
export interface SourceLines {
  /** How many lines the file has (a final line without a newline counts). */
  readonly count: number;
  /** The 1-based line `n` without its newline; `undefined` past the end. */
  line(n: number): string | undefined;
}

/** The lines of the file at a path, each file read once; `undefined` when it cannot be read. */
export type ReadLines = (path: string) => SourceLines | undefined;

const NEWLINE = 10;

/**
 * The lines of `bytes` (UTF-8): the line ends are found now, each line is
 * decoded when asked for. Columns in a decoded line are UTF-16 units, as
 * engines count them.
 *
 * @example
 * ```ts
 * import { linesOfBytes } from "./source_lines.ts";
 * const lines = linesOfBytes(new TextEncoder().encode("a\nb"));
 * lines.count; // 2
 * lines.line(2); // "b"
 * ```
 */
export function linesOfBytes(data: Uint8Array): SourceLines {
  // A Node Buffer's own indexOf is many times slower than the typed array's.
  const bytes = Object.getPrototypeOf(data) === Uint8Array.prototype ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // starts[i] is where line i + 1 begins; the last entry is one past the end.
  // A typed array grown by doubling: pushing to an array costs more than the scan.
  let starts = new Float64Array(1024);
  let k = 1;
  for (let at = bytes.indexOf(NEWLINE); ; at = bytes.indexOf(NEWLINE, at + 1)) {
    if (k === starts.length) {
      const grown = new Float64Array(k * 2);
      grown.set(starts);
      starts = grown;
    }
    if (at === -1) {
      starts[k] = bytes.length + 1;
      break;
    }
    starts[k++] = at + 1;
  }
  const ends = starts;
  const count = k;
  // A BOM stays in the line, as a whole-file UTF-8 read keeps it.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  // Decoded once each: a definition is searched for line by line upwards, often over the same lines.
  const decoded = new Map<number, string>();
  return {
    count,
    line(n) {
      if (!(n >= 1 && n <= count)) return undefined;
      let text = decoded.get(n);
      if (text === undefined) decoded.set(n, text = decoder.decode(bytes.subarray(ends[n - 1]!, ends[n]! - 1)));
      return text;
    },
  };
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
 * A {@linkcode ReadLines} over `read`, reading each file once.
 *
 * @example
 * ```ts
 * import { bytesLineReader } from "./source_lines.ts";
 * const readLines = bytesLineReader(() => new TextEncoder().encode("x\n"));
 * readLines("/app/a.js")?.count; // 2
 * ```
 */
export function bytesLineReader(read: ReadBytes): ReadLines {
  return memoized((path) => {
    const bytes = read(path);
    return bytes === undefined ? undefined : linesOfBytes(bytes);
  });
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
