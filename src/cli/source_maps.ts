/**
 * The CLI's side of source mapping: where each runtime's maps are, and
 * when to map. The mapping itself is `src/sourcemap/`.
 *
 * - Node: maps the child handed over (code tsx transformed in memory), then
 *   maps next to the code on disk.
 * - Deno (`--cpu-prof`): Deno mapped function positions itself; line ticks
 *   are mapped through Deno's emitted code (`$DENO_DIR/gen`) or the
 *   bundle's own map.
 * - Bun: positions are in the files that ran (TypeScript already); bundles
 *   are mapped through their maps on disk, then every frame is moved to its
 *   function's definition line.
 * - Loaded `.cpuprofile` files: maps on disk.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import type { Session } from "../format/types.ts";
import type { V8CpuProfile } from "../import/v8_cpuprofile.ts";
import { importV8CpuProfile } from "../import/v8_cpuprofile.ts";
import { denoCacheDir, denoEmits, emitMaps } from "../sourcemap/deno_cache.ts";
import { placeAtDefinitions, placeAtNames } from "../sourcemap/definitions.ts";
import { mapJscProfile } from "../sourcemap/jsc.ts";
import { firstMap, type MapFetcher, mapOfCode, mapsFromTable, toPath } from "../sourcemap/map_source.ts";
import { remapSession, SourceMapCache } from "../sourcemap/remap.ts";
import { premappedOrigins } from "../sourcemap/v8_scripts.ts";
import type { Profile } from "../format/types.ts";
import { fileLineReader, type LineStartsCache, type ReadLines } from "../sourcemap/source_lines.ts";
import { lineStartsCache } from "./line_starts_cache.ts";
import { privateCacheDir } from "./cache_dir.ts";
import { keptOpen, readTextFile } from "../../runtimes/_files.ts";
import { readCodeEnd } from "./code_end.ts";
import type { FramesFirst } from "./frames_first.ts";
import { foldCommonJsFacades } from "../import/commonjs_facade.ts";

/** Reads a text file; `undefined` when it cannot be read. */
export const readText: (path: string) => string | undefined = readTextFile;

/**
 * `f` asked once per path, however often it is asked for: charging a
 * child's waits reads its sources at several steps (where its functions
 * are, which modules it imports, what each `await` waited for).
 *
 * @example
 * ```ts
 * import { oncePerPath, readText } from "./source_maps.ts";
 * const read = oncePerPath(readText);
 * read("/app/main.ts") === read("/app/main.ts"); // true: read from disk once
 * ```
 */
export function oncePerPath<T>(f: (path: string) => T): (path: string) => T {
  const done = new Map<string, T>();
  return (path) => {
    if (!done.has(path)) done.set(path, f(path));
    return done.get(path) as T;
  };
}

/** `use` with a reader of sources' lines whose files stay open while it runs: a line a read, not an open, a read and a close. */
export function withLines<T>(use: (readLines: ReadLines) => T): T {
  const files = keptOpen();
  return files.closeAfter(() => use(fileLineReader(files.open, keptLineStarts())));
}

/** Large files' line starts, kept between runs (see line_starts_cache.ts), where the cache is the user's alone. */
function keptLineStarts(): LineStartsCache {
  return lineStartsCache(() => privateCacheDir("lines"));
}

/** Deno's emit cache of this user, where the JavaScript of each TypeScript module is (see `deno_cache.ts`). */
export const denoEmitted = (): ReturnType<typeof denoEmits> => denoEmits(denoCacheDir(process.env, process.platform, homedir()), readText);

/**
 * Maps next to the code on disk, found through the code's last lines only
 * (see code_end.ts): `mapsFromFiles` with a cheaper read of the code.
 */
export const diskMaps: MapFetcher = mapsOnDisk(new Map());

/**
 * {@linkcode diskMaps}, taking the maps in `parsed` (by path) as they are:
 * a package's maps, read once to find which of its files each belongs to,
 * are not read and parsed again.
 */
function mapsOnDisk(parsed: ReadonlyMap<string, object>): MapFetcher {
  const read = (mapPath: string) => (parsed.has(mapPath) ? "" : readText(mapPath));
  return (file) => {
    const path = toPath(file);
    const code = path === undefined ? undefined : readCodeEnd(path);
    const found = code === undefined ? undefined : mapOfCode(code, path!, read);
    const map = found === undefined ? undefined : parsed.get(found.url);
    return map === undefined ? found : { map, url: found!.url };
  };
}

/**
 * A fetcher for the maps the Node child wrote (see `child/child_maps.ts`): a map
 * Node held, or the sourceMappingURL of the code as V8 compiled it.
 */
function childMaps(path: string): MapFetcher {
  const text = readText(path);
  let maps: Record<string, object | string> = {};
  if (text !== undefined) {
    try {
      maps = JSON.parse(text) as Record<string, object | string>;
    } catch {
      maps = {};
    }
  }
  return mapsFromTable(maps, readText);
}

/** Maps a session of a process attached to, with the maps its scripts carried inline (script_maps.ts), then those on disk. */
export function mapAttachedSession(session: Session, inline: Readonly<Record<string, object>>): Session {
  return atNames(remapSession(session, firstMap(mapsFromTable(inline, readText), diskMaps)));
}

/** A V8 session's frames at their functions' names (see `placeAtNames`). */
function atNames(session: Session): Session {
  const profiles = withLines((readLines) => session.profiles.map((p) => placeAtNames(p, readLines)));
  return profiles.every((p, i) => p === session.profiles[i]) ? session : { ...session, profiles };
}

/** Maps a session a Node process wrote, with the maps it handed over beside it (a direct run's child, a tree run's process). */
export function mapChildSession(session: Session, childMapsFile: string | undefined): Session {
  const fetch = childMapsFile ? firstMap(childMaps(childMapsFile), diskMaps) : diskMaps;
  return atNames(remapSession(session, fetch));
}

/** Maps Bun's `--cpu-prof` profile (see `mapJscProfile`), with the maps on disk: the frames `first` marks now, the rest by `complete()`. */
export function mapBunProfile(profile: Profile, first?: FramesFirst): { profile: Profile; warnings: string[]; complete(): Profile } {
  // The files stay open for each pass (frames placed now, the rest later), and are closed after it.
  const files = keptOpen();
  const mapped = files.closeAfter(() => mapJscProfile(profile, diskMaps, fileLineReader(files.open, keptLineStarts()), first));
  return { profile: mapped.profile, warnings: mapped.warnings, complete: () => files.closeAfter(() => mapped.complete()) };
}

/** Every frame of a mapped Bun profile at its definition (those placed already stay). */
export function placeBunFrames(profile: Profile): Profile {
  return withLines((readLines) => placeAtDefinitions(profile, readLines));
}

/**
 * Maps a loaded foreign profile (a `.cpuprofile`) through its code's maps on
 * disk, as a run on its runtime would: V8's (Node's, Chrome's) positions are
 * the code's, Deno's are mapped already, Bun's are JavaScriptCore's.
 */
export function mapLoadedSession(session: Session): Session {
  // tsprof's own sessions were mapped when recorded; a `.cpuprofile` names no runtime version.
  if (session.meta.runtimeVersion !== "") return session;
  switch (session.meta.runtime) {
    case "v8":
    case "node":
    case "chrome":
      return atNames(remapSession(session, diskMaps));
    case "deno":
      return atNames(session);
    case "bun": {
      const mapped = session.profiles.map((p) => mapBunProfile(p));
      const warnings = mapped.flatMap((m) => m.warnings);
      const meta = warnings.length > 0 ? { ...session.meta, warnings: [...(session.meta.warnings ?? []), ...warnings] } : session.meta;
      return { ...session, meta, profiles: mapped.map((m) => m.profile) };
    }
    default:
      return session;
  }
}

/**
 * Imports Deno's `--cpu-prof` output with its line ticks mapped to the
 * original sources (Deno maps the function positions itself).
 */
export function importDenoCpuProfile(cpu: V8CpuProfile, entry: string | undefined): { profile: Profile; warnings: string[] } {
  const packages = new PackageMaps();
  const cache = new SourceMapCache(firstMap(emitMaps(denoEmitted(), readText), mapsOnDisk(packages.parsed)));
  // Resolved once: Deno asks the system for the working directory at every resolve().
  const entryFile = entry ? [resolve(entry)] : [];
  const premapped = premappedOrigins(cpu, cache, (files) => [...entryFile, ...packages.generatedFor(files)]);
  const profile = importV8CpuProfile(premapped.cpu, "main");
  const session: Session = {
    version: 1,
    meta: { runtime: "deno", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 0 },
    profiles: [profile],
  };
  const mapped = remapSession(session, cache, { origin: premapped.origin });
  const warnings = [...cache.warnings];
  if (premapped.unmapped.length > 0) {
    warnings.push(`no source map found for the code that ran as ${premapped.unmapped.map((f) => `"${f}"`).join(", ")}: their line times are left out`);
  }
  // Deno's facade of a CommonJS module bears its name: dropped before its frames are placed.
  return { profile: withLines((readLines) => placeAtNames(foldCommonJsFacades(mapped.profiles[0]!), readLines)), warnings };
}

/**
 * Generated files of a package in node_modules, found by the sources their
 * maps list: Deno names only the original file of a package's function.
 */
class PackageMaps {
  readonly #byPackage = new Map<string, Map<string, string>>();
  /** The maps read so far, by path: the source-map cache takes them from here. */
  readonly parsed = new Map<string, object>();

  /** Generated files whose maps list one of `files`. */
  generatedFor(files: ReadonlySet<string>): string[] {
    const out = new Set<string>();
    for (const file of files) {
      const root = packageRoot(file);
      if (root === undefined) continue;
      const generated = this.#index(root).get(file);
      if (generated !== undefined) out.add(generated);
    }
    return [...out];
  }

  /** Original source → generated file, for every map in the package (bounded). */
  #index(root: string): Map<string, string> {
    let index = this.#byPackage.get(root);
    if (index) return index;
    index = new Map();
    this.#byPackage.set(root, index);
    const todo = [root];
    let budget = 5000;
    while (todo.length > 0 && budget > 0) {
      const dir = todo.pop()!;
      let entries: import("node:fs").Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (--budget <= 0) break;
        const path = join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== "node_modules" && !e.name.startsWith(".")) todo.push(path);
        } else if (/\.[cm]?js\.map$/.test(e.name)) {
          const text = readText(path);
          if (text === undefined) continue;
          try {
            const map = JSON.parse(text) as { sources?: unknown; sourceRoot?: unknown };
            if (typeof map === "object" && map !== null) this.parsed.set(path, map);
            if (!Array.isArray(map.sources)) continue;
            const rootDir = typeof map.sourceRoot === "string" ? map.sourceRoot : "";
            for (const src of map.sources) {
              if (typeof src === "string") index.set(resolve(dirname(path), rootDir + src), path.slice(0, -".map".length));
            }
          } catch {
            // Not a map; the frames keep their lines out.
          }
        }
      }
    }
    return index;
  }
}

/** The folder of the package in node_modules that holds `file`. */
function packageRoot(file: string): string | undefined {
  const at = file.lastIndexOf("/node_modules/");
  if (at === -1) return undefined;
  const rest = file.slice(at + "/node_modules/".length).split("/");
  const depth = rest[0]?.startsWith("@") ? 2 : 1;
  if (rest.length <= depth) return undefined;
  return file.slice(0, at + "/node_modules/".length) + rest.slice(0, depth).join("/");
}

/** Reads source lines for `--lines`, each file once. */
export function sourceLines(): (file: string, line: number) => string | undefined {
  const linesOf = oncePerPath((path) => readText(path)?.split("\n"));
  return (file, line) => {
    const path = toPath(file);
    return path === undefined ? undefined : linesOf(path)?.[line - 1];
  };
}
