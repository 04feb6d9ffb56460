/**
 * Writing a file whole or not at all: through a temp file beside it and a
 * rename, so that no reader sees half a file and a full disk leaves nothing
 * behind. Not a backend: free of runtime-only modules, so that the CLI, the
 * preloads and the library all use this one.
 *
 * @module
 */
import { rmSync, renameSync, writeFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import process from "node:process";

/** The temp file beside `path`: this process's, and this write's (two writes of one process may overlap). */
let writes = 0;
function tempFor(path: string): string {
  return `${path}.${process.pid}-${++writes}.tmp`;
}

/**
 * Replaces `path` with `data`, whole or not at all.
 *
 * @example
 * ```ts
 * import { writeFileAtomicSync } from "./_atomic_write.ts";
 * writeFileAtomicSync("/tmp/tsprof-example.txt", "whole");
 * ```
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * {@linkcode writeFileAtomicSync}, without blocking.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./_atomic_write.ts";
 * await writeFileAtomic("/tmp/tsprof-example.txt", "whole");
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}
