/**
 * The functions of a source file as written (TypeScript and JSX included),
 * each with its span and the name JavaScriptCore's sampler gives it: its
 * own, or the one it gets from where it is defined (`const time = async ()
 * => {}` is `time`). Bun's stack traces name such a function "" where its
 * sampler names it `time`; its waits' frames are found by position here.
 *
 * @module
 */
import { type BabelParse, parseSource } from "./parse_source.ts";
import type { FunctionSpan } from "./spans.ts";

/** A function's span and name (`undefined`: it has none), and where the name is written. */
export interface NamedSpan extends FunctionSpan {
  readonly name?: string;
  /** Where the name starts: the function's own, or the binding's (`const time =`). */
  readonly nameAt?: { readonly line: number; readonly col: number };
}

/** A name, and the node it is written in. */
type Given = { readonly name: string; readonly node: Node } | undefined;

interface Node {
  type: string;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } };
  id?: Node | null;
  key?: Node;
  name?: string;
  [key: string]: unknown;
}

const FUNCTION = /^(?:FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/;

/**
 * The functions of `source`, read with @babel/parser's `parse`, or
 * `undefined` when it does not parse.
 *
 * @example
 * ```ts
 * import { parse } from "@babel/parser";
 * import { namedFunctionSpans } from "./source_functions.ts";
 * namedFunctionSpans(parse, "const time = async (n: string) => {\n  await n;\n};\n", { typescript: true, jsx: false });
 * // [{ name: "time", nameAt: { line: 1, col: 7 }, start: { line: 1, col: 14 }, end: { line: 3, col: 2 } }]
 * ```
 */
export function namedFunctionSpans(parse: BabelParse, source: string, options: { readonly typescript: boolean; readonly jsx: boolean }): NamedSpan[] | undefined {
  const program = parseSource(parse, source, options) as Node | undefined;
  if (program === undefined) return undefined;
  const spans: NamedSpan[] = [];
  // The name a function takes from its parent: the node that holds it, when it is one.
  const todo: [Node, Given][] = [[program, undefined]];
  while (todo.length > 0) {
    const [node, given] = todo.pop()!;
    if (FUNCTION.test(node.type) && node.loc) {
      const ownNode = node.id?.name !== undefined ? node.id : node.key?.type === "Identifier" ? node.key : undefined;
      const named = ownNode ? { name: ownNode.name!, node: ownNode } : given;
      const { start, end } = node.loc;
      const at = named?.node.loc?.start;
      spans.push({
        ...(named !== undefined ? { name: named.name } : {}),
        ...(at ? { nameAt: { line: at.line, col: at.column + 1 } } : {}),
        start: { line: start.line, col: start.column + 1 },
        end: { line: end.line, col: end.column + 1 },
      });
    }
    for (const key in node) {
      if (key === "loc" || key === "extra" || key.endsWith("Comments")) continue;
      const v = node[key];
      const children = Array.isArray(v) ? v : [v];
      for (const c of children) {
        if (c === null || typeof c !== "object" || typeof (c as Node).type !== "string") continue;
        todo.push([c as Node, nameFor(node, key)]);
      }
    }
  }
  return spans;
}

/** The name `parent` gives a function held under `key`, and where it is written. */
function nameFor(parent: Node, key: string): Given {
  const named = (n: Node | undefined): Given => (n?.type === "Identifier" && n.name !== undefined ? { name: n.name, node: n } : undefined);
  if (parent.type === "VariableDeclarator" && key === "init") return named(parent.id ?? undefined);
  if (parent.type === "AssignmentExpression" && key === "right") return named(parent.left as Node);
  if ((parent.type === "ObjectProperty" || parent.type === "ClassProperty") && key === "value") return named(parent.key);
  return undefined;
}
