/**
 * Files as tsprof reads and writes them everywhere: text read or nothing,
 * and written whole or not at all (through a temp file beside it and a
 * rename, so that no reader sees half a file and a full disk leaves nothing
 * behind). Not a backend: free of runtime-only modules, so that the CLI, the
 * preloads, the backends and the library all use this one.
 *
 * @module
 */
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, renameSync, writeFile as writeFileCallback, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import type { OpenFile, ReadAt } from "../src/sourcemap/source_lines.ts";

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
 * Writes a file of a cache whole, making its folder the first time; a
 * cache that cannot be written is only work to be done again, so a failure
 * returns false rather than throwing.
 *
 * @example
 * ```ts
 * import { writeCacheFileSync } from "./_files.ts";
 * writeCacheFileSync("/tmp/tsprof-example-cache/entry.json", "{}"); // true
 * ```
 */
export function writeCacheFileSync(path: string, data: string | Uint8Array): boolean {
  try {
    writeFileAtomicSync(path, data);
    return true;
  } catch {
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomicSync(path, data);
      return true;
    } catch {
      return false;
    }
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
  const { rename, rm } = await import("node:fs/promises");
  const tmp = tempFor(path);
  // Made here, not by a write on the thread pool that could create it after
  // the program's exit: an exit meanwhile removes it, and no half file stays.
  const fd = openSync(tmp, "w");
  const removeTmp = () => rmSync(tmp, { force: true });
  process.on("exit", removeTmp);
  try {
    await new Promise<void>((resolve, reject) => writeFileCallback(fd, data, (e) => (e ? reject(e) : resolve())));
    closeSync(fd);
    await rename(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // Closed already.
    }
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  } finally {
    process.off("exit", removeTmp);
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

/** How many files {@linkcode keptOpen} holds at once: far below any limit on a process's open files. */
const KEPT_OPEN = 64;

/**
 * Opens files for reads at positions (sources whose lines are wanted: see
 * `src/sourcemap/source_lines.ts`) and keeps them open until `close()`, for
 * a pass that reads many lines of each (a syscall to open and close a file
 * costs several times the read): the least recently opened is closed past
 * {@linkcode KEPT_OPEN}, and one asked for again is opened again. `open`
 * gives `undefined` when the file cannot be opened or read; `closeAfter(pass)`
 * runs a pass and closes what it opened.
 *
 * @example
 * ```ts
 * import { keptOpen } from "./_files.ts";
 * const files = keptOpen();
 * files.closeAfter(() => files.open("/no/such/file", (readAt) => readAt(new Uint8Array(8), 0))); // undefined
 * ```
 */
export function keptOpen(): { open: OpenFile; close(): void; closeAfter<T>(pass: () => T): T } {
  const fds = new Map<string, number>();
  const close = () => {
    for (const fd of fds.values()) closeSync(fd);
    fds.clear();
  };
  return {
    open(path, use) {
      let fd = fds.get(path);
      if (fd === undefined) {
        fd = openOrUndefined(path);
        if (fd === undefined) return undefined;
        if (fds.size === KEPT_OPEN) {
          const [oldest, old] = fds.entries().next().value!;
          fds.delete(oldest);
          closeSync(old);
        }
        fds.set(path, fd);
      }
      return readsOf(fd, use);
    },
    close,
    closeAfter(pass) {
      try {
        return pass();
      } finally {
        close();
      }
    },
  };
}

function openOrUndefined(path: string): number | undefined {
  try {
    return openSync(path.startsWith("file://") ? new URL(path) : path, "r");
  } catch {
    return undefined;
  }
}

function readsOf<T>(fd: number, use: (readAt: ReadAt) => T): T | undefined {
  try {
    return use((into, position) => readSync(fd, into, 0, into.length, position));
  } catch (e) {
    // A directory, or a read that failed: unreadable. Anything else is a bug, not the file's.
    if (typeof (e as { code?: unknown }).code === "string") return undefined;
    throw e;
  }
}
