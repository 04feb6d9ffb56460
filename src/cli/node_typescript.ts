/**
 * TypeScript on Node, run as Node runs it. Where `node script.ts` runs the
 * file itself (type stripping, Node 22.18+ and 23.6+, or a Node started with
 * `--experimental-strip-types`), tsprof runs it the same way: the same
 * module format (top-level await in a folder without `"type": "module"`),
 * the same positions, no transpiler's start-up. tsx runs it where Node
 * cannot: an older Node, `.tsx`, files under node_modules (Node strips no
 * types there), and an entry whose syntax needs transforming (`enum`,
 * `namespace`, parameter properties) or that imports TypeScript files by
 * their `.js` names, which the preload finds out in the child before the
 * script starts. Only the entry is checked: a module it imports that Node
 * cannot run fails as under `node script.ts`.
 *
 * @module
 */
import nodeModule from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import process from "node:process";

/** How Node treats TypeScript: `strip`, `transform`, or not at all. */
function nodeTypeScript(): "strip" | "transform" | undefined {
  const mode = (process.features as { typescript?: unknown }).typescript;
  return mode === "strip" || mode === "transform" ? mode : undefined;
}

/**
 * Whether this Node may run `script` itself: it strips types, and the file
 * is one it would strip. The entry's syntax is checked later, in the child.
 */
export function nodeRunsTypeScript(script: string): boolean {
  if (process.versions.bun !== undefined || nodeTypeScript() === undefined) return false;
  return /\.(?:ts|mts|cts)$/.test(script) && !/[\\/]node_modules[\\/]/.test(resolve(script));
}

type Strip = (code: string, options?: { mode?: "strip" | "transform" }) => string;

/**
 * In the child, before the script starts: whether Node can run the entry
 * file as it is. False only for syntax Node's mode cannot handle; a syntax
 * error stays Node's to report, as `node script.ts` reports it.
 */
export function nodeCanRunEntry(entry: string): boolean {
  const strip = (nodeModule as { stripTypeScriptTypes?: Strip }).stripTypeScriptTypes;
  const mode = nodeTypeScript();
  if (typeof strip !== "function" || mode === undefined) return true;
  let source: string;
  try {
    source = readFileSync(entry, "utf8");
  } catch {
    return true;
  }
  // The check is tsprof's, not the script's: Node's experimental-API warning would be news to its stderr.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    strip(source, { mode });
  } catch (e) {
    return (e as { code?: string }).code !== "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX";
  } finally {
    process.emitWarning = emitWarning;
  }
  return !importsTsAsJs(entry, source);
}

/** `import ... from "./x.js"`, `import("./x.js")`, `export ... from`: relative `.js` specifiers. */
const RELATIVE_JS = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+?)\.([mc]?)js["']/g;

/**
 * Whether the entry imports a TypeScript file by its `.js` name (tsc's
 * NodeNext style: `./lib.js` for `lib.ts`), which tsx resolves and Node
 * does not.
 */
function importsTsAsJs(entry: string, source: string): boolean {
  const dir = dirname(resolve(entry));
  for (const m of source.matchAll(RELATIVE_JS)) {
    const base = resolve(dir, m[1]!);
    if (!existsSync(`${base}.${m[2]}js`) && existsSync(`${base}.${m[2]}ts`)) return true;
  }
  return false;
}
