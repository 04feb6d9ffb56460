/**
 * How tsprof reads a module's source with @babel/parser (`await_edits.ts`
 * in Bun's child, `source_functions.ts` in the CLI). The parser is handed
 * in: the CLI loads it only when a run needs it, and this module loads
 * nothing.
 *
 * @module
 */
import type { parse as babelParse, ParserPlugin } from "@babel/parser";

/** @babel/parser's `parse`. */
export type BabelParse = typeof babelParse;

/**
 * The program of `source` as `parse` reads it (a module, TypeScript and JSX
 * as `options` say), or `undefined` when it does not parse.
 *
 * @example
 * ```ts
 * import { parse } from "@babel/parser";
 * import { parseSource } from "./parse_source.ts";
 * parseSource(parse, "let x: number = 1;", { typescript: true, jsx: false })!.type; // "Program"
 * ```
 */
export function parseSource(parse: BabelParse, source: string, options: { readonly typescript: boolean; readonly jsx: boolean }): { type: string } | undefined {
  const plugins: ParserPlugin[] = ["explicitResourceManagement", "decorators-legacy"];
  if (options.typescript) plugins.push("typescript");
  if (options.jsx) plugins.push("jsx");
  try {
    return parse(source, { sourceType: "module", plugins, allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, errorRecovery: false }).program;
  } catch {
    return undefined;
  }
}
