/**
 * tsprof's cache: what it keeps between runs to do less, made again when
 * missing, so that it can be deleted at any time.
 *
 * @module
 */
import { lstatSync, mkdirSync } from "node:fs";
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

/**
 * The folder `sub` of the cache, made if missing, when only this user can
 * write it: some of what is kept there is read back as code to run (a
 * module printed again), and a folder another user could write would let
 * them choose that code. `undefined` (no cache) otherwise, as where the
 * folder cannot be made.
 *
 * @example
 * ```ts
 * import { privateCacheDir } from "./cache_dir.ts";
 * privateCacheDir("lines", { TSPROF_DATA_DIR: "/tmp/tsprof-example" }); // "/tmp/tsprof-example/cache/lines"
 * ```
 */
export function privateCacheDir(sub: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const dir = join(cacheDir(env), sub);
  try {
    // Every folder made here is the user's alone; folders that were there are checked below only where they hold the cache.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return ownedByMeAlone(dir) && ownedByMeAlone(join(dir, "..")) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** A real folder (not a link to one) of this user that no one else can write. */
function ownedByMeAlone(dir: string): boolean {
  const st = lstatSync(dir);
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}
