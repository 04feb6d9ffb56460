/**
 * Finding the source map of a piece of generated code: the
 * `//# sourceMappingURL=` comment, inline `data:` URLs, and map files next
 * to the code. Reading files is the runtime's job, so it is passed in.
 *
 * @module
 */

/** Reads a text file by absolute path; `undefined` when it does not exist. */
export type ReadText = (path: string) => string | undefined;

/**
 * Where a generated file's map comes from: the map's JSON text (or the
 * parsed object), with the URL relative sources are resolved against.
 * `undefined` means the file has no map (it ran as written).
 */
export interface MapText {
  /** The map, as JSON text or already parsed. */
  readonly map: string | object;
  /** URL or absolute path of the map, for resolving its `sources`. */
  readonly url: string;
}

/**
 * Supplies the map of the code that ran as `file` (a frame's file: path or
 * URL). It may throw or return broken text; the caller turns that into a
 * warning.
 */
export type MapFetcher = (file: string) => MapText | undefined;

const SOURCE_MAPPING_URL = /\/\/[#@]\s*sourceMappingURL=([^\s'"`]+)\s*$/;

/**
 * The URL in the last `//# sourceMappingURL=` comment of `code`, if any.
 * Only the code's last lines are searched: the comment ends a file, and a
 * string elsewhere in the code may contain the same text.
 *
 * @example
 * ```ts
 * import { sourceMappingUrl } from "./map_source.ts";
 * sourceMappingUrl("f();\n//# sourceMappingURL=app.js.map\n"); // "app.js.map"
 * ```
 */
export function sourceMappingUrl(code: string): string | undefined {
  let end = code.length;
  // Look at most at the last 8 lines (a trailing newline or a bundler's footer may follow).
  for (let i = 0; i < 8 && end > 0; i++) {
    const start = code.lastIndexOf("\n", end - 1) + 1;
    const line = code.slice(start, end).trimEnd();
    const m = SOURCE_MAPPING_URL.exec(line);
    if (m) return m[1];
    end = start - 1;
  }
  return undefined;
}

/**
 * Decodes a `data:` URL (base64 or percent-encoded) to text; `undefined`
 * when `url` is not a data URL.
 *
 * @throws {TypeError} when the data URL is malformed
 */
export function decodeDataUrl(url: string): string | undefined {
  if (!url.startsWith("data:")) return undefined;
  const comma = url.indexOf(",");
  if (comma === -1) throw new TypeError("the data: URL has no comma");
  const head = url.slice(5, comma);
  const body = url.slice(comma + 1);
  if (/;base64$/i.test(head)) {
    let binary: string;
    try {
      binary = atob(body);
    } catch {
      throw new TypeError("the data: URL is not valid base64");
    }
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  }
  try {
    return decodeURIComponent(body);
  } catch {
    throw new TypeError("the data: URL is not valid percent-encoding");
  }
}

/** Turns a path or `file:` URL into an absolute path; other URLs give `undefined`. */
export function toPath(file: string): string | undefined {
  if (file.startsWith("/")) return file;
  if (/^[A-Za-z]:[\\/]/.test(file)) return file;
  if (!file.startsWith("file:")) return undefined;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    return undefined;
  }
}

/**
 * The map of `code`, which lives at `codeFile`, by its sourceMappingURL
 * comment: inline, or a file next to the code read with `readText`.
 *
 * @throws {Error} when the comment names a map that cannot be read
 */
export function mapOfCode(code: string, codeFile: string, readText: ReadText): MapText | undefined {
  const url = sourceMappingUrl(code);
  return url === undefined ? undefined : mapOfUrl(url, codeFile, readText);
}

/**
 * A sourceMappingURL names a map file that is not there: packages publish
 * code whose comment names a map they do not ship (typescript does).
 */
export class MissingMapError extends Error {
  override name = "MissingMapError";
}

/**
 * The map a sourceMappingURL names for the code at `codeFile`: an inline
 * `data:` URL, or a file relative to the code read with `readText`.
 *
 * @example
 * ```ts
 * import { mapOfUrl } from "./map_source.ts";
 * mapOfUrl("data:application/json,%7B%7D", "/app/a.js", () => undefined); // { map: "{}", url: "/app/a.js" }
 * ```
 * @throws {Error} when the URL names a map that cannot be read
 */
export function mapOfUrl(url: string, codeFile: string, readText: ReadText): MapText {
  const inline = decodeDataUrl(url);
  if (inline !== undefined) return { map: inline, url: codeFile };
  const base = toPath(codeFile);
  if (base === undefined) throw new Error(`cannot fetch "${url}" for "${codeFile}"`);
  let mapPath: string | undefined;
  try {
    mapPath = toPath(new URL(url, `file://${base.startsWith("/") ? "" : "/"}${base}`).href);
  } catch {
    mapPath = undefined;
  }
  if (mapPath === undefined) throw new Error(`cannot fetch "${url}": only files next to the code are read`);
  const text = readText(mapPath);
  if (text === undefined) throw new MissingMapError(`"${mapPath}" does not exist`);
  return { map: text, url: mapPath };
}

/**
 * A {@linkcode MapFetcher} that reads generated code from disk and follows
 * its sourceMappingURL comment. Files that are not on disk (runtime
 * modules, URLs) have no map.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { mapsFromFiles } from "./map_source.ts";
 * const fetchMap = mapsFromFiles((p) => { try { return readFileSync(p, "utf8"); } catch { return undefined; } });
 * ```
 */
export function mapsFromFiles(readText: ReadText): MapFetcher {
  return (file) => {
    const path = toPath(file);
    if (path === undefined) return undefined;
    const code = readText(path);
    if (code === undefined) return undefined;
    return mapOfCode(code, path, readText);
  };
}

/**
 * A {@linkcode MapFetcher} over a table of maps by file, as a process hands
 * them over: a map object, or the sourceMappingURL its code carried
 * (inline, or a file relative to the code, read with `readText`).
 *
 * @example
 * ```ts
 * import { mapsFromTable } from "./map_source.ts";
 * const fetchMap = mapsFromTable({ "/app/a.ts": { version: 3, sources: [], names: [], mappings: "" } }, () => undefined);
 * fetchMap("/app/a.ts"); // { map: {...}, url: "/app/a.ts" }
 * ```
 */
export function mapsFromTable(table: Readonly<Record<string, object | string>>, readText: ReadText): MapFetcher {
  return (file) => {
    const map = Object.hasOwn(table, file) ? table[file] : undefined;
    if (typeof map === "string") return mapOfUrl(map, toPath(file) ?? file, readText);
    return map ? { map, url: file } : undefined;
  };
}

/** A fetcher that asks each of `fetchers` in turn until one knows a map. */
export function firstMap(...fetchers: readonly MapFetcher[]): MapFetcher {
  return (file) => {
    for (const f of fetchers) {
      const m = f(file);
      if (m !== undefined) return m;
    }
    return undefined;
  };
}
