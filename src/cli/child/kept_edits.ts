/**
 * The await marks' edits kept between runs, in the folder the CLI names
 * (`ChildConfig.awaitsCacheDir`): one file per module, named by its path's
 * hash, holding the edit of the text it was made from. A module that has not
 * changed since is not parsed again, and a program whose modules have not
 * changed does not load the parser. Each preload hands in its runtime's own
 * file reading and writing and hash (Bun's, Deno's without `node:fs`).
 *
 * @module
 */

/** What a preload hands {@linkcode keptEdits}. */
export interface EditFiles {
  /** A short hash of `text`, fit for a file name. */
  hash(text: string): string;
  /** The file's text; throws where there is none. */
  read(path: string): string;
  /** Writes the file whole (another run may read it meanwhile); throws where it cannot. */
  write(path: string, text: string): void;
}

/** The kept edits of a folder. */
export interface KeptEdits<T> {
  /** The edit of `path` as of `text`: `null` when it has nothing to edit, `undefined` when not kept (or `text` changed since). */
  get(path: string, text: string): T | null | undefined;
  /** Keeps the edit of `path` as of `text` (`null`: nothing to edit); nothing happens where the folder cannot be written. */
  put(path: string, text: string, edit: T | null): void;
}

/** A kept edit as written. */
interface KeptEdit<T> {
  /** tsprof's version and the edit's form: an entry of another is not read. */
  readonly tag: string;
  readonly path: string;
  /** The hash of the text the edit was made from. */
  readonly source: string;
  readonly edit: T | null;
}

/**
 * The edits kept in `dir` (none kept when `dir` is `undefined`), under
 * `tag`: an entry written with another tag (another version of tsprof,
 * another form of edit) is not read.
 *
 * @example
 * ```ts
 * import { keptEdits } from "./kept_edits.ts";
 * const kept = keptEdits<string>(undefined, "v1", { hash: (t) => String(t.length), read: () => "", write: () => {} });
 * kept.get("/app/a.ts", "await f();"); // undefined: nothing is kept without a folder
 * ```
 */
export function keptEdits<T>(dir: string | undefined, tag: string, files: EditFiles): KeptEdits<T> {
  const fileOf = (path: string) => `${dir}/${files.hash(path)}.json`;
  // A miss is followed by a put of the same text: hashed once.
  let last: { text: string; hash: string } | undefined;
  const hashOf = (text: string) => (last?.text === text ? last : (last = { text, hash: files.hash(text) })).hash;
  return {
    get(path, text) {
      if (dir === undefined) return undefined;
      try {
        const kept = JSON.parse(files.read(fileOf(path))) as KeptEdit<T>;
        return kept.tag === tag && kept.path === path && kept.source === hashOf(text) && kept.edit !== undefined ? kept.edit : undefined;
      } catch {
        return undefined;
      }
    },
    put(path, text, edit) {
      if (dir === undefined) return;
      try {
        files.write(fileOf(path), JSON.stringify({ tag, path, source: hashOf(text), edit } satisfies KeptEdit<T>));
      } catch {
        // Not kept: the next run edits this module again.
      }
    },
  };
}
