/**
 * Where a frame's code comes from, and how to show its path: the one place
 * that knows the path conventions of Node, Deno and Bun.
 *
 * @module
 */

/** Turns a `file:` URL into an absolute path; anything else is kept as is. */
export function normalizeFile(url: string): string {
  if (!url.startsWith("file://")) return url;
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return url;
  }
}

/** Where a frame's code lives, as far as grouping and filtering care. */
export type CodeOrigin =
  /** The user's own code. */
  | "app"
  /** A package: node_modules, Deno's npm/JSR caches, remote modules. */
  | "library"
  /** The runtime's own JavaScript (node:internal, ext:, Bun builtins). */
  | "runtime";

const RUNTIME_PREFIXES = ["node:", "ext:", "bun:", "builtin:", "deno:", "internal:"];

/** Classifies a file path or URL by origin. An empty path is the runtime's. */
export function codeOrigin(file: string | undefined): CodeOrigin {
  if (!file) return "runtime";
  for (const p of RUNTIME_PREFIXES) if (file.startsWith(p)) return "runtime";
  if (file.includes("/node_modules/")) return "library";
  if (file.startsWith("npm:") || file.startsWith("jsr:")) return "library";
  if (file.startsWith("https://") || file.startsWith("http://")) return "library";
  if (/\/deno\/(npm|remote)\//.test(file)) return "library";
  return "app";
}

/**
 * The package a library file belongs to: `lodash`, `@scope/pkg`, or the
 * host of a remote module. `undefined` for app code.
 */
export function packageName(file: string): string | undefined {
  const nm = file.lastIndexOf("/node_modules/");
  if (nm !== -1) {
    const parts = file.slice(nm + "/node_modules/".length).split("/");
    if (parts[0]?.startsWith("@") && parts[1]) return `${parts[0]}/${parts[1]}`;
    return parts[0] || undefined;
  }
  const npm = /^(?:npm|jsr):\/?(@[^/@]+\/[^/@]+|[^/@]+)/.exec(file);
  if (npm) return npm[1];
  const denoNpm = /\/deno\/npm\/[^/]+\/(@[^/]+\/[^/]+|[^/]+)\//.exec(file);
  if (denoNpm) return denoNpm[1];
  const jsr = /^https:\/\/jsr\.io\/(@[^/]+\/[^/]+)\//.exec(file);
  if (jsr) return jsr[1];
  if (file.startsWith("https://") || file.startsWith("http://")) {
    try {
      return new URL(file).host;
    } catch {
      return undefined;
    }
  }
  const runtime = /^(node|bun|ext|deno):/.exec(file);
  if (runtime) return runtime[1];
  return undefined;
}

/**
 * A path as the user wants to read it: relative to `cwd` when under it,
 * `package/path` inside node_modules, the specifier for remote code.
 */
export function shortPath(file: string, cwd?: string): string {
  const nm = file.lastIndexOf("/node_modules/");
  if (nm !== -1) return file.slice(nm + "/node_modules/".length);
  if (cwd) {
    const base = cwd.endsWith("/") ? cwd : `${cwd}/`;
    if (file.startsWith(base)) return file.slice(base.length);
  }
  return file;
}
