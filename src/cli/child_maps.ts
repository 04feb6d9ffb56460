/**
 * Source maps only the profiled process knows: code transformed in memory
 * never reaches the disk. Node keeps the map of what tsx transformed (tsx
 * enables source maps); code a test runner compiles itself (vitest's
 * Vite transform, run through `vm`) carries its map inline, which V8 saw
 * when it compiled the code. The preloads hand these maps to the CLI in a
 * file next to the session; the CLI maps the profile (in its own process,
 * so that the profiled program's exit is not held up by parsing maps).
 *
 * @module
 */
import { Session as InspectorSession } from "node:inspector";
import { readFileSync } from "node:fs";
import nodeModule, { createRequire, findSourceMap, register } from "node:module";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Frame, Session } from "../format/types.ts";
import { declaredName, nameColumn } from "../sourcemap/name_column.ts";
import { normalizeFile } from "../paths.ts";
import { type Esbuild, loadSyncWith } from "./line_hooks.ts";

/** The maps file that goes with a session file written by the preload. */
export function childMapsPath(sessionPath: string): string {
  return join(dirname(sessionPath), `${basename(sessionPath).replace(/\.json$/, "")}.maps.json`);
}

/** Files whose code, as it ran, is not the file on disk: V8 ran what a transform made of them. */
const TRANSFORMED = /\.(?:ts|mts|cts|tsx|jsx|vue|svelte)$/;

/**
 * The maps for the files in `session`, by file as the frames name it: the
 * map Node holds (only what mapping needs, no `sourcesContent`), else, for
 * a file that ran transformed, the sourceMappingURL V8 found in its code.
 * Maps next to code on disk are left to the CLI.
 */
export function collectRuntimeMaps(session: Session): Record<string, object | string> {
  const out: Record<string, object | string> = {};
  const seen = new Set<string>();
  const unknown = new Map<string, Frame[]>();
  for (const profile of session.profiles) {
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

/**
 * When tsx runs the script, registers `line_hooks` so that line ticks can
 * be mapped (see there). Without tsx, or without its esbuild, nothing
 * changes.
 */
export function registerLineHooks(): void {
  if (!process.execArgv.some((a) => /[\\/]tsx[\\/]|^tsx$/.test(a))) return;
  try {
    const tsx = fileURLToPath(import.meta.resolve("tsx"));
    const esbuild = createRequire(tsx).resolve("esbuild");
    // tsx uses in-thread hooks where Node has them, and so must we, to run after it.
    const registerHooks = (nodeModule as { registerHooks?: (hooks: { load: unknown }) => void }).registerHooks;
    if (typeof registerHooks === "function") {
      let build: Esbuild | undefined;
      registerHooks({ load: loadSyncWith(() => (build ??= createRequire(tsx)("esbuild") as Esbuild)) });
      return;
    }
    const fromSource = import.meta.url.endsWith(".ts");
    register(new URL(fromSource ? "./line_hooks.ts" : "./line_hooks.js", import.meta.url), { data: { esbuild } });
  } catch {
    // Line ticks of TypeScript modules then stay on their single line.
  }
}
