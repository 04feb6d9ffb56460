/**
 * The last few console runs, kept so that `--load-prev <id>` can render one
 * again with other options (pyinstrument keeps 10 the same way). They live
 * in the user's data directory: `$TSPROF_DATA_DIR`, else
 * `$XDG_DATA_HOME/tsprof`, else `~/.local/share/tsprof`, under `sessions/`.
 *
 * @module
 */
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { constants, gzipSync } from "node:zlib";
import { sessionToJson } from "../format/session_json.ts";
import type { Session } from "../format/types.ts";
import { writeFileAtomicSync } from "../../runtimes/_files.ts";

/** How many sessions are kept; older ones are deleted. */
export const KEPT_SESSIONS = 10;

const EXTENSION = ".tsprof";
const ID = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(?:-\d+)?$/;

/** Where the sessions are kept, from the environment. */
export function sessionsDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.TSPROF_DATA_DIR) return join(env.TSPROF_DATA_DIR, "sessions");
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(base, "tsprof", "sessions");
}

/** Ids of the kept sessions, oldest first. */
export function listSavedSessions(dir: string = sessionsDir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(EXTENSION) && ID.test(n.slice(0, -EXTENSION.length)))
    .map((n) => ({ id: n.slice(0, -EXTENSION.length), at: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id, "en", { numeric: true }))
    .map((e) => e.id);
}

/**
 * Saves a session under a new id (its local start time, `2026-11-26T09-35-34`)
 * and deletes all but the newest {@linkcode KEPT_SESSIONS}. Returns the id.
 *
 * @throws {Error} when the directory cannot be written (the caller decides whether that matters)
 */
export function keepSession(session: Session, dir: string = sessionsDir(), now: Date = new Date()): string {
  mkdirSync(dir, { recursive: true });
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  // Same second as a kept run: count on from the highest suffix, so that
  // an id is never given to two runs, even after the first was deleted.
  let highest = 0;
  for (const kept of listSavedSessions(dir)) {
    if (kept === stamp) highest = Math.max(highest, 1);
    else if (kept.startsWith(`${stamp}-`)) highest = Math.max(highest, Number(kept.slice(stamp.length + 1)));
  }
  const id = highest === 0 ? stamp : `${stamp}-${highest + 1}`;
  const path = join(dir, id + EXTENSION);
  // Kept after every run, while the user waits: speed before size, so the
  // runtime's own zlib at level 1 (the same gzipped JSON as encodeSessionFile,
  // several times faster than its portable deflate).
  writeFileAtomicSync(path, gzipSync(sessionToJson(session), { level: constants.Z_BEST_SPEED }));
  const all = listSavedSessions(dir);
  for (const old of all.slice(0, Math.max(0, all.length - KEPT_SESSIONS))) rmSync(join(dir, old + EXTENSION), { force: true });
  return id;
}

/**
 * The file of a kept session, or `undefined` when there is no session with
 * that id (ids are checked, so no path can be smuggled in).
 */
export function savedSessionPath(id: string, dir: string = sessionsDir()): string | undefined {
  if (!ID.test(id)) return undefined;
  const path = join(dir, id + EXTENSION);
  try {
    return statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}
