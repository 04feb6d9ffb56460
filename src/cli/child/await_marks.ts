/**
 * Marks the program's `await`s as Node or Deno loads its modules, so that
 * the await tracker records at those only, told by the marks when each
 * waits and resumes (`src/async/await_edits_js.ts`): promise hooks, and a
 * look at each promise's maker to tell the program's from the rest, cost
 * an await-heavy program about a tenth of its time on Node, a third on Deno
 * (docs/async.md). Through the in-thread module hooks
 * (`module.registerHooks`: Node 22.15 and later, Deno 2.9 and later). On
 * Node they are registered after tsx's so that the code marked is the code
 * Node runs: tsx's output with its map, or TypeScript that Node would strip,
 * stripped here the same way. On Deno the hook is handed the JavaScript Deno
 * emitted, its map inline. Where the runtime has no such hooks, nothing is
 * marked and the tracker looks at every promise as before.
 *
 * @module
 */
import type { createHash } from "node:crypto";
import nodeModule, { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type MarkLibraries, markAwaitsInCode } from "../../async/await_edits_js.ts";
import { requireMarkLibraries } from "../../async/mark_libraries.ts";
import type { RawSourceMap } from "../../sourcemap/inline_maps.ts";
import { AWAIT_MARKS_FORM } from "../../async/await_point_names.ts";
import { VERSION } from "../../version.ts";
import { keptEdits } from "./kept_edits.ts";
import { type AwaitsNotEdited, MAX_AWAIT_EDIT_CHARS } from "../protocol.ts";
import { loaderFilter, shouldInstrument } from "../../../runtimes/portable/filter.ts";

/** The text of the map a compiler wrote beside the code at `url` (tsc, a bundler), named by `text`'s comment. */
function mapBeside(text: string, url: string, readText: (file: string | URL) => string): { text: string; url: string } | undefined {
  const ref = MAP_FILE_REFERENCE.exec(text)?.[1];
  if (ref === undefined) return undefined;
  try {
    const at = new URL(ref, url);
    return at.protocol === "file:" ? { text: readText(at), url: at.href } : undefined;
  } catch {
    return undefined;
  }
}

/** Options for {@linkcode installAwaitMarks}. */
export interface AwaitMarksOptions {
  /**
   * Reads a file as text (a map beside the code): the runtime's own, as
   * `node:fs` alone costs a Deno process more than a dozen milliseconds.
   */
  readonly readText: (file: string | URL) => string;
  /**
   * Where edits are kept between runs (`ChildConfig.awaitsCacheDir`), and
   * how this runtime writes a file whole: a module that has not changed
   * since is not parsed again, and a program none of whose modules has
   * changed does not load the parser.
   */
  readonly keep?: { readonly dir: string | undefined; readonly write: (path: string, text: string) => void };
  /** Told of each module with an `await` left as it is for its size (over `MAX_AWAIT_EDIT_CHARS`). */
  readonly onTooLarge?: (notEdited: AwaitsNotEdited) => void;
  /**
   * The process is Deno's. Its load hook hands over every module with no
   * format (ES modules; Deno runs CommonJS from `.cjs` and `.cts` only), and
   * Deno maps what it reports (stack traces, `--cpu-prof`'s functions)
   * through the map of the code the hook returns: the marks hand the
   * recorder the source's positions, and the CLI needs no map.
   */
  readonly deno?: boolean;
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

/** A module's edit, as kept: its map for the CLI on Node. */
interface Edit {
  readonly code: string;
  readonly map?: RawSourceMap;
}

/** A `sourceMappingURL` comment that names a file (not an inline map), and the file. */
const MAP_FILE_REFERENCE = /\/\/[#@] sourceMappingURL=(?!data:)(\S+)\s*$/;

/** What `requireMarkLibraries` requires. */
const MARK_PACKAGES = ["acorn", "magic-string", "@jridgewell/trace-mapping", "@jridgewell/sourcemap-codec"];

const FORMATS: Record<string, "esm" | "cjs"> = {
  module: "esm",
  commonjs: "cjs",
  "module-typescript": "esm",
  "commonjs-typescript": "cjs",
};

/**
 * Starts marking the `await`s of the user's modules loaded from now on
 * (never tsprof's, nor under `node_modules`); `undefined` where the runtime
 * has no in-thread module hooks, or the marks' libraries cannot be found.
 *
 * @example
 * ```ts
 * import { installAwaitMarks } from "./await_marks.ts";
 * import { readFileSync } from "node:fs";
 * const marks = installAwaitMarks({ readText: (url) => readFileSync(url, "utf8") });
 * await import("./app.ts");
 * marks?.maps();
 * ```
 */
export function installAwaitMarks(options: AwaitMarksOptions): AwaitMarks | undefined {
  const hooks = nodeModule as unknown as NodeModuleHooks;
  if (typeof hooks.registerHooks !== "function") return undefined;
  const require = createRequire(import.meta.url);
  try {
    // Found now, loaded at the first module with an `await`: the tracker must know now whether marks will come.
    for (const id of MARK_PACKAGES) require.resolve(id);
  } catch {
    return undefined;
  }
  const { deno = false, readText } = options;
  // Hashed with node:crypto, required at the first module with an `await` (Deno's costs it about 10 ms).
  let sha1: ((text: string) => string) | undefined;
  const hash = (text: string) => {
    sha1 ??= ((crypto) => (t: string) => crypto.createHash("sha1").update(t).digest("hex"))(require("node:crypto") as { createHash: typeof createHash });
    return sha1(text);
  };
  const kept = keptEdits<Edit>(options.keep?.dir, `${VERSION} ${AWAIT_MARKS_FORM} ${deno ? "deno" : "node"}`, {
    hash,
    read: readText,
    write: (path, text) => options.keep?.write(path, text),
  });
  const filter = loaderFilter({}, import.meta.url, fileURLToPath);
  const maps = new Map<string, RawSourceMap>();
  let libs: MarkLibraries | undefined;
  hooks.registerHooks({
    load(url, context, nextLoad) {
      const r = nextLoad(url, context);
      const kind = deno ? (r.format == null && !/\.c[jt]s$/.test(url) ? "esm" : undefined) : FORMATS[r.format ?? ""];
      if (kind === undefined || r.source == null || !url.startsWith("file:")) return r;
      const file = fileURLToPath(url);
      if (!shouldInstrument(file, filter)) return r;
      let text = typeof r.source === "string" ? r.source : new TextDecoder().decode(r.source as ArrayBufferView);
      // A bundle or generated code, rather than code the user writes and awaits in: parsing it would cost seconds.
      if (!text.includes("await")) return r;
      if (text.length > MAX_AWAIT_EDIT_CHARS) {
        options.onTooLarge?.({ path: file, chars: text.length });
        return r;
      }
      const typescript = r.format?.endsWith("-typescript") === true;
      if (typescript) {
        // Node strips types after the hooks; stripped the same way here (blanked, every position kept), the code is JavaScript.
        if (typeof hooks.stripTypeScriptTypes !== "function") return r;
        try {
          text = hooks.stripTypeScriptTypes(text, { mode: "strip" });
        } catch {
          return r;
        }
      }
      let out: Edit | null | undefined;
      try {
        // A map beside the code may change alone (types only changed): the edit is kept for both.
        const beside = mapBeside(text, url, readText);
        const key = beside === undefined ? text : `${text}\n${beside.text}`;
        out = kept.get(file, key);
        if (out === undefined) {
          libs ??= requireMarkLibraries(require);
          const readMap = () => beside && { map: JSON.parse(beside.text) as RawSourceMap, url: beside.url };
          const marked = markAwaitsInCode(text, { libs, file, format: kind, readMap, positions: deno ? "source" : "edited" });
          // Deno maps what it reports itself: the CLI needs no map.
          out = marked === undefined ? null : { code: marked.code, ...(deno ? {} : { map: marked.map }) };
          kept.put(file, key, out);
        }
      } catch {
        // The program runs as written, whatever befalls the edit: its waits go to the `await` waiting on them.
        return r;
      }
      if (out === null) return r;
      if (out.map === undefined) return { ...r, source: out.code };
      maps.set(url, out.map);
      maps.set(file, out.map);
      return { ...r, format: kind === "esm" ? "module" : "commonjs", source: out.code };
    },
  });
  return { maps: () => maps };
}
