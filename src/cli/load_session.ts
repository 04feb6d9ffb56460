/**
 * Profile files the user names (`--load`, `view`, `diff`, `check`, budgets'
 * bases), read in any format tsprof reads. Apart from the report of a run,
 * which reads only tsprof's own sessions and so loads no other format's
 * importer.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import type { Session } from "../format/types.ts";
import { loadProfileFile } from "../import/load.ts";
import { sessionWithRuntimeLabels } from "../import/runtime_time.ts";
import { UsageError } from "./args.ts";
import { mapLoadedSession } from "./source_maps.ts";

/** A profile file in any format tsprof reads, as a session mapped to its sources where it can be. */
export function loadSession(path: string): Session {
  return sessionWithRuntimeLabels(mapLoadedSession(loadProfileFile(readProfileBytes(path), path)));
}

/** A profile file in any format tsprof reads, as it is (a kept session is mapped already). */
export function loadSessionAsIs(path: string): Session {
  return loadProfileFile(readProfileBytes(path), path);
}

/** The bytes of a file the user named; one line when it cannot be read. */
function readProfileBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder, not a profile" : (e as Error).message;
    throw new UsageError(`cannot read "${path}": ${why}`);
  }
}
