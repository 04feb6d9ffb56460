/**
 * Mapping a V8 profile through the maps of the code its scripts ran, as an
 * inspector hands that code over: how the library reaches the sources on
 * Node and Deno. Frames end at their functions' names.
 *
 * @module
 */
import type { Profile } from "../format/types.ts";
import { placeAtNames } from "./definitions.ts";
import { firstMap, type MapFetcher, mapOfCode, mapsFromFiles, type ReadText } from "./map_source.ts";
import { remapProfile, SourceMapCache } from "./remap.ts";
import { type ReadLines, textLineReader } from "./source_lines.ts";

/**
 * Maps a profile through the maps of its scripts' code (`sources`, by file),
 * or `fallback`'s, then moves each frame to its function's name. Scripts
 * without a map keep their positions.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { mapWithSources } from "./map_with_sources.ts";
 * const profile = new ProfileBuilder("main").build();
 * const { warnings } = mapWithSources(profile, new Map(), { readText: () => undefined }); // nothing to map
 * ```
 */
export function mapWithSources(
  profile: Profile,
  sources: ReadonlyMap<string, string>,
  { readText, fallback }: { readonly readText: ReadText; readonly fallback?: MapFetcher },
): { profile: Profile; warnings: string[] } {
  const cache = new SourceMapCache((file) => {
    const code = sources.get(file);
    return (code === undefined ? undefined : mapOfCode(code, file, readText)) ?? fallback?.(file);
  });
  return { profile: placeAtNames(remapProfile(profile, cache), textLineReader(readText)), warnings: cache.warnings };
}

/**
 * Maps a V8 profile through the maps `known` supplies for it (what the
 * runtime holds), then maps next to the code on disk, then moves each
 * frame to its function's name (lines read with `readLines`, by default
 * through `readText`): for runtimes that know their maps without asking the
 * inspector for the code (Node).
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { mapWithKnownMaps } from "./map_with_sources.ts";
 * const { profile } = mapWithKnownMaps(new ProfileBuilder("main").build(), () => undefined, () => undefined);
 * ```
 */
export function mapWithKnownMaps(
  profile: Profile,
  known: MapFetcher,
  readText: ReadText,
  readLines: ReadLines = textLineReader(readText),
): { profile: Profile; warnings: string[] } {
  const cache = new SourceMapCache(firstMap(known, mapsFromFiles(readText)));
  return { profile: placeAtNames(remapProfile(profile, cache), readLines), warnings: cache.warnings };
}
