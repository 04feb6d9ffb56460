/**
 * Marks every `await` of a module's source so that it tells a recorder when
 * it starts waiting, for runtimes without promise hooks (Bun): `await X`
 * becomes `await __tsprof$w((X), line, col)` (the call guarded, see
 * `AWAIT_POINT_CALLEE`), where `line` and `col` are
 * where V8 places the same `await` (see `v8Position`), and a hoisted function at the end hands each call to the
 * recorder `globalThis[Symbol.for("tsprof.awaits.v1")]` made for the file
 * (the value unchanged, with no recorder).
 *
 * The edit is made on the source as written, TypeScript and JSX included,
 * and adds no line before the last: the runtime still compiles the file
 * itself (with its own settings: JSX factory, decorators), and every
 * position it reports, in a sample or a stack trace, keeps its line. Only the
 * columns after an `await` on its own line move.
 *
 * Why @babel/parser: it is the standard parser that reads TypeScript and
 * JSX as written and gives each node's exact offsets (acorn reads
 * JavaScript only).
 *
 * @module
 */
import { parse } from "@babel/parser";
import { AWAIT_POINT_CALLEE, awaitPointFunction } from "./await_point_names.ts";
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

interface Node {
  type: string;
  start: number;
  end: number;
  loc: { start: { line: number; column: number } };
  argument?: Node;
  [key: string]: unknown;
}

/**
 * The ES module `source` with each `await` marked (see the module's doc), or
 * `undefined` when it has none or does not parse as a module.
 *
 * @example
 * ```ts
 * import { instrumentAwaits } from "./await_edits.ts";
 * const code = instrumentAwaits("const r = await fetch(url as string);\n", { file: "/app/a.ts", typescript: true, jsx: false });
 * code!.split("\n")[0]; // 'const r = await (typeof __tsprof$w == "function" ? __tsprof$w : (v) => v)((fetch(url as string)), 1, 17);'
 * ```
 */
export function instrumentAwaits(source: string, options: AwaitEditOptions): string | undefined {
  if (!source.includes("await")) return undefined;
  const program = parseSource(parse, source, options) as Node | undefined;
  if (program === undefined) return undefined;
  const awaits = awaitExpressions(program);
  if (awaits.length === 0) return undefined;
  if (options.onlyModules && !isModuleSyntax(program, awaits)) return undefined;
  // Opening text goes in outer first, closing text inner first; at one offset a closing comes before an opening.
  const edits: { at: number; text: string; order: number }[] = [];
  awaits.forEach((node, k) => {
    const arg = node.argument!;
    edits.push({ at: arg.start, text: `${AWAIT_POINT_CALLEE}((`, order: awaits.length + k });
    const at = v8Position(node);
    edits.push({ at: arg.end, text: `), ${at.line}, ${at.column + 1})`, order: awaits.length - k });
  });
  edits.sort((a, b) => a.at - b.at || a.order - b.order);
  let out = "";
  let from = 0;
  for (const e of edits) {
    out += source.slice(from, e.at) + e.text;
    from = e.at;
  }
  out += source.slice(from);
  return `${out}\n${awaitPointFunction(options.file)}\n`;
}

/** Expressions that leave the JavaScript an engine runs as it was: `f()!`, `(p as Promise<T>)`. */
const TYPE_WRAPPERS = new Set(["TSNonNullExpression", "TSAsExpression", "TSSatisfiesExpression", "TSTypeAssertion"]);

/**
 * Where V8 reports an `await` in the stack its promise hooks see: at the
 * call it awaits (`f` of `f()`, `m` of `o.m()`, `new` of `new P()`), else
 * at the `await` itself. Bun's marks take the same place, so that a
 * program's `[await]` frames sit where they do on Node and Deno.
 */
function v8Position(node: Node): { line: number; column: number } {
  let arg = node.argument!;
  while (TYPE_WRAPPERS.has(arg.type) && isNode(arg.expression)) arg = arg.expression;
  if (arg.type === "NewExpression") return arg.loc.start;
  if (arg.type !== "CallExpression" && arg.type !== "OptionalCallExpression") return node.loc.start;
  const callee = arg.callee as Node;
  const parenthesized = (callee.extra as { parenthesized?: boolean } | undefined)?.parenthesized === true;
  if (callee.type === "Identifier" && !parenthesized) return callee.loc.start;
  const member = callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression";
  if (member && callee.computed !== true && !parenthesized && isNode(callee.property)) return callee.property.loc.start;
  // A computed or parenthesized callee: V8 places the call at its arguments, which have no node.
  return node.loc.start;
}

const FUNCTION = /Function|Method/;

/** Whether the program is an ES module by its syntax: an `import`, an `export`, or an `await` outside functions. */
function isModuleSyntax(program: Node, awaits: readonly (Node & { topLevel?: boolean })[]): boolean {
  const body = program.body as Node[];
  // TypeScript's `export =` and `import x = require()` are CommonJS.
  if (body.some((n) => n.type === "TSExportAssignment" || n.type === "TSImportEqualsDeclaration")) return false;
  return body.some((n) => n.type.startsWith("Import") || n.type.startsWith("Export")) || awaits.some((a) => a.topLevel);
}

/** The `await` expressions under `root`, outer before inner, each noting whether it is outside functions; iterative, for deep trees. */
function awaitExpressions(root: Node): (Node & { topLevel?: boolean })[] {
  const found: (Node & { topLevel?: boolean })[] = [];
  const todo: [Node, boolean][] = [[root, true]];
  while (todo.length > 0) {
    const [node, top] = todo.pop()!;
    if (node.type === "AwaitExpression" && node.argument) found.push(top ? Object.assign(node, { topLevel: true }) : node);
    const inside = top && !FUNCTION.test(node.type);
    // Children pushed last to first, so they are visited in source order.
    const children: Node[] = [];
    for (const key in node) {
      if (key === "loc" || key === "extra" || key === "leadingComments" || key === "trailingComments" || key === "innerComments") continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) children.push(c);
      } else if (isNode(v)) children.push(v);
    }
    for (let i = children.length - 1; i >= 0; i--) todo.push([children[i]!, inside]);
  }
  return found;
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && typeof (v as Node).type === "string" && typeof (v as Node).start === "number";
}
