/**
 * The end of a generated code file, which is all that finding its source
 * map needs: the `sourceMappingURL` comment is among its last lines. A
 * library's bundle can be megabytes (the TypeScript compiler's is 9 MB), and
 * reading it whole to look at its last lines was most of the time spent
 * mapping a profile of it.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Files up to this size are read whole. */
const WHOLE_BYTES = 256 * 1024;
/** How much of the end of a larger file is read. */
const TAIL_BYTES = 64 * 1024;
/** Lines the tail must hold whole: `sourceMappingUrl` looks at the last 8. */
const LINES_NEEDED = 9;

/**
 * The text of `path`, or of its last lines when the file is large: whole
 * lines only, at least the last {@linkcode LINES_NEEDED}. A file whose last
 * lines are longer than the tail (an inline `data:` map, a one-line bundle)
 * is read whole. `undefined` when the file cannot be read.
 *
 * @example
 * ```ts
 * import { readCodeEnd } from "./code_end.ts";
 * readCodeEnd("/no/such/file.js"); // undefined
 * ```
 */
export function readCodeEnd(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > WHOLE_BYTES) {
      const tail = readAt(fd, size - TAIL_BYTES, TAIL_BYTES);
      let newlines = 0;
      for (let i = tail.indexOf("\n"); i !== -1; i = tail.indexOf("\n", i + 1)) newlines++;
      // The first line of the tail is cut: drop it.
      if (newlines >= LINES_NEEDED) return tail.slice(tail.indexOf("\n") + 1);
    }
    return readAt(fd, 0, size);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): string {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return new TextDecoder().decode(buffer.subarray(0, done));
}
