/**
 * tsprof's cache: what it keeps between runs to do less, made again when
 * missing, so that it can be deleted at any time.
 *
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/**
 * `$TSPROF_DATA_DIR/cache`, else `$XDG_CACHE_HOME/tsprof`, else `~/.cache/tsprof`.
 *
 * @example
 * ```ts
 * import { cacheDir } from "./cache_dir.ts";
 * cacheDir({ TSPROF_DATA_DIR: "/tmp/t" }); // "/tmp/t/cache"
 * ```
 */
export function cacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.TSPROF_DATA_DIR) return join(env.TSPROF_DATA_DIR, "cache");
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "tsprof");
}
