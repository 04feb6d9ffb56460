/**
 * UTF-8 encoding of output built from many small pieces, a megabyte at a
 * time: big profiles make more text than the longest string a JS engine
 * allows, but bytes are bounded only by memory.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";

/**
 * Encodes `pieces`, in order, into one byte array.
 *
 * @example
 * ```ts
 * import { encodePieces } from "./_bytes.ts";
 * encodePieces(["{", '"a":1', "}"]); // the bytes of {"a":1}
 * ```
 */
export function encodePieces(pieces: Iterable<string>): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let pending = "";
  const flush = () => {
    const bytes = encoder.encode(pending);
    chunks.push(bytes);
    size += bytes.length;
    pending = "";
  };
  for (const piece of pieces) {
    pending += piece;
    if (pending.length > 1 << 20) flush();
  }
  flush();
  return concatBytes(chunks, size);
}

