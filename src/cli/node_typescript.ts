/**
 * TypeScript on Node, run as Node runs it. Where `node script.ts` runs the
 * file itself (type stripping, Node 22.18+ and 23.6+, or a Node started with
 * `--experimental-strip-types`), tsprof runs it the same way: the same
 * module format (top-level await in a folder without `"type": "module"`),
 * the same positions, no transpiler's start-up. tsx runs it where Node
 * cannot: an older Node, `.tsx`, files under node_modules (Node strips no
 * types there), and an entry whose syntax needs transforming (`enum`,
 * `namespace`, parameter properties), that imports TypeScript files by
 * their `.js` names, or that is an ES module in a package whose package.json
 * says `"type": "commonjs"` (what `npm init -y` writes: Node reads the file
 * as CommonJS and stops at its first `import`, where tsx runs it). The
 * preload finds these out in the child before the script starts. Only the entry is checked: a module it imports that Node
 * cannot run fails as under `node script.ts`.
 *
 * @module
 */
import nodeModule from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { compileFunction } from "node:vm";

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
  let stripped: string;
  try {
    stripped = strip(source, { mode });
  } catch (e) {
    return (e as { code?: string }).code !== "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX";
  } finally {
    process.emitWarning = emitWarning;
  }
  return !importsTsAsJs(entry, source) && !moduleInCommonJsPackage(entry, stripped);
}

/** What V8 says of syntax that only an ES module may have, compiled as CommonJS (Node's own detection reads the same). */
const MODULE_ONLY_SYNTAX = /^(?:Cannot use import statement outside a module|Unexpected token 'export'|Cannot use 'import\.meta' outside a module|await is only valid in async functions and the top level bodies of modules)/;

/**
 * Whether the entry, a `.ts` file in a package that declares itself
 * CommonJS, has syntax only an ES module may have: Node then runs it as
 * CommonJS and fails.
 */
function moduleInCommonJsPackage(entry: string, js: string): boolean {
  if (!/\.ts$/.test(entry) || packageType(dirname(resolve(entry))) !== "commonjs") return false;
  try {
    compileFunction(js, [], { filename: entry });
    return false;
  } catch (e) {
    return e instanceof SyntaxError && MODULE_ONLY_SYNTAX.test(e.message);
  }
}

/** The `type` of the nearest package.json at or above `dir`, as Node looks it up. */
function packageType(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, "package.json");
    if (existsSync(file)) {
      try {
        const type = (JSON.parse(readFileSync(file, "utf8")) as { type?: unknown }).type;
        return typeof type === "string" ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(d) === d) return undefined;
  }
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
