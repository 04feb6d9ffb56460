/**
 * Mapping a profile through the maps of the code its scripts ran, as an
 * inspector hands that code over: how the Deno backend reaches the sources.
 *
 * @module
 */
import type { Profile } from "../format/types.ts";
import { type MapFetcher, mapOfCode, type ReadText } from "./map_source.ts";
import { remapProfile, SourceMapCache } from "./remap.ts";

/**
 * Maps a profile through the maps of its scripts' code (`sources`, by file),
 * or `fallback`'s. Scripts without a map are left as they are.
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
  return { profile: remapProfile(profile, cache), warnings: cache.warnings };
}
