/**
 * Maps a profile's positions from the code that ran back to the sources the
 * user wrote, through source maps. Runtime-neutral: the runtime side says
 * how to get the map of a file ({@linkcode MapFetcher}).
 *
 * What moves, and what stays:
 * - A frame is one function: its file, line and column become the original
 *   position of its definition (V8 reports the position just before the
 *   parameter list; the map's segment at or before it is the function's
 *   name). A minified name becomes the original name when the map records
 *   one for the name token.
 * - Frames of one generated function stay one frame. Line ticks (time per
 *   line) map line by line to the frame's original file; a generated line
 *   whose code came from another original file (a bundler's helper, an
 *   inlined constant) has no line in the frame's file, so its time stays in
 *   the frame's self time but in no line.
 * - Frames that map to the same original function become one frame, and
 *   their stacks merge.
 * - A missing map leaves a frame as it is; a broken map too, with a warning
 *   naming the file. Nothing here throws because of a map.
 *
 * @module
 */
import { decodedMappings, FlattenMap, generatedPositionFor, type SourceMapInput, TraceMap, traceSegment } from "@jridgewell/trace-mapping";
import { reinternProfile } from "../format/builder.ts";
import { type Frame, MODULE_FRAME_NAME, type Profile, type Session } from "../format/types.ts";
import { codeOrigin, normalizeFile } from "../paths.ts";
import { type MapFetcher, MissingMapError } from "./map_source.ts";

/**
 * Where a frame's positions come from. By default a frame's file is the
 * code that ran, and its position and line ticks are in that code.
 */
export interface FrameOrigin {
  /** The file that ran (path or URL): its map translates this frame. */
  readonly generatedFile: string;
  /** The frame's line and column are in the generated code (false: the runtime mapped them already). */
  readonly position: boolean;
  /** The frame's line ticks are lines of the generated code. */
  readonly lines: boolean;
  /**
   * The runtime mapped the position to an original source but kept the
   * generated file's name (Deno, for npm packages): the source is the one
   * of the map that has a mapping at exactly that position.
   */
  readonly sourceUnknown?: boolean;
}

/** Options for {@linkcode remapProfile}. */
export interface RemapOptions {
  /**
   * Where each frame's positions come from; `undefined` for a frame means
   * the default (its own file, everything generated).
   */
  readonly origin?: (frame: Frame, index: number) => FrameOrigin | undefined;
  /**
   * Take a function's original name from the map. Right for V8, whose
   * positions are at the function's name; wrong for engines that report
   * the executing statement (JavaScriptCore). `"exact"`: only where the
   * position is the name token itself (frames placed at their definition).
   * @default {true}
   */
  readonly names?: boolean | "exact";
}

/**
 * Source maps by generated file, each fetched and parsed at most once.
 * Problems become {@linkcode warnings}, one per file.
 *
 * @example
 * ```ts
 * import { SourceMapCache } from "./remap.ts";
 * const cache = new SourceMapCache(() => undefined); // no maps anywhere
 * cache.get("/app/a.js"); // undefined
 * ```
 */
export class SourceMapCache {
  readonly #fetch: MapFetcher;
  readonly #maps = new Map<string, TraceMap | null>();
  readonly #sources = new Map<TraceMap, string[]>();
  /** What went wrong, one line per file, for the session's warnings. */
  readonly warnings: string[] = [];

  constructor(fetch: MapFetcher) {
    this.#fetch = fetch;
  }

  /** The parsed map of the code that ran as `file`, if it has a usable one. */
  get(file: string): TraceMap | undefined {
    const known = this.#maps.get(file);
    if (known !== undefined) return known ?? undefined;
    let map: TraceMap | null = null;
    try {
      const text = this.#fetch(file);
      if (text !== undefined) {
        const parsed = (typeof text.map === "string" ? JSON.parse(text.map) : text.map) as Record<string, unknown>;
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new TypeError("the map is not a JSON object");
        if (Array.isArray(parsed.sections)) {
          map = FlattenMap(parsed as never, text.url);
        } else {
          if (typeof parsed.mappings !== "string") throw new TypeError(`"mappings" is not a string`);
          if (!Array.isArray(parsed.sources)) throw new TypeError(`"sources" is not an array`);
          map = new TraceMap(parsed as unknown as SourceMapInput, text.url);
        }
        // Decoding now (not at the first lookup) reports a broken map here.
        decodedMappings(map);
        this.#sources.set(map, map.resolvedSources.map((s) => normalizeFile(s ?? "")));
      }
    } catch (e) {
      map = null;
      const why = e instanceof Error ? e.message : String(e);
      // A package's missing map is nothing the user can fix, and its frames fold away: no warning.
      if (!(e instanceof MissingMapError && codeOrigin(file) === "library")) this.warnings.push(`the source map of "${file}" cannot be used (${why}): its frames keep the positions of the code that ran`);
    }
    this.#maps.set(file, map);
    return map ?? undefined;
  }

  /** The map's sources as paths (or URLs where they are not files). */
  sources(map: TraceMap): readonly string[] {
    return this.#sources.get(map) ?? [];
  }
}

/**
 * The original position of `line`:`col` (1-based) in the code that ran as
 * `file`, through its map in `cache`; `undefined` without a map or a mapping.
 * A column before the line's first mapping (its indentation: a call that
 * Bun places at a mark written over a line's first `await` is taken back
 * to the character before the mark) goes to that first mapping, the line's
 * first code.
 *
 * @example
 * ```ts
 * import { originalPosition, SourceMapCache } from "./remap.ts";
 * originalPosition(new SourceMapCache(() => undefined), "/app/out/a.js", 3, 5); // undefined: no map
 * ```
 */
export function originalPosition(cache: SourceMapCache, file: string, line: number, col: number): { file: string; line: number; col: number } | undefined {
  const map = cache.get(file);
  if (map === undefined) return undefined;
  const seg = (traceSegment(map, line - 1, col - 1) ?? decodedMappings(map)[line - 1]?.find((s) => s.length >= 4 && s[0]! >= col - 1) ?? null) as readonly number[] | null;
  const source = seg && seg.length >= 4 ? cache.sources(map)[seg[1]!] : undefined;
  return source ? { file: source, line: seg![2]! + 1, col: seg![3]! + 1 } : undefined;
}

type MutableFrame = { -readonly [K in keyof Frame]: Frame[K] };

/** A frame's original position, or `undefined` when the map has none. */
function mapFrame(frame: Frame, map: TraceMap, sources: readonly string[], names: boolean | "exact"): Frame | undefined {
  if (frame.line === undefined) return undefined;
  // A whole script's function (named so on every runtime: see topLevelName)
  // is no function of any one original file, even when one starts there.
  if (frame.name === MODULE_FRAME_NAME) return undefined;
  const line0 = frame.line - 1;
  const col0 = (frame.col ?? 1) - 1;
  const seg = traceSegment(map, line0, col0) as readonly number[] | null;
  if (!seg || seg.length < 4) return undefined;
  const file = sources[seg[1]!];
  if (!file) return undefined;
  const out: MutableFrame = { name: frame.name, kind: frame.kind, file, line: seg[2]! + 1, col: seg[3]! + 1 };
  // A renamed (minified) function: its name token sits right before the
  // position V8 reports, and the map knows the name it had.
  if (names && seg.length === 5 && frame.name !== "(anonymous)" && (seg[0] === col0 || (names !== "exact" && seg[0]! + frame.name.length === col0))) {
    const name = map.names[seg[4]!];
    if (name) out.name = name;
  }
  return out;
}

/**
 * The original name of a frame the runtime already placed in the original
 * source (Deno) but left with its generated (minified) name: the name the
 * map records for the token at that original position.
 */
function nameAtOriginal(frame: Frame, map: TraceMap, sources: readonly string[]): string | undefined {
  if (frame.line === undefined || frame.col === undefined || frame.name === "(anonymous)") return undefined;
  const index = sources.indexOf(frame.file ?? "");
  const source = map.resolvedSources[index];
  if (index === -1 || source === undefined || source === null) return undefined;
  const gen = generatedPositionFor(map, { source, line: frame.line, column: frame.col - 1 });
  if (gen.line === null) return undefined;
  const seg = traceSegment(map, gen.line - 1, gen.column) as readonly number[] | null;
  if (!seg || seg.length !== 5 || seg[0] !== gen.column || seg[2] !== frame.line - 1 || seg[3] !== frame.col - 1) return undefined;
  return map.names[seg[4]!];
}

/** Original "line:column" (0-based) to the segments there, as [source index, name index or -1] pairs. */
type OriginalPlaces = Map<string, number[]>;

/** The {@linkcode OriginalPlaces} of `map`. */
function originalPlaces(map: TraceMap): OriginalPlaces {
  const places: OriginalPlaces = new Map();
  for (const line of decodedMappings(map) as readonly (readonly (readonly number[])[])[]) {
    for (const seg of line) {
      if (seg.length < 4) continue;
      const key = `${seg[2]}:${seg[3]}`;
      const list = places.get(key);
      if (list === undefined) places.set(key, [seg[1]!, seg[4] ?? -1]);
      else list.push(seg[1]!, seg[4] ?? -1);
    }
  }
  return places;
}

/**
 * The source of `map` that has a mapping at exactly the frame's line and
 * column, for a frame the runtime placed in an unnamed original source.
 * Where several sources have one there, the one whose mapping names the
 * frame's function; `undefined` where that does not tell either.
 */
function sourceWithMappingAt(map: TraceMap, places: OriginalPlaces, sources: readonly string[], frame: Frame): string | undefined {
  if (frame.line === undefined || frame.col === undefined) return undefined;
  const found = places.get(`${frame.line - 1}:${frame.col - 1}`);
  if (found === undefined) return undefined;
  const bySource = new Set<number>();
  const byName = new Set<number>();
  for (let k = 0; k < found.length; k += 2) {
    bySource.add(found[k]!);
    if (found[k + 1]! >= 0 && map.names[found[k + 1]!] === frame.name) byName.add(found[k]!);
  }
  const one = bySource.size === 1 ? bySource : byName.size === 1 ? byName : undefined;
  return one === undefined ? undefined : sources[[...one][0]!];
}

/**
 * The original line of generated line `line0` (0-based) in `source`: the
 * first segment of that line from that source, at or after `fromCol` when
 * the line is also where the function starts (minified code keeps whole
 * files on one line).
 */
function mapLine(map: TraceMap, sources: readonly string[], line0: number, source: string, fromCol: number): number | undefined {
  const segs = decodedMappings(map)[line0] as readonly (readonly number[])[] | undefined;
  if (!segs) return undefined;
  // Segments are sorted by column; a minified line holds thousands of them.
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (segs[mid]![0]! < fromCol) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < segs.length; k++) {
    const seg = segs[k]!;
    if (seg.length >= 4 && sources[seg[1]!] === source) return seg[2]! + 1;
  }
  return undefined;
}

/**
 * Maps every frame and line tick of `profile` to the original sources.
 *
 * @example
 * ```ts
 * import { remapProfile, SourceMapCache } from "./remap.ts";
 * import { ProfileBuilder } from "tsprof/format";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "f", file: "/app/out.js", line: 1, col: 10, kind: "js" }], 1);
 * const map = { version: 3, sources: ["src.ts"], names: [], mappings: "AAAA,SAAS" };
 * const cache = new SourceMapCache(() => ({ map, url: "/app/out.js.map" }));
 * const mapped = remapProfile(b.build(), cache); // frame f: /app/src.ts:1:10
 * ```
 */
export function remapProfile(profile: Profile, cache: SourceMapCache, options: RemapOptions = {}): Profile {
  const frames = profile.frames;
  const mapped: Frame[] = new Array(frames.length);
  // Per frame: the map and source its line ticks translate through.
  const lineMaps: ({ map: TraceMap; source: string; line0: number; col0: number } | undefined)[] = new Array(frames.length);
  let changed = false;
  // Frames of code the transformer added (no source there): index -> the module's frame, where there is one.
  const added = new Map<number, Frame | undefined>();
  // Per map, for frames the runtime placed in an unnamed source (built on the first such frame).
  const placesByMap = new Map<TraceMap, OriginalPlaces>();
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    mapped[i] = frame;
    if (frame.kind !== "js" || frame.file === undefined) continue;
    const origin = options.origin?.(frame, i) ?? { generatedFile: frame.file, position: true, lines: true };
    if (!origin.position && !origin.lines) continue;
    const map = cache.get(origin.generatedFile);
    if (!map) continue;
    const sources = cache.sources(map);
    let target: Frame | undefined = frame;
    if (origin.position) {
      target = mapFrame(frame, map, sources, options.names ?? true);
      if (target) {
        mapped[i] = target;
        changed = true;
      } else if (addedByTransform(frame, map)) {
        // A function the transformer put around the module's code (tsx runs CommonJS
        // TypeScript inside an arrow function) is the module's top level, merged into it below;
        // a helper it added (esbuild's `__name`) is its own code: see below.
        added.set(i, frames.find((f) => f.name === MODULE_FRAME_NAME && f.file === frame.file));
      }
    }
    if (origin.sourceUnknown) {
      let places = placesByMap.get(map);
      if (places === undefined) placesByMap.set(map, (places = originalPlaces(map)));
      const file = sourceWithMappingAt(map, places, sources, frame);
      // Where no source, or several, have a mapping there, the frame stays as the runtime gave it.
      if (file !== undefined) {
        target = mapped[i] = { ...frame, file };
        changed = true;
      }
    }
    if (!origin.position && (options.names ?? true) && (origin.generatedFile !== frame.file || origin.sourceUnknown)) {
      const name = nameAtOriginal(mapped[i]!, map, sources);
      if (name !== undefined && name !== frame.name) {
        target = mapped[i] = { ...mapped[i]!, name };
        changed = true;
      }
    }
    // Ticks of a frame the map does not place (a script's top level) are
    // kept where they map into the frame's own file, dropped elsewhere.
    const file = (target ?? frame).file;
    if (origin.lines && file !== undefined && profile.lines?.has(i)) {
      const line0 = origin.position && frame.line !== undefined ? frame.line - 1 : -1;
      lineMaps[i] = { map, source: file, line0, col0: (frame.col ?? 1) - 1 };
      changed = true;
    }
  }
  // A wrapper only where the module itself calls it, always.
  const wrappers = new Map<number, Frame>();
  for (const [i, module] of added) if (module !== undefined) wrappers.set(i, module);
  const { frame: stackFrame, parent } = profile.stacks;
  for (let t = 0; wrappers.size > 0 && t < profile.stacks.length; t++) {
    const module = wrappers.get(stackFrame[t]!);
    if (module && (parent[t] === -1 || frames[stackFrame[parent[t]!]!] !== module)) wrappers.delete(stackFrame[t]!);
  }
  for (const [i, module] of wrappers) mapped[i] = module;
  // A helper the transformer added (esbuild's `__name`, an async or import helper), called from
  // a function: the toolchain's code, not the source's. Its place in the generated code would
  // name a line of the source that holds no such function, so it is kept as native code (shown
  // with --show-all, folded into its caller otherwise).
  for (const i of added.keys()) {
    if (wrappers.has(i)) continue;
    mapped[i] = { name: frames[i]!.name, kind: "native" };
    lineMaps[i] = undefined;
    changed = true;
  }
  if (!changed && wrappers.size === 0) return profile;
  const lineOf = (i: number, line: number) => {
    const lm = lineMaps[i];
    if (!lm) return line;
    return mapLine(lm.map, cache.sources(lm.map), line - 1, lm.source, line - 1 === lm.line0 ? lm.col0 : 0);
  };
  if (wrappers.size === 0) return rebuild(profile, mapped, lineOf);
  // A module's top level inside itself (its wrapper, now the module frame) is one frame.
  return reinternProfile(profile, mapped, { mapLine: lineOf, skipParent: (parent, frame) => parent === frame && frame.name === MODULE_FRAME_NAME });
}

/**
 * True for a function the map places nowhere although it maps the file: no
 * segment on its line at or before its position, so no source code of the
 * file is there. Code a transformer added (a module wrapper) is such.
 */
function addedByTransform(frame: Frame, map: TraceMap): boolean {
  if (frame.line === undefined || frame.name === MODULE_FRAME_NAME) return false;
  return traceSegment(map, frame.line - 1, (frame.col ?? 1) - 1) === null;
}

/**
 * A profile with new frames (same indices as the old ones) and line ticks
 * translated by `lineOf` (`undefined` drops a tick's line): equal frames
 * are interned once and stacks that become equal merge.
 *
 * @example
 * ```ts
 * import { rebuild } from "./remap.ts";
 * import type { Profile } from "tsprof";
 * declare const profile: Profile;
 * const same = rebuild(profile, profile.frames);
 * ```
 */
export function rebuild(profile: Profile, frames: readonly Frame[], lineOf: (frame: number, line: number) => number | undefined = (_f, l) => l): Profile {
  return reinternProfile(profile, frames, { mapLine: lineOf });
}

/**
 * Maps every profile of a session; problems with maps are added to the
 * session's warnings.
 *
 * @example
 * ```ts
 * import { remapSession } from "./remap.ts";
 * import type { Session } from "tsprof";
 * declare const session: Session;
 * const mapped = remapSession(session, () => undefined); // no maps: unchanged
 * ```
 */
export function remapSession(session: Session, fetch: MapFetcher | SourceMapCache, options: RemapOptions = {}): Session {
  const cache = fetch instanceof SourceMapCache ? fetch : new SourceMapCache(fetch);
  const before = cache.warnings.length;
  const profiles = session.profiles.map((p) => remapProfile(p, cache, options));
  const warnings = cache.warnings.slice(before);
  const changed = profiles.some((p, i) => p !== session.profiles[i]);
  if (!changed && warnings.length === 0) return session;
  const meta = warnings.length > 0 ? { ...session.meta, warnings: [...(session.meta.warnings ?? []), ...warnings] } : session.meta;
  return { ...session, meta, profiles };
}
