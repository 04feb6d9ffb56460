/**
 * Where a Bun program waits. Bun has no promise hooks, so the program's own
 * modules are edited as Bun loads them: each `await` tells the recorder
 * (`src/async/await_points.ts`) when it starts waiting (`await_edits.ts`).
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
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { AWAIT_POINTS_KEY } from "../../async/await_point_names.ts";
import { type AwaitPoints, trackAwaitPoints } from "../../async/await_points.ts";
import { codeOrigin, normalizeFile } from "../../paths.ts";
import { soonTimer } from "../../../runtimes/_soon.ts";

declare const Bun: {
  plugin(plugin: {
    name: string;
    setup(build: { onLoad(options: { filter: RegExp }, fn: (args: { path: string }) => { contents: string; loader: string }): void }): void;
  }): void;
  Transpiler: new (options: { loader: string }) => { scanImports(code: string): { path: string; kind: string }[] };
  resolveSync(specifier: string, from: string): string;
};

const SOURCE = /\.(?:[mc]?[jt]s|[jt]sx)$/;

/**
 * Edits the `await`s of the program that starts at `entry` and records
 * their waits; `undefined` when it has none to edit.
 *
 * @example
 * ```ts
 * import { recordBunAwaits } from "./bun_awaits.ts";
 * const points = await recordBunAwaits("/app/main.ts", { minMs: 0.25, toolPaths: [] });
 * ```
 */
export async function recordBunAwaits(entry: string, options: { minMs: number; toolPaths: readonly string[] }): Promise<AwaitPoints | undefined> {
  const candidates = programModules(entry, options.toolPaths);
  if (candidates.size === 0) return undefined;
  // The parser is loaded only for a program with an `await` to edit.
  const { instrumentAwaits } = await import("../../async/await_edits.ts");
  const edited = new Map<string, { contents: string; loader: string }>();
  for (const [path, { source, loader }] of candidates) {
    const code = instrumentAwaits(source, { file: path, typescript: loader === "ts" || loader === "tsx", jsx: loader === "tsx" || loader === "jsx", onlyModules: true });
    if (code !== undefined) edited.set(path, { contents: code, loader });
  }
  if (edited.size === 0) return undefined;
  const points = trackAwaitPoints({ ...options, soon: soonTimer });
  (globalThis as Record<symbol, unknown>)[Symbol.for(AWAIT_POINTS_KEY)] = points.forFile;
  const filter = new RegExp(`^(?:${[...edited.keys()].map(escapeRegExp).join("|")})$`);
  Bun.plugin({
    name: "tsprof-awaits",
    setup(build) {
      build.onLoad({ filter }, ({ path }) => {
        const e = edited.get(path);
        return e ?? { contents: readFileSync(path, "utf8"), loader: loaderOf(path) };
      });
    },
  });
  return points;
}

/**
 * The program's modules from `entry` that may have an `await` to edit (not
 * CommonJS by their name, with "await" in their text): by path, the source
 * and its loader.
 */
function programModules(entry: string, toolPaths: readonly string[]): Map<string, { source: string; loader: string }> {
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
