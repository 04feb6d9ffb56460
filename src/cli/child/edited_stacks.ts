/**
 * Keeps the program's stack traces as they are without tsprof, on Node with
 * source maps off (Node 24 running TypeScript itself, JavaScript on any
 * Node). A mark written before an `await` moves the rest of its line
 * (`src/async/await_mark_edit.ts`): unmapped, an error's frames on that line
 * showed the edited columns, and an uncaught error printed the edited line,
 * tsprof's marks and all. So source maps are turned on, and only the edited
 * modules keep a map, which leads each to the code as it came (the marks'
 * `inlineMap: "code"`; every other module's map comment is made an
 * ordinary comment as it loads, `src/sourcemap/map_comment.ts`):
 *
 * - Node prints an uncaught error's line from that map: the line as written.
 * - `Error.prepareStackTrace` writes each frame as V8 does (Node's own
 *   formatting of a mapped frame differs: a path for a file URL, a name for
 *   the top level), with the column through the map.
 *
 * @module
 */
import nodeModule from "node:module";
import process from "node:process";
import { pathToFileURL } from "node:url";

/** A stack frame as `Error.prepareStackTrace` is handed it. */
interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

type PrepareStackTrace = (error: Error, trace: CallSite[]) => unknown;

/** What `module.findSourceMap` gives, as read here. */
interface NodeSourceMap {
  readonly payload: { readonly sources?: readonly string[] };
  findEntry(line: number, column: number): { originalLine?: number; originalColumn?: number };
}

interface NodeProcess {
  sourceMapsEnabled?: boolean;
  setSourceMapsEnabled?: (enabled: boolean) => void;
}

/**
 * Turns on Node's source maps and writes stack traces as above, where
 * source maps are off; `true` when it did, and the edits' maps must then
 * lead to the code as it came. With source maps on already (the program
 * asked for them, or tsx turned them on), the edits' maps lead to the
 * source, and Node maps every frame as it would without tsprof.
 *
 * @example
 * ```ts
 * import { keepStackPositions } from "./edited_stacks.ts";
 * const codeMaps = keepStackPositions();
 * ```
 */
export function keepStackPositions(): boolean {
  const node = process as NodeProcess;
  const find = (nodeModule as { findSourceMap?: (file: string) => NodeSourceMap | undefined }).findSourceMap;
  const errors = Error as unknown as { prepareStackTrace?: PrepareStackTrace };
  const prepare = errors.prepareStackTrace;
  if (node.sourceMapsEnabled !== false || typeof node.setSourceMapsEnabled !== "function" || typeof find !== "function" || typeof prepare !== "function") return false;
  node.setSourceMapsEnabled(true);
  // Whether each map is an edit's, asked once: `payload` copies the whole map at every read.
  const edits = new WeakMap<NodeSourceMap, boolean>();
  const editOf = (file: string): NodeSourceMap | undefined => {
    const map = find(file);
    if (map === undefined) return undefined;
    let edit = edits.get(map);
    if (edit === undefined) {
      // An edit's map leads its file to itself; a compiler's leads elsewhere, and stays unread as with source maps off.
      const sources = map.payload.sources;
      edit = sources?.length === 1 && sources[0] === (file.startsWith("file:") ? file : pathToFileURL(file).href);
      edits.set(map, edit);
    }
    return edit ? map : undefined;
  };
  errors.prepareStackTrace = function prepareStackTrace(error, trace) {
    // With no frames, Node's own writes the first line alone, as it writes it.
    const head = prepare(error, []);
    let out = String(head);
    for (const site of trace) out += `\n    at ${siteText(site, editOf)}`;
    return out;
  };
  return true;
}

/** `site` as V8 writes it, at its place in the code as it came where an edit moved it. */
function siteText(site: CallSite, editOf: (file: string) => NodeSourceMap | undefined): string {
  const text = String(site);
  const file = site.getFileName();
  const line = site.getLineNumber();
  const col = site.getColumnNumber();
  if (!file || line === null || col === null) return text;
  let map: NodeSourceMap | undefined;
  try {
    map = editOf(file);
  } catch {
    return text;
  }
  if (map === undefined) return text;
  const { originalLine, originalColumn } = map.findEntry(line - 1, col - 1);
  if (originalLine !== line - 1 || originalColumn === undefined) return text;
  const at = `:${line}:${col}`;
  const moved = `:${line}:${originalColumn + 1}`;
  if (text.endsWith(`${at})`)) return `${text.slice(0, -at.length - 1)}${moved})`;
  return text.endsWith(at) ? `${text.slice(0, -at.length)}${moved}` : text;
}
