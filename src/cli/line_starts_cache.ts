/**
 * Line starts of large files kept between runs (see `LineStartsCache`): a
 * 9 MB compiler's 200,000 line ends cost more to find than to read back.
 * One file per source file, named by its path's hash, holding the source's
 * identity as it was scanned (path, size, inode, modification and change
 * times) and the starts as 32-bit integers. A file whose identity differs is
 * scanned again; a cache that cannot be read or written only costs the scan.
 *
 * @module
 */
import { readFileSync, type Stats, statSync } from "node:fs";
import { join } from "node:path";
import { writeCacheFileSync } from "../../runtimes/_files.ts";
import type { LineStarts, LineStartsCache } from "../sourcemap/source_lines.ts";

/** Smaller files are scanned in less time than their starts take to read. */
const MIN_BYTES = 1 << 20;
const FORMAT = 2;
/** Larger files (4 GB) are not kept: their starts do not fit the kept form. */
const MAX_BYTES = 2 ** 32 - 2;

/** What a kept file says of the source it was made from. */
interface Header {
  readonly format: number;
  readonly path: string;
  readonly size: number;
  readonly ino: number | null;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly count: number;
}

/**
 * The line starts kept in `dir`.
 *
 * @example
 * ```ts
 * import { lineStartsCache } from "./line_starts_cache.ts";
 * import { fileLineReader } from "../sourcemap/source_lines.ts";
 * import { keptOpen } from "../../runtimes/_files.ts";
 * const files = keptOpen();
 * const readLines = fileLineReader(files.open, lineStartsCache("/tmp/tsprof-cache/lines"));
 * ```
 */
export function lineStartsCache(dir: string | (() => string | undefined)): LineStartsCache {
  // The source as it was when its starts were asked for: what is scanned, and kept.
  const seen = new Map<string, Stats>();
  // Asked for at the first large file only: a run that has none makes no folder.
  const resolve: () => string | undefined = typeof dir === "string" ? () => dir : dir;
  let folder: { readonly path: string | undefined } | undefined;
  const dirOf = (): string | undefined => (folder ??= { path: resolve() }).path;
  return {
    get(path) {
      let st: Stats;
      try {
        st = statSync(path);
      } catch {
        return undefined;
      }
      if (st.size < MIN_BYTES) return undefined;
      const d = dirOf();
      if (d === undefined) return undefined;
      seen.set(path, st);
      try {
        const data = readFileSync(entryPath(d, path));
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        const headerBytes = view.getUint32(0, true);
        const header = JSON.parse(new TextDecoder().decode(data.subarray(4, 4 + headerBytes))) as Header;
        if (!sameSource(header, path, st)) return undefined;
        const at = aligned(4 + headerBytes);
        const n = header.count + 1;
        if (data.byteLength !== at + n * 4) return undefined;
        const bytes = data.subarray(at);
        // A view where the bytes are aligned for it, else a copy.
        const starts = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(bytes.slice().buffer);
        return { starts, count: header.count };
      } catch {
        return undefined;
      }
    },
    put(path, { starts, count }) {
      const st = seen.get(path);
      const d = dirOf();
      if (st === undefined || st.size > MAX_BYTES || d === undefined) return;
      const header: Header = { format: FORMAT, path, size: st.size, ino: st.ino ?? null, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, count };
      const head = new TextEncoder().encode(JSON.stringify(header));
      const at = aligned(4 + head.length);
      const out = new Uint8Array(at + (count + 1) * 4);
      new DataView(out.buffer).setUint32(0, head.length, true);
      out.set(head, 4);
      const kept = new Uint32Array(starts.subarray(0, count + 1));
      out.set(new Uint8Array(kept.buffer), at);
      // Not kept when it cannot be written: the next run scans the file again.
      writeCacheFileSync(entryPath(d, path), out);
    },
  };
}

function sameSource(h: Header, path: string, st: Stats): boolean {
  return h.format === FORMAT && h.path === path && h.size === st.size && h.ino === (st.ino ?? null) && h.mtimeMs === st.mtimeMs && h.ctimeMs === st.ctimeMs;
}

function aligned(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** The kept file for `path`: FNV-1a of the path, the path itself checked on reading. */
function entryPath(dir: string, path: string): string {
  let h = 0x811c9dc5;
  let g = 0xcbf29ce4;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    g = Math.imul(g ^ c, 0x0100019d);
  }
  return join(dir, `${(h >>> 0).toString(16).padStart(8, "0")}${(g >>> 0).toString(16).padStart(8, "0")}.bin`);
}
