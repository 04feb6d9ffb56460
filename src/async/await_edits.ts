/**
 * Marks every `await` of a module's source as Bun loads it (Bun has no
 * promise hooks), as `await_edits_js.ts` marks the JavaScript Node's and
 * Deno's loaders hand over, with the same edit (`await_mark_edit.ts`) and
 * the same recorder (`marked_awaits.ts`): each `await` tells when it is
 * about to wait and when it resumes.
 *
 * The edit is made on the source as written, TypeScript and JSX included,
 * and adds no line before the last: Bun still compiles the file itself
 * (with its own settings: JSX factory, decorators), and every position it
 * reports, in a sample or a stack trace, keeps its line. Only the columns
 * after an `await` on its line move. Each mark hands the recorder where V8
 * places the same `await` in the source (see `v8Position`), so that a
 * program's `[await]` frames sit where they do on Node and Deno.
 *
 * Why @babel/parser: it is the standard parser that reads TypeScript and
 * JSX as written and gives each node's exact offsets (acorn reads
 * JavaScript only).
 *
 * @module
 */
import { parse } from "@babel/parser";
import MagicString from "magic-string";
import { editAwaits, type FoundAwaits, findAwaits, type SyntaxNode, v8Position } from "./await_mark_edit.ts";
import type { EditInserts } from "./edit_inserts.ts";
import { parseSource } from "./parse_source.ts";

/** What kind of source a file holds, by its name. */
export interface AwaitEditOptions {
  /** The file, as the recorder should name it (an absolute path). */
  readonly file: string;
  /** TypeScript syntax (`.ts`, `.mts`, `.cts`, `.tsx`). */
  readonly typescript: boolean;
  /** JSX syntax (`.tsx`, `.jsx`). */
  readonly jsx: boolean;
  /**
   * Leave alone a file with no `import`, `export` or top-level `await`: a
   * runtime may run it as CommonJS, which Bun does not run when a plugin
   * hands it back (oven-sh/bun#19279).
   */
  readonly onlyModules?: boolean;
}

/** What {@linkcode markAwaitsInSource} returns. */
export interface MarkedSource {
  readonly code: string;
  /** What the edit inserted: the way back from Bun's positions in `code` to the source's. */
  readonly inserts: EditInserts;
}

/**
 * The ES module `source` with each `await` marked (see the module's doc), or
 * `undefined` when it has none or does not parse as a module.
 *
 * @example
 * ```ts
 * import { markAwaitsInSource } from "./await_edits.ts";
 * const marked = markAwaitsInSource("const r = await fetch(url as string);\n", { file: "/app/a.ts", typescript: true, jsx: false });
 * marked!.code.split("\n")[0].endsWith("__tsprof$w(0), await fetch(url as string));"); // true
 * ```
 */
export function markAwaitsInSource(source: string, options: AwaitEditOptions): MarkedSource | undefined {
  if (!source.includes("await")) return undefined;
  const program = parseSource(parse, source, options) as SyntaxNode | undefined;
  if (program === undefined) return undefined;
  const found = findAwaits(program, (n) => FUNCTION.test(n.type));
  if (found.awaits.length === 0) return undefined;
  if (options.onlyModules && !isModuleSyntax(program, found)) return undefined;
  const s = new MagicString(source);
  // Bun reports positions in the file as it was handed over, and maps none: the marks hand over
  // the source's, as they were before the edit.
  const inserts: number[] = [];
  editAwaits(s, source, found, {
    file: options.file,
    esm: true,
    awaitPosition: v8Position,
    place: (line, col) => ({ line: line + 1, col: col + 1 }),
    onInsert: (line, col, length) => void inserts.push(line + 1, col + 1, length),
  });
  return { code: s.toString(), inserts };
}

const FUNCTION = /Function|Method/;

/** Whether the program is an ES module by its syntax: an `import`, an `export`, or an `await` outside functions. */
function isModuleSyntax(program: SyntaxNode, found: FoundAwaits): boolean {
  const body = program.body as SyntaxNode[];
  // TypeScript's `export =` and `import x = require()` are CommonJS.
  if (body.some((n) => n.type === "TSExportAssignment" || n.type === "TSImportEqualsDeclaration")) return false;
  return body.some((n) => n.type.startsWith("Import") || n.type.startsWith("Export")) || found.awaits.some((a) => a.fn === undefined);
}
