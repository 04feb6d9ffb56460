/**
 * Files as tsprof reads and writes them everywhere: text read or nothing,
 * and written whole or not at all (through a temp file beside it and a
 * rename, so that no reader sees half a file and a full disk leaves nothing
 * behind). Not a backend: free of runtime-only modules, so that the CLI, the
 * preloads, the backends and the library all use this one.
 *
 * @module
 */
import { readFileSync, rmSync, renameSync, writeFileSync } from "node:fs";
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
 * import { writeFileAtomicSync } from "./_files.ts";
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
 * import { writeFileAtomic } from "./_files.ts";
 * await writeFileAtomic("/tmp/tsprof-example.txt", "whole");
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  // Loaded here: node:fs/promises brings Node's streams, which every preload would pay for.
  const { rename, rm, writeFile } = await import("node:fs/promises");
  const tmp = tempFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

/**
 * Reads a text file (sources and source maps, for mapping positions);
 * `undefined` when it cannot be read.
 *
 * @example
 * ```ts
 * import { readTextFile } from "./_files.ts";
 * readTextFile("/no/such/file"); // undefined
 * ```
 */
export function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path.startsWith("file://") ? new URL(path) : path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Reads a file's bytes (sources whose lines are wanted: see
 * `src/sourcemap/source_lines.ts`); `undefined` when it cannot be read.
 *
 * @example
 * ```ts
 * import { readBytesFile } from "./_files.ts";
 * readBytesFile("/no/such/file"); // undefined
 * ```
 */
export function readBytesFile(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path.startsWith("file://") ? new URL(path) : path);
  } catch {
    return undefined;
  }
}
