/**
 * Where tsprof's own code lives, as seen from one of its modules.
 *
 * @module
 */

/**
 * tsprof's own files, given the URL of a module of tsprof two folders below
 * the root (`runtimes/<name>/…`): from the npm build, the whole `dist/`;
 * from source, `src/`, `runtimes/` and `mod.ts`.
 *
 * @example
 * ```ts
 * import { toolPathsFrom } from "./tool_paths.ts";
 * toolPathsFrom("file:///repo/runtimes/node/awaits.ts", (u) => new URL(u).pathname); // ["/repo/src/", "/repo/runtimes/", "/repo/mod.ts"]
 * ```
 */
export function toolPathsFrom(moduleUrl: string, toPath: (url: string) => string): string[] {
  const here = toPath(new URL(".", moduleUrl).href);
  if (!moduleUrl.endsWith(".ts")) return [here];
  const root = toPath(new URL("../../", moduleUrl).href);
  return [`${root}src/`, `${root}runtimes/`, `${root}mod.ts`];
}
