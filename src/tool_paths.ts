/**
 * Where tsprof's own code lives, as seen from one of its modules.
 *
 * @module
 */

/**
 * tsprof's own files, given the URL of any module of tsprof: from the npm
 * build, the whole `dist/`; from source, `src/`, `runtimes/` and `mod.ts`
 * of the checkout the module is in, and its `dist/`, whose preloads a run
 * from source gives the processes of `tsprof -- deno ...` (Deno loads them
 * built: `run_tree.ts`).
 *
 * @example
 * ```ts
 * import { toolPathsFrom } from "./tool_paths.ts";
 * const toPath = (u: string) => new URL(u).pathname;
 * toolPathsFrom("file:///repo/runtimes/node/awaits.ts", toPath); // ["/repo/src/", "/repo/runtimes/", "/repo/mod.ts", "/repo/dist/"]
 * toolPathsFrom("file:///repo/src/cli/child/preload.ts", toPath); // the same
 * toolPathsFrom("file:///app/node_modules/tsprof/dist/cli.js", toPath); // ["/app/node_modules/tsprof/dist/"]
 * ```
 */
export function toolPathsFrom(moduleUrl: string, toPath: (url: string) => string): string[] {
  const here = toPath(new URL(".", moduleUrl).href);
  if (!moduleUrl.endsWith(".ts")) return [here];
  // The checkout's root is above its src/ or runtimes/ folder: the last one in the URL, as a parent folder may be called src too.
  const at = Math.max(moduleUrl.lastIndexOf("/src/"), moduleUrl.lastIndexOf("/runtimes/"));
  const root = toPath(at === -1 ? new URL(".", moduleUrl).href : moduleUrl.slice(0, at + 1));
  return [`${root}src/`, `${root}runtimes/`, `${root}mod.ts`, `${root}dist/`];
}
