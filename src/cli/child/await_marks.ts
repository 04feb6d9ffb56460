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
import { fileURLToPath, pathToFileURL } from "node:url";
import { type MarkLibraries, markAwaitsInCode } from "../../async/await_edits_js.ts";
import { requireMarkLibraries } from "../../async/mark_libraries.ts";
import type { RawSourceMap } from "../../sourcemap/inline_maps.ts";
import { AWAIT_MARKS_FORM } from "../../async/await_point_names.ts";
import { withoutMapComment } from "../../sourcemap/map_comment.ts";
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
  /**
   * Node's source maps were off, and tsprof turned them on for the edited
   * modules alone (`edited_stacks.ts`): each edit's inline map leads to the
   * code as it came, and every other module's map comment is made an
   * ordinary comment as it loads, so that Node reads no map of its.
   */
  readonly codeMaps?: boolean;
}

/** What {@linkcode installAwaitMarks} returns. */
export interface AwaitMarks {
  /** The maps of the edited modules, from the code Node ran to the source as written, by file URL and path. */
  maps(): ReadonlyMap<string, RawSourceMap>;
}

export interface LoadResult {
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

/** Options for {@linkcode awaitMarker}: those of the marks, and where each edit's map goes. */
export interface AwaitMarkerOptions extends AwaitMarksOptions {
  /** Told of each module edited, by file URL and path, with the map from the edited code to the source as written (Node only). */
  readonly onEdited?: (url: string, file: string, map: RawSourceMap) => void;
  /** The formats a load hook marks (all by default): Node 20's loader thread leaves CommonJS to `_compile`. */
  readonly formats?: readonly ("esm" | "cjs")[];
}

/** Marks one module as it loads: through a load hook, or (Node 20's CommonJS) `Module.prototype._compile`. */
export interface AwaitMarker {
  /** `r`, what the hooks after this one loaded for `url`, with its `await`s marked where it is the user's code. */
  load(url: string, r: LoadResult): LoadResult;
  /** A CommonJS module's `content` with its `await`s marked where `filename` is the user's. */
  compile(content: string, filename: string): string;
}

/**
 * The edit of each module the user wrote (never tsprof's, nor under
 * `node_modules`), kept between runs; `undefined` where the marks'
 * libraries cannot be found. Shared by the in-thread hooks
 * ({@linkcode installAwaitMarks}) and Node 20's (`await_marks_thread.ts`).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { awaitMarker } from "./await_marks.ts";
 * const marker = awaitMarker({ readText: (url) => readFileSync(url, "utf8") });
 * marker?.compile("await fetch(url);\n", "/app/main.cjs"); // the code with its await marked
 * ```
 */
export function awaitMarker(options: AwaitMarkerOptions): AwaitMarker | undefined {
  const require = createRequire(import.meta.url);
  try {
    // Found now, loaded at the first module with an `await`: the tracker must know now whether marks will come.
    for (const id of MARK_PACKAGES) require.resolve(id);
  } catch {
    return undefined;
  }
  const { deno = false, readText, formats, codeMaps = false } = options;
  // Hashed with node:crypto, required at the first module with an `await` (Deno's costs it about 10 ms).
  let sha1: ((text: string) => string) | undefined;
  const hash = (text: string) => {
    sha1 ??= ((crypto) => (t: string) => crypto.createHash("sha1").update(t).digest("hex"))(require("node:crypto") as { createHash: typeof createHash });
    return sha1(text);
  };
  const kept = keptEdits<Edit>(options.keep?.dir, `${VERSION} ${AWAIT_MARKS_FORM} ${deno ? "deno" : "node"}${codeMaps ? " code-maps" : ""}`, {
    hash,
    read: readText,
    write: (path, text) => options.keep?.write(path, text),
  });
  const filter = loaderFilter({}, import.meta.url, fileURLToPath);
  let libs: MarkLibraries | undefined;
  /** The edit of the user's module `file`: `null` where it has nothing to mark, `undefined` where it is left as it is. */
  const edit = (url: string, file: string, text: string, kind: "esm" | "cjs"): Edit | null | undefined => {
    // A bundle or generated code, rather than code the user writes and awaits in: parsing it would cost seconds.
    if (!text.includes("await")) return undefined;
    if (text.length > MAX_AWAIT_EDIT_CHARS) {
      options.onTooLarge?.({ path: file, chars: text.length });
      return undefined;
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
        const marked = markAwaitsInCode(text, { libs, file, format: kind, readMap, positions: deno ? "source" : "edited", inlineMap: codeMaps ? "code" : "source" });
        // Deno maps what it reports itself: the CLI needs no map.
        out = marked === undefined ? null : { code: marked.code, ...(deno ? {} : { map: marked.map }) };
        kept.put(file, key, out);
      }
    } catch {
      // The program runs as written, whatever befalls the edit: its waits go to the `await` waiting on them.
      return undefined;
    }
    if (out?.map !== undefined) options.onEdited?.(url, file, out.map);
    return out;
  };
  const marked = (url: string, r: LoadResult): LoadResult => {
    const kind = deno ? (r.format == null && !/\.c[jt]s$/.test(url) ? "esm" : undefined) : FORMATS[r.format ?? ""];
    if (kind === undefined || (formats !== undefined && !formats.includes(kind)) || r.source == null || !url.startsWith("file:")) return r;
    const file = fileURLToPath(url);
    if (!shouldInstrument(file, filter)) return r;
    let text = typeof r.source === "string" ? r.source : new TextDecoder().decode(r.source as ArrayBufferView);
    if (r.format?.endsWith("-typescript") === true) {
      // Node strips types after the hooks; stripped the same way here (blanked, every position kept), the code is JavaScript.
      const strip = (nodeModule as unknown as NodeModuleHooks).stripTypeScriptTypes;
      if (typeof strip !== "function" || !text.includes("await")) return r;
      try {
        text = strip(text, { mode: "strip" });
      } catch {
        return r;
      }
    }
    const out = edit(url, file, text, kind);
    if (out == null) return r;
    if (out.map === undefined) return { ...r, source: out.code };
    return { ...r, format: kind === "esm" ? "module" : "commonjs", source: out.code };
  };
  return {
    load(url, r) {
      const out = marked(url, r);
      if (out !== r || !codeMaps || r.source == null) return out;
      const source = bytesOrText(r.source);
      const plain = withoutMapComment(source);
      return plain === source ? r : { ...r, source: plain };
    },
    compile(content, filename) {
      if (typeof content !== "string") return content;
      const out = shouldInstrument(filename, filter) ? edit(pathToFileURL(filename).href, filename, content, "cjs")?.code : undefined;
      return out ?? (codeMaps ? withoutMapComment(content) : content);
    },
  };
}

/** A load hook's source as text or bytes. */
function bytesOrText(source: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof source === "string") return source;
  return source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

/**
 * Starts marking the `await`s of the user's modules loaded from now on
 * (never tsprof's, nor under `node_modules`), through the in-thread module
 * hooks; `undefined` where the runtime has none (Node 20: see
 * `await_marks_thread.ts`), or the marks' libraries cannot be found.
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
  const maps = new Map<string, RawSourceMap>();
  const marker = awaitMarker({
    ...options,
    onEdited: (url, file, map) => {
      maps.set(url, map);
      maps.set(file, map);
    },
  });
  if (marker === undefined) return undefined;
  hooks.registerHooks({ load: (url, context, nextLoad) => marker.load(url, nextLoad(url, context)) });
  return { maps: () => maps };
}
