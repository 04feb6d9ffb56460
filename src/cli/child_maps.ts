/**
 * Source maps only the profiled process knows: code transformed in memory
 * (tsx on Node) never reaches the disk, but Node keeps its map once source
 * maps are enabled. The preload hands these maps to the CLI in a file next
 * to the session; the CLI maps the profile (in its own process, so that the
 * profiled program's exit is not held up by parsing maps).
 *
 * @module
 */
import nodeModule, { createRequire, findSourceMap, register } from "node:module";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Session } from "../format/types.ts";
import { type Esbuild, loadSyncWith } from "./line_hooks.ts";

/** The maps file that goes with a session file written by the preload. */
export function childMapsPath(sessionPath: string): string {
  return join(dirname(sessionPath), `${basename(sessionPath).replace(/\.json$/, "")}.maps.json`);
}

/**
 * The maps Node holds for the files in `session`, by file as the frames
 * name it. Only what mapping needs is kept (no `sourcesContent`).
 */
export function collectRuntimeMaps(session: Session): Record<string, object> {
  const out: Record<string, object> = {};
  const seen = new Set<string>();
  for (const profile of session.profiles) {
    for (const frame of profile.frames) {
      const file = frame.file;
      if (frame.kind !== "js" || file === undefined || seen.has(file)) continue;
      seen.add(file);
      if (!file.startsWith("/") && !file.startsWith("file:")) continue;
      let payload: Record<string, unknown> | undefined;
      try {
        const url = file.startsWith("/") ? pathToFileURL(file).href : file;
        payload = (findSourceMap(url) ?? findSourceMap(file))?.payload as Record<string, unknown> | undefined;
      } catch {
        payload = undefined;
      }
      if (!payload) continue;
      // Node has already resolved `sources` against the map's URL and root.
      out[file] = { version: 3, sources: payload.sources, names: payload.names, mappings: payload.mappings, sourceRoot: "" };
    }
  }
  return out;
}

/**
 * When tsx runs the script, registers `line_hooks` so that line ticks can
 * be mapped (see there). Without tsx, or without its esbuild, nothing
 * changes.
 */
export function registerLineHooks(tsxLoaded = false): void {
  if (!tsxLoaded && !process.execArgv.some((a) => /[\\/]tsx[\\/]|^tsx$/.test(a))) return;
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
