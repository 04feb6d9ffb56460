/**
 * Source maps only a Node process knows: code transformed in memory never
 * reaches the disk. Node keeps the map of what tsx transformed (tsx turns
 * Node's source maps on); code a test runner compiles itself (vitest's Vite
 * transform, run through `vm`) carries its map inline, which V8 read when
 * it compiled the code and the inspector reports. Used by the Node backend
 * (the library) and by the CLI's preloads.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { Session as InspectorSession } from "node:inspector";
import { findSourceMap } from "node:module";
import { pathToFileURL } from "node:url";
import type { Frame, Profile } from "../../src/format/types.ts";
import { normalizeFile } from "../../src/paths.ts";
import { declaredName, nameColumn } from "../../src/sourcemap/name_column.ts";

/** Files whose code, as it ran, is not the file on disk: V8 ran what a transform made of them. */
const TRANSFORMED = /\.(?:ts|mts|cts|tsx|jsx|vue|svelte)$/;

/**
 * The maps for the files of `profiles`, by file as the frames name it: the
 * map Node holds (only what mapping needs, no `sourcesContent`), else, for
 * a file that ran transformed, the sourceMappingURL V8 found in its code.
 * Maps next to code on disk are left to the caller
 * (`mapsFromTable` reads the result).
 *
 * @example
 * ```ts
 * import { runtimeMaps } from "./runtime_maps.ts";
 * runtimeMaps([]); // {}
 * ```
 */
export function runtimeMaps(profiles: readonly Profile[]): Record<string, object | string> {
  const out: Record<string, object | string> = {};
  const seen = new Set<string>();
  const unknown = new Map<string, Frame[]>();
  for (const profile of profiles) {
    for (const frame of profile.frames) {
      const file = frame.file;
      if (frame.kind !== "js" || file === undefined) continue;
      unknown.get(file)?.push(frame);
      if (seen.has(file)) continue;
      seen.add(file);
      if (!file.startsWith("/") && !file.startsWith("file:")) continue;
      let payload: Record<string, unknown> | undefined;
      try {
        const url = file.startsWith("/") ? pathToFileURL(file).href : file;
        payload = (findSourceMap(url) ?? findSourceMap(file))?.payload as Record<string, unknown> | undefined;
      } catch {
        payload = undefined;
      }
      if (payload) {
        // Node has already resolved `sources` against the map's URL and root.
        out[file] = { version: 3, sources: payload.sources, names: payload.names, mappings: payload.mappings, sourceRoot: "" };
      } else if (TRANSFORMED.test(file)) unknown.set(file, [frame]);
    }
  }
  // Code Node ran as written (its own type stripping) needs no map, and
  // asking the inspector costs a noticeable moment at exit.
  for (const [file, frames] of unknown) if (ranAsWritten(file, frames)) unknown.delete(file);
  if (unknown.size > 0) Object.assign(out, scriptMapUrls(new Set(unknown.keys())));
  return out;
}

/**
 * Whether `frames` fit `file` as it is on disk: each within its lines, a
 * named one at its name (or V8's column just after it), an anonymous one at
 * a parameter list. Positions of transformed code do not (types gone,
 * imports rewritten, helpers added).
 */
function ranAsWritten(file: string, frames: readonly Frame[]): boolean {
  let lines: string[];
  try {
    lines = readFileSync(normalizeFile(file), "utf8").split("\n");
  } catch {
    return false;
  }
  return frames.every((f) => {
    if (f.line === undefined || f.col === undefined) return true;
    const text = lines[f.line - 1];
    if (text === undefined || f.col > text.length + 1) return false;
    const name = declaredName(f.name);
    if (name !== undefined) return nameColumn(text, name, f.col) !== undefined;
    // A script's top level, or V8's column of a function without a name: its parameters.
    return (f.line === 1 && f.col === 1) || /^(?:\(|[\w$]+\s*=>)/.test(text.slice(f.col - 1));
  });
}

/**
 * The sourceMappingURL of each of `files` as V8 compiled it, from the
 * scripts the inspector reports (synchronously, on Node). A file compiled
 * more than once keeps its last map.
 */
function scriptMapUrls(files: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const session = new InspectorSession();
  try {
    session.connect();
    session.on("Debugger.scriptParsed", ({ params }: { params: { url: string; sourceMapURL?: string } }) => {
      const file = params.url ? normalizeFile(params.url) : "";
      if (params.sourceMapURL && files.has(file)) out[file] = params.sourceMapURL;
    });
    session.post("Debugger.enable");
    session.post("Debugger.disable");
  } catch {
    // No inspector here: those files keep the positions of the code that ran.
  } finally {
    session.disconnect();
  }
  return out;
}
