/**
 * Where a frame's code comes from, and how to show its path: the one place
 * that knows the path conventions of Node, Deno and Bun.
 *
 * The places library code lives:
 * - `…/node_modules/<pkg>/…` (npm, pnpm's `.pnpm/…/node_modules/`, Bun's
 *   `.bun/…/node_modules/`, Deno with a `node_modules` folder);
 * - Deno's npm cache, `$DENO_DIR/npm/<registry host>/<pkg>/<version>/…`;
 * - Bun's global cache, `~/.bun/install/cache/<pkg>@<version>@@@1/…`;
 * - remote modules, which Deno reports by URL (`https://jsr.io/@std/…`,
 *   `https://deno.land/x/…`), and `npm:`/`jsr:` specifiers.
 *
 * The runtime's own code has a scheme: `node:` (Node, and Bun's builtins),
 * `ext:` and `deno:` (Deno), `internal:`, `bun:` and `builtin:` (Bun).
 *
 * @module
 */

/** Turns a `file:` URL into an absolute path; anything else is kept as is. */
export function normalizeFile(url: string): string {
  if (!url.startsWith("file://")) return url;
  try {
    const path = decodeURIComponent(new URL(url).pathname);
    // A Windows path (file:///C:/app/a.js) as its users write it: C:/app/a.js.
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
  } catch {
    return url;
  }
}

/**
 * {@linkcode normalizeFile} with a memo, for a pass over a profile's nodes:
 * a profile has far fewer scripts than nodes, and a URL parse per node was
 * most of an import on Deno, whose URL parser is a call out of JavaScript.
 *
 * @example
 * ```ts
 * import { fileMemo } from "./paths.ts";
 * const toFile = fileMemo();
 * toFile("file:///app/a%20b.ts"); // "/app/a b.ts"
 * ```
 */
export function fileMemo(): (url: string) => string {
  const files = new Map<string, string>();
  return (url) => {
    let file = files.get(url);
    if (file === undefined) files.set(url, (file = normalizeFile(url)));
    return file;
  };
}

/** Where a frame's code lives, as far as grouping and filtering care. */
export type CodeOrigin =
  /** The user's own code. */
  | "app"
  /** A package: node_modules, Deno's npm cache, Bun's cache, remote modules. */
  | "library"
  /** The runtime's own JavaScript (node:internal, ext:, Bun builtins). */
  | "runtime";

const RUNTIME_SCHEME = /^(?:node|ext|bun|builtin|deno|internal):/;
const NODE_MODULES = "/node_modules/";
/** `$DENO_DIR/npm/registry.npmjs.org/@scope/name/1.2.3/rest`: host, package, version, rest. */
const DENO_NPM_CACHE = /\/npm\/([^/]+\.[^/]+)\/((?:@[^/]+\/)?[^/@]+)\/(\d+\.\d+\.\d+[^/]*)\/(.*)$/;
/** `~/.bun/install/cache/@scope/name@1.2.3@@@1/rest`: package, version, rest. */
const BUN_CACHE = /\/\.bun\/install\/cache\/((?:@[^/]+\/)?[^/@]+)@([^/@]+)(?:@@@\d+)?\/(.*)$/;
/** `https://jsr.io/@scope/name/1.2.3/rest`: package, version, rest. */
const JSR_URL = /^https:\/\/jsr\.io\/(@[^/]+\/[^/]+)\/([^/]+)\/(.*)$/;
/** `npm:name@1/rest`, `jsr:@scope/name@1/rest`: package. */
const SPECIFIER = /^(?:npm|jsr):\/?((?:@[^/@]+\/)?[^/@]+)/;

/**
 * Classifies a file path or URL by origin. A frame without a file is the
 * runtime's (a native function).
 *
 * @example
 * ```ts
 * import { codeOrigin } from "./paths.ts";
 * codeOrigin("/app/src/main.ts"); // "app"
 * codeOrigin("/app/node_modules/yaml/dist/index.js"); // "library"
 * codeOrigin("node:internal/timers"); // "runtime"
 * ```
 */
export function codeOrigin(file: string | undefined): CodeOrigin {
  if (!file) return "runtime";
  if (RUNTIME_SCHEME.test(file)) return "runtime";
  if (file.includes(NODE_MODULES)) return "library";
  if (file.startsWith("npm:") || file.startsWith("jsr:")) return "library";
  if (file.startsWith("https://") || file.startsWith("http://")) return "library";
  if (DENO_NPM_CACHE.test(file) || BUN_CACHE.test(file) || file.includes("/deno/remote/")) return "library";
  return "app";
}

/**
 * Where a frame's code comes from. A frame without a file is the runtime's
 * only when its importer says so (kind `native`: V8's builtins, marked by
 * script id 0): code from other tools and languages, or a page's inline
 * script, often has no file and is still the user's own.
 *
 * @example
 * ```ts
 * import { frameOrigin } from "./paths.ts";
 * frameOrigin({ kind: "native" }); // "runtime"
 * frameOrigin({ kind: "js" }); // "app": a function of a file-less script
 * frameOrigin({ kind: "js", file: "node:fs" }); // "runtime"
 * ```
 */
export function frameOrigin(frame: { readonly file?: string | undefined; readonly kind: string }): CodeOrigin {
  if (!frame.file) return frame.kind === "js" ? "app" : "runtime";
  return codeOrigin(frame.file);
}

/** Kinds of frames that stand for no code: idle, GC, the runtime's own time, a tree's root, `[self]`. */
const NO_CODE_KINDS: ReadonlySet<string> = new Set(["idle", "gc", "program", "root", "self"]);

/**
 * Whether a frame is the runtime's code (its JavaScript or a builtin), not
 * the program's and not a pseudo-frame such as `(idle)`.
 *
 * @example
 * ```ts
 * import { isRuntimeCode } from "./paths.ts";
 * isRuntimeCode({ kind: "js", file: "node:internal/timers" }); // true
 * isRuntimeCode({ kind: "idle" }); // false
 * ```
 */
export function isRuntimeCode(frame: { readonly file?: string | undefined; readonly kind: string }): boolean {
  return !NO_CODE_KINDS.has(frame.kind) && frameOrigin(frame) === "runtime";
}

/**
 * The package a library file belongs to: `lodash`, `@scope/pkg` (scoped
 * names whole), the host of a remote module, or the runtime module
 * (`node:internal`, `ext:deno_node`). `undefined` for app code.
 */
export function packageName(file: string): string | undefined {
  const nm = file.lastIndexOf(NODE_MODULES);
  if (nm !== -1) {
    const parts = file.slice(nm + NODE_MODULES.length).split("/");
    if (parts[0]?.startsWith("@") && parts[1]) return `${parts[0]}/${parts[1]}`;
    return parts[0] || undefined;
  }
  const cached = DENO_NPM_CACHE.exec(file);
  if (cached) return cached[2];
  const bun = BUN_CACHE.exec(file);
  if (bun) return bun[1];
  const spec = SPECIFIER.exec(file);
  if (spec) return spec[1];
  const jsr = JSR_URL.exec(file);
  if (jsr) return jsr[1];
  if (file.startsWith("https://") || file.startsWith("http://")) {
    try {
      return new URL(file).host;
    } catch {
      return undefined;
    }
  }
  const runtime = /^([a-z]+:)([^/]*)/.exec(file);
  if (runtime && RUNTIME_SCHEME.test(file)) return runtime[1]! + runtime[2]!;
  return undefined;
}

/**
 * A path as the user wants to read it: relative to `cwd` when under it,
 * `package/path` inside node_modules or Bun's cache, the module specifier
 * for Deno's npm cache (`npm:pkg@1.2.3/path`) and JSR
 * (`jsr:@scope/pkg@1.2.3/path`), the URL of other remote modules, and the
 * specifier of runtime modules (`node:fs`).
 *
 * @example
 * ```ts
 * import { shortPath } from "./paths.ts";
 * shortPath("/app/src/main.ts", "/app"); // "src/main.ts"
 * shortPath("/app/node_modules/@scope/pkg/index.js", "/app"); // "@scope/pkg/index.js"
 * shortPath("/home/me/.cache/deno/npm/registry.npmjs.org/chalk/5.3.0/source/index.js"); // "npm:chalk@5.3.0/source/index.js"
 * ```
 */
export function shortPath(file: string, cwd?: string): string {
  const path = normalizeFile(file);
  const nm = path.lastIndexOf(NODE_MODULES);
  if (nm !== -1) return path.slice(nm + NODE_MODULES.length);
  const cached = DENO_NPM_CACHE.exec(path);
  if (cached) return `npm:${cached[2]}@${cached[3]}/${cached[4]}`;
  const bun = BUN_CACHE.exec(path);
  if (bun) return `${bun[1]}/${bun[3]}`;
  const jsr = JSR_URL.exec(path);
  if (jsr) return `jsr:${jsr[1]}@${jsr[2]}/${jsr[3]}`;
  if (cwd) {
    const base = cwd.endsWith("/") ? cwd : `${cwd}/`;
    if (path.startsWith(base)) return path.slice(base.length);
  }
  return path;
}

/**
 * The name a `[N frames hidden]` line gives a frame's code: its package
 * ({@linkcode packageName}), else the first part of its short path (code
 * hidden with `--hide`), else `native`.
 */
export function libraryName(file: string | undefined, cwd?: string): string {
  if (!file) return "native";
  const pkg = packageName(file);
  if (pkg) return pkg;
  const short = shortPath(file, cwd);
  const first = short.split("/").find((p) => p !== "");
  return first ?? short;
}

/**
 * `file:line:col`, the form editors and terminals jump to, with the file as
 * {@linkcode shortPath} shows it.
 */
export function location(file: string, line?: number, col?: number, cwd?: string): string {
  let s = shortPath(file, cwd);
  if (line !== undefined) s += `:${line}`;
  if (line !== undefined && col !== undefined) s += `:${col}`;
  return s;
}

/**
 * `text` as a regular expression that matches it literally: a path in a
 * pattern (a loader's filter, the folder a report shows).
 *
 * @example
 * ```ts
 * import { escapeRegExp } from "./paths.ts";
 * new RegExp(`^${escapeRegExp("/app/a.b")}$`).test("/app/a.b"); // true
 * ```
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
