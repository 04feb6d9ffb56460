/**
 * Source maps only the profiled process knows (code transformed in memory,
 * see `runtimes/node/runtime_maps.ts`): the preloads hand them to the CLI
 * in a file next to the session; the CLI maps the profile (in its own
 * process, so that the profiled program's exit is not held up by parsing
 * maps).
 *
 * @module
 */
import nodeModule, { createRequire, register } from "node:module";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeMaps } from "../../../runtimes/node/runtime_maps.ts";
import type { Session } from "../../format/types.ts";
import { type Esbuild, loadSyncWith } from "./line_hooks.ts";


/**
 * The maps only this process knows for the files in `session` (see
 * `runtimes/node/runtime_maps.ts`), for the maps file beside it; `edited`,
 * the maps of modules tsprof edited as they loaded (`await_marks.ts`),
 * come first: they lead from the code that ran to the source as written.
 */
export function collectRuntimeMaps(session: Session, edited?: ReadonlyMap<string, object>): Record<string, object | string> {
  const maps = runtimeMaps(session.profiles);
  if (edited === undefined || edited.size === 0) return maps;
  for (const profile of session.profiles) {
    for (const frame of profile.frames) {
      const map = frame.file === undefined ? undefined : edited.get(frame.file);
      if (map !== undefined) maps[frame.file!] = map;
    }
  }
  return maps;
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
