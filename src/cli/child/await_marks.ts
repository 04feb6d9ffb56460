/**
 * Marks the program's `await`s as Node loads its modules, so that the await
 * tracker records at those only (`src/async/await_edits_js.ts`): telling
 * them from every other promise by a look at each one's maker costs an
 * await-heavy program about a tenth of its time (docs/async.md). Through
 * Node's in-thread module hooks (`module.registerHooks`, Node 22.15 and
 * later), registered after tsx's so that the code marked is the code Node
 * runs: tsx's output with its map, or TypeScript that Node would strip,
 * stripped here the same way. Where Node has no such hooks, nothing is
 * marked and the tracker looks at every promise as before.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import nodeModule from "node:module";
import { fileURLToPath } from "node:url";
import { markAwaitsInCode } from "../../async/await_edits_js.ts";
import type { RawSourceMap } from "../../sourcemap/inline_maps.ts";
import { loaderFilter, shouldInstrument } from "../../../runtimes/portable/filter.ts";

/** The map a compiler wrote beside the code at `url` (tsc, a bundler), by its comment's reference. */
function mapBeside(ref: string, url: string): { map: RawSourceMap; url: string } | undefined {
  try {
    const at = new URL(ref, url);
    if (at.protocol !== "file:") return undefined;
    return { map: JSON.parse(readFileSync(at, "utf8")) as RawSourceMap, url: at.href };
  } catch {
    return undefined;
  }
}

/** What {@linkcode installAwaitMarks} returns. */
export interface AwaitMarks {
  /** The maps of the edited modules, from the code Node ran to the source as written, by file URL and path. */
  maps(): ReadonlyMap<string, RawSourceMap>;
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: object) => LoadResult;
interface NodeModuleHooks {
  registerHooks?: (hooks: { load: (url: string, context: object, nextLoad: NextLoad) => LoadResult }) => unknown;
  stripTypeScriptTypes?: (code: string, options: { mode: "strip" }) => string;
}

const FORMATS: Record<string, "esm" | "cjs"> = {
  module: "esm",
  commonjs: "cjs",
  "module-typescript": "esm",
  "commonjs-typescript": "cjs",
};

/**
 * Starts marking the `await`s of the user's modules loaded from now on
 * (never tsprof's, nor under `node_modules`); `undefined` where Node has no
 * in-thread module hooks.
 *
 * @example
 * ```ts
 * import { installAwaitMarks } from "./await_marks.ts";
 * const marks = installAwaitMarks();
 * await import("./app.ts");
 * marks?.maps();
 * ```
 */
export function installAwaitMarks(): AwaitMarks | undefined {
  const hooks = nodeModule as unknown as NodeModuleHooks;
  if (typeof hooks.registerHooks !== "function") return undefined;
  const filter = loaderFilter({}, import.meta.url, fileURLToPath);
  const maps = new Map<string, RawSourceMap>();
  hooks.registerHooks({
    load(url, context, nextLoad) {
      const r = nextLoad(url, context);
      const kind = FORMATS[r.format ?? ""];
      if (kind === undefined || r.source == null || !url.startsWith("file:")) return r;
      const file = fileURLToPath(url);
      if (!shouldInstrument(file, filter)) return r;
      let text = typeof r.source === "string" ? r.source : new TextDecoder().decode(r.source as ArrayBufferView);
      if (!text.includes("await")) return r;
      const typescript = r.format!.endsWith("-typescript");
      if (typescript) {
        // Node strips types after the hooks; stripped the same way here (blanked, every position kept), the code is JavaScript.
        if (typeof hooks.stripTypeScriptTypes !== "function") return r;
        try {
          text = hooks.stripTypeScriptTypes(text, { mode: "strip" });
        } catch {
          return r;
        }
      }
      const out = markAwaitsInCode(text, { file, format: kind, readMap: (ref) => mapBeside(ref, url) });
      if (out === undefined) return r;
      maps.set(url, out.map);
      maps.set(file, out.map);
      return { ...r, format: kind === "esm" ? "module" : "commonjs", source: out.code };
    },
  });
  return { maps: () => maps };
}
