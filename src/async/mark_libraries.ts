/**
 * The libraries the await marks use (`await_edits_js.ts`), required by name
 * from where `require` was made. The CLI's preloads run in the program's
 * process: Deno resolves an `import` by name in the program's project (where
 * acorn is not a dependency), while `require` resolves from tsprof's own
 * files. Required only once a module has an `await` to mark, so a program
 * with none does not load them.
 *
 * @module
 */
import type { MarkLibraries } from "./await_edits_js.ts";

/**
 * The marks' libraries through `require` (`createRequire` of a tsprof file).
 *
 * @example
 * ```ts
 * import { createRequire } from "node:module";
 * import { requireMarkLibraries } from "./mark_libraries.ts";
 * const libs = requireMarkLibraries(createRequire(import.meta.url));
 * typeof libs.parse; // "function"
 * ```
 */
export function requireMarkLibraries(require: (id: string) => unknown): MarkLibraries {
  const acorn = require("acorn") as Pick<MarkLibraries, "parse">;
  const traceMapping = require("@jridgewell/trace-mapping") as Pick<MarkLibraries, "TraceMap" | "traceSegment">;
  const codec = require("@jridgewell/sourcemap-codec") as Pick<MarkLibraries, "encode">;
  // magic-string's CommonJS build exports the class itself.
  const MagicString = require("magic-string") as MarkLibraries["MagicString"];
  return { parse: acorn.parse, MagicString, TraceMap: traceMapping.TraceMap, traceSegment: traceMapping.traceSegment, encode: codec.encode };
}
