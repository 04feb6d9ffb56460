/**
 * Turns a module's `sourceMappingURL` comment into an ordinary comment, so
 * that a runtime with source maps on does not read the map: tsprof turns
 * Node's source maps on for the modules it edited alone
 * (`src/cli/child/edited_stacks.ts`), and every other module must show
 * its stack traces as it does with them off. One character changes (`#`
 * or `@` becomes a space): no position moves.
 *
 * @module
 */

/** How far from the end a module's map comment is looked for: its last lines. */
const LAST_LINES = 3;

/** The start of a map comment: `//# sourceMappingURL=`, `/*@ sourceMappingURL=`. */
const MAP_COMMENT = /^(?:\/\/|\/\*)[#@][ \t]*sourceMappingURL=/;

/**
 * `source` with its map comment, on one of its last lines, made an ordinary
 * comment; `source` itself where it has none. A comment at the start of a
 * line at the end of a module is a comment (a string or a template there
 * would never close). Bytes are read only at the lines' starts, and copied
 * only where a comment is found.
 *
 * @example
 * ```ts
 * import { withoutMapComment } from "./map_comment.ts";
 * withoutMapComment("f();\n//# sourceMappingURL=app.js.map\n"); // "f();\n//  sourceMappingURL=app.js.map\n"
 * ```
 */
export function withoutMapComment<T extends string | Uint8Array>(source: T): T {
  const at = typeof source === "string" ? commentInText(source) : commentInBytes(source);
  if (at === undefined) return source;
  if (typeof source === "string") return `${source.slice(0, at)} ${source.slice(at + 1)}` as T;
  const copy = new Uint8Array(source);
  copy[at] = 0x20;
  return copy as T;
}

/** Where the `#` or `@` of the map comment on one of the last lines of `text` is. */
function commentInText(text: string): number | undefined {
  let end = text.length;
  for (let n = 0; n < LAST_LINES && end > 0; n++) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    if (MAP_COMMENT.test(text.slice(start, start + 40))) return start + 2;
    end = start - 1;
  }
  return undefined;
}

/** As {@linkcode commentInText}, in the bytes of UTF-8 text (a line break is one byte there). */
function commentInBytes(bytes: Uint8Array): number | undefined {
  let end = bytes.length;
  for (let n = 0; n < LAST_LINES && end > 0; n++) {
    const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
    if (bytes[start] === 0x2f) {
      const head = String.fromCharCode(...bytes.subarray(start, start + 40));
      if (MAP_COMMENT.test(head)) return start + 2;
    }
    end = start - 1;
  }
  return undefined;
}
