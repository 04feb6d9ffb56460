/**
 * Deno's `--cpu-prof` maps each function's position to the original source
 * itself (file, line, column) but leaves the line ticks (`positionTicks`) in
 * the generated code, and the profile no longer names the generated file.
 * The `scriptId` still groups a script's functions: this module finds, per
 * script, the file whose map has all of the group's files as sources, so
 * that the ticks can be mapped through it.
 *
 * @module
 */
import { frameKey } from "../format/builder.ts";
import type { Frame } from "../format/types.ts";
import { v8Frame, type V8CpuProfile } from "../import/v8_cpuprofile.ts";
import { codeOrigin, fileMemo, normalizeFile } from "../paths.ts";
import { toPath } from "./map_source.ts";
import type { FrameOrigin, SourceMapCache } from "./remap.ts";

/** How a pre-mapped V8 profile's frames are to be mapped. */
export interface PremappedOrigins {
  /** The profile with the ticks of functions whose generated file is unknown removed. */
  readonly cpu: V8CpuProfile;
  /** Origin of each frame, for {@linkcode remapProfile}'s `origin` option. */
  readonly origin: (frame: Frame) => FrameOrigin | undefined;
  /** Files whose line ticks were dropped because no map was found for them. */
  readonly unmapped: readonly string[];
}

const TS_LIKE = /\.(?:ts|mts|cts|tsx|jsx)$/;

/**
 * Works out which generated file each frame of a profile whose positions
 * the runtime mapped already (Deno's `--cpu-prof`) came from.
 *
 * A script whose functions all name one file ran that file: for TypeScript
 * the runtime's emitted code (whose map `cache` must know by the `.ts`
 * name), for JavaScript the file itself (mapped by its own map if it has
 * one). A script whose functions name several files was a bundle with a map:
 * its generated file is the one among them (or `extra`, e.g. the entry
 * script) whose map lists the others.
 */
export function premappedOrigins(
  cpu: V8CpuProfile,
  cache: SourceMapCache,
  extra: (files: ReadonlySet<string>) => readonly string[] = () => [],
): PremappedOrigins {
  const toFile = fileMemo();
  const groups = new Map<string, Set<string>>();
  for (const n of cpu.nodes) {
    const cf = n.callFrame;
    if (!cf.url || cf.scriptId === undefined) continue;
    const id = String(cf.scriptId);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = new Set()));
    g.add(toFile(cf.url));
  }
  const generatedOf = new Map<string, string | null>();
  for (const [id, files] of groups) {
    let found: string | null = null;
    for (const candidate of [...files, ...extra(files).map(normalizeFile)]) {
      const map = cache.get(candidate);
      if (!map) continue;
      const sources = new Set(cache.sources(map));
      if ([...files].every((f) => f === candidate || sources.has(f))) {
        found = candidate;
        break;
      }
    }
    generatedOf.set(id, found);
  }
  const byKey = new Map<string, FrameOrigin>();
  const unmapped = new Set<string>();
  const nodes = cpu.nodes.map((n) => {
    const cf = n.callFrame;
    if (!cf.url || cf.scriptId === undefined) return n;
    const file = toFile(cf.url);
    const generated = generatedOf.get(String(cf.scriptId));
    const group = groups.get(String(cf.scriptId))!;
    if (generated) {
      // Deno maps a package's positions through its map but keeps the package file's name.
      const sourceUnknown = group.size === 1 && file === generated && codeOrigin(file) === "library";
      // The runtime mapped positions through this map already, except where
      // a frame still names the generated JavaScript file of the program.
      const position = file === generated && !TS_LIKE.test(file) && !sourceUnknown;
      byKey.set(frameKey(v8Frame(cf, toFile)), { generatedFile: generated, position, lines: true, ...(sourceUnknown ? { sourceUnknown } : {}) });
      return n;
    }
    if (group.size === 1 && !TS_LIKE.test(file)) return n; // JavaScript that ran as written
    // Only the user's files are worth a warning, not the runtime's own modules.
    if (n.positionTicks && n.positionTicks.length > 0 && toPath(file) !== undefined) unmapped.add(file);
    const { positionTicks: _drop, ...rest } = n;
    return rest;
  });
  return {
    cpu: { ...cpu, nodes },
    origin: (frame) => byKey.get(frameKey(frame)) ?? (frame.file !== undefined ? { generatedFile: frame.file, position: false, lines: false } : undefined),
    unmapped: [...unmapped],
  };
}
