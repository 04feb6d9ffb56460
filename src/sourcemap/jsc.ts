/**
 * Mapping a JavaScriptCore (Bun) profile to the sources: Bun reports
 * positions in the files that ran (TypeScript already; a bundle's own
 * lines), so only code with a map of its own (bundles, packages shipping
 * compiled code) is mapped. An async function's wrapper and body become one
 * frame, and frames are placed at their function's name, as on V8.
 *
 * @module
 */
import type { Profile } from "../format/types.ts";
import { mergeAsyncPairs } from "./async_pairs.ts";
import { placeAtDefinitions } from "./definitions.ts";
import type { MapFetcher } from "./map_source.ts";
import { remapProfile, SourceMapCache } from "./remap.ts";
import { mapShownFirst } from "./shown_first.ts";
import type { ReadLines } from "./source_lines.ts";

/**
 * A JavaScriptCore profile mapped through the maps `fetch` finds, with its
 * frames at their definitions (sources read with `readLines`, which reads
 * each file once for both passes): those `first`
 * marks now, the others when `complete()` is called (all now without it).
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { mapJscProfile } from "./jsc.ts";
 * import { textLineReader } from "./source_lines.ts";
 * const { profile, warnings } = mapJscProfile(new ProfileBuilder("main").build(), () => undefined, textLineReader(() => undefined));
 * ```
 */
export function mapJscProfile(
  profile: Profile,
  fetch: MapFetcher,
  readLines: ReadLines,
  first?: (mapped: Profile) => Uint8Array | undefined,
): { profile: Profile; warnings: string[]; complete(): Profile } {
  const cache = new SourceMapCache(fetch);
  const mapped = remapProfile(mergeAsyncPairs(profile), cache);
  // Frames `first` leaves out are placed when complete() asks (see shown_first.ts).
  const placed = mapShownFirst(mapped, first?.(mapped), (p) => placeAtDefinitions(p, readLines));
  return { profile: placed.profile, warnings: [...cache.warnings], complete: placed.complete };
}
