/**
 * Where a Bun program waits. Bun has no promise hooks, so the program's own
 * modules are edited as Bun loads them (`await_edits.ts`): each `await`
 * tells the recorder (`src/async/marked_awaits.ts`) when it is about to
 * wait and when it resumes.
 *
 * A `Bun.plugin` cannot decline a file once its filter matched, and Bun
 * runs no CommonJS a plugin hands back (oven-sh/bun#19279). So the files are
 * chosen before the program starts: the entry and the modules it imports,
 * statically or by a literal `import()`, outside `node_modules`, read and
 * edited now; the plugin's filter names exactly those that are ES modules
 * with an `await`. A module reached otherwise (a computed `import()`, a
 * `require` of a path built at run time) is not edited: its waits go to the
 * `await` waiting on it.
 *
 * Parsing costs the program's start more than the rest (loading the parser
 * alone takes tens of ms), so each module's edit is kept between runs, in
 * the folder the CLI names (`kept_edits.ts`), under its source's hash: a module
 * that has not changed since is not parsed again, and a program whose
 * modules have not changed does not load the parser.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { AWAIT_MARKS_FORM, registerAwaitMarks } from "../../async/await_point_names.ts";
import { VERSION } from "../../version.ts";
import { type MarkedAwaitTracker, trackMarkedAwaits } from "../../async/marked_awaits.ts";
import { codeOrigin, escapeRegExp, normalizeFile } from "../../paths.ts";
import { writeCacheFileSync } from "../../../runtimes/_files.ts";
import { afterTurn } from "../../../runtimes/_soon.ts";
import { MAX_AWAIT_EDIT_CHARS } from "../protocol.ts";
import { keptEdits } from "./kept_edits.ts";
import type { EditInserts } from "../../async/edit_inserts.ts";
import type { MarkedSource } from "../../async/await_edits.ts";

declare const Bun: {
  plugin(plugin: {
    name: string;
    setup(build: { onLoad(options: { filter: RegExp }, fn: (args: { path: string }) => { contents: string; loader: string }): void }): void;
  }): void;
  Transpiler: new (options: { loader: string }) => { scanImports(code: string): { path: string; kind: string }[] };
  resolveSync(specifier: string, from: string): string;
  hash(data: string): number | bigint;
};

const SOURCE = /\.(?:[mc]?[jt]s|[jt]sx)$/;

/** What {@linkcode recordBunAwaits} returns. */
export interface BunAwaits {
  readonly tracker: MarkedAwaitTracker;
  /** What the marks inserted in each edited file, by path: the CLI takes Bun's positions back through them. */
  readonly inserts: Readonly<Record<string, EditInserts>>;
}

/**
 * Edits the `await`s of the program that starts at `entry` and records
 * their waits; `undefined` when it has none to edit.
 *
 * @example
 * ```ts
 * import { recordBunAwaits } from "./bun_awaits.ts";
 * const awaits = await recordBunAwaits("/app/main.ts", { minMs: 0.25, toolPaths: [] });
 * awaits?.tracker.waits();
 * ```
 */
export async function recordBunAwaits(
  entry: string,
  options: { minMs: number; toolPaths: readonly string[]; cacheDir?: string | undefined; onTooLarge?: (path: string, chars: number) => void },
): Promise<BunAwaits | undefined> {
  const candidates = programModules(entry, options.toolPaths, options.onTooLarge ?? (() => {}));
  if (candidates.size === 0) return undefined;
  const cache = keptEdits<MarkedSource>(options.cacheDir, `${VERSION} ${AWAIT_MARKS_FORM} bun`, {
    hash: (text) => Bun.hash(text).toString(16),
    read: (path) => readFileSync(path, "utf8"),
    write: (path, text) => void writeCacheFileSync(path, text),
  });
  // The parser is loaded only for a program with an `await` to edit that was not edited before.
  let markAwaitsInSource: typeof import("../../async/await_edits.ts").markAwaitsInSource | undefined;
  const edited = new Map<string, { contents: string; loader: string; inserts: EditInserts }>();
  for (const [path, { source, loader }] of candidates) {
    let code = cache.get(path, source);
    if (code === undefined) {
      markAwaitsInSource ??= (await import("../../async/await_edits.ts")).markAwaitsInSource;
      code = markAwaitsInSource(source, { file: path, typescript: loader === "ts" || loader === "tsx", jsx: loader === "tsx" || loader === "jsx", onlyModules: true }) ?? null;
      cache.put(path, source, code);
    }
    if (code !== null) edited.set(path, { contents: code.code, loader, inserts: code.inserts });
  }
  if (edited.size === 0) return undefined;
  const tracker = trackMarkedAwaits({ minMs: options.minMs, toolPaths: options.toolPaths, jsc: true, afterTurn });
  registerAwaitMarks(tracker.marks);
  const filter = new RegExp(`^(?:${[...edited.keys()].map(escapeRegExp).join("|")})$`);
  Bun.plugin({
    name: "tsprof-awaits",
    setup(build) {
      build.onLoad({ filter }, ({ path }) => {
        const e = edited.get(path);
        return e ? { contents: e.contents, loader: e.loader } : { contents: readFileSync(path, "utf8"), loader: loaderOf(path) };
      });
    },
  });
  return { tracker, inserts: Object.fromEntries([...edited].map(([path, e]) => [path, e.inserts])) };
}

/**
 * The program's modules from `entry` that may have an `await` to edit (not
 * CommonJS by their name, with "await" in their text): by path, the source
 * and its loader. A module over the size limit is passed to `tooLarge` and
 * not followed: scanning its imports alone costs a tenth of a second.
 */
function programModules(entry: string, toolPaths: readonly string[], tooLarge: (path: string, chars: number) => void): Map<string, { source: string; loader: string }> {
  const found = new Map<string, { source: string; loader: string }>();
  const seen = new Set<string>([entry]);
  const todo = [entry];
  const transpilers = new Map<string, InstanceType<typeof Bun.Transpiler>>();
  while (todo.length > 0) {
    const path = todo.pop()!;
    let source: string;
    try {
      source = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    // A bundle or generated code, rather than code the user writes and awaits in.
    if (source.length > MAX_AWAIT_EDIT_CHARS) {
      if (source.includes("await")) tooLarge(path, source.length);
      continue;
    }
    const loader = loaderOf(path);
    if (!/\.c[jt]s$/.test(path) && source.includes("await")) found.set(path, { source, loader });
    let transpiler = transpilers.get(loader);
    if (!transpiler) transpilers.set(loader, transpiler = new Bun.Transpiler({ loader }));
    let imports: { path: string; kind: string }[];
    try {
      imports = transpiler.scanImports(source);
    } catch {
      continue;
    }
    for (const { path: specifier } of imports) {
      let resolved: string;
      try {
        resolved = Bun.resolveSync(specifier, dirname(path));
      } catch {
        continue;
      }
      if (seen.has(resolved) || !isProgramFile(resolved, toolPaths)) continue;
      seen.add(resolved);
      todo.push(resolved);
    }
  }
  return found;
}

/** A source file of the program's own: on disk, not a library's, not tsprof's. */
function isProgramFile(path: string, toolPaths: readonly string[]): boolean {
  if (!path.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(path)) return false;
  const file = normalizeFile(path);
  return SOURCE.test(path) && codeOrigin(file) === "app" && !toolPaths.some((p) => file.startsWith(p));
}

function loaderOf(path: string): string {
  if (/\.[mc]?ts$/.test(path)) return "ts";
  if (path.endsWith(".tsx")) return "tsx";
  if (path.endsWith(".jsx")) return "jsx";
  return "js";
}
