/**
 * Charges the waits a Bun child recorded (`child/bun_awaits.ts` writes them
 * beside its CPU time) to the profile `bun --cpu-prof` wrote, and names what
 * each `await` waited for. Bun's profile runs on the epoch's clock, the
 * waits on `performance.now()`, which starts at `performance.timeOrigin`.
 *
 * @module
 */
import { matchSampledFrames } from "../async/await_tracker.ts";
import { chargeAwaits } from "../async/charge_awaits.ts";
import { labelAwaits } from "../async/label_awaits.ts";
import { mapWaitPlaces, placeWaitsAtDefinitions } from "../async/wait_definitions.ts";
import { originalPosition, SourceMapCache } from "../sourcemap/remap.ts";
import { createRequire } from "node:module";
import { namedFunctionSpans } from "../async/source_functions.ts";
import type { BabelParse } from "../async/parse_source.ts";
import { completeCutStacks } from "../async/cut_stacks.ts";
import { nestImportedModules } from "../async/imported_modules.ts";
import { foldAwaitPoints } from "../async/fold_points.ts";
import { uneditWaitCalls } from "../async/edit_inserts.ts";
import { placeUnnamedAtSpans } from "../async/unnamed_at_spans.ts";
import type { ChargeChildAwaits } from "./child_awaits.ts";
import { ANONYMOUS_NAME } from "../format/types.ts";
import { diskMaps, oncePerPath, readText, withLines } from "./source_maps.ts";

/**
 * The session, whose frames are at their definitions, with its main
 * profile's idle time charged to the waits noted (and the edited `await`s'
 * own function folded into its callers); the profile began at
 * `profileStart` ms on the epoch's clock.
 */
export const chargeBunAwaits: ChargeChildAwaits = (session, noted, profileStart) => {
  const [first, ...rest] = session.profiles;
  if (!first) return session;
  const main = foldAwaitPoints(first);
  if (!Array.isArray(noted.waits) || typeof noted.timeOrigin !== "number") return main === first ? session : { ...session, profiles: [main, ...rest] };
  // Compiled code with a map beside it: its waits' places in the sources, as its samples'.
  const maps = new SourceMapCache(diskMaps);
  // Bun's columns are the edited code's: back to the files as written first, as the samples' are.
  const inSources = mapWaitPlaces(uneditWaitCalls(noted.waits, noted.editInserts), (file, line, col) => originalPosition(maps, file, line, col));
  const read = oncePerPath(readText);
  const functionsOnce = oncePerPath((path) => functionsOf(read(path), path));
  const waits = nestImportedModules(completeCutStacks(withLines((readLines) => placeWaitsAtDefinitions(inSources, readLines, functionsOnce))), read);
  // The sampled unnamed functions of the waits' files where their waits' frames are: they match.
  const unnamedFiles = new Set(waits.flatMap((w) => w.stack.filter((f) => f.name === ANONYMOUS_NAME && f.file !== undefined).map((f) => f.file!)));
  const placed = unnamedFiles.size === 0 ? main : placeUnnamedAtSpans(main, unnamedFiles, functionsOnce);
  const charged = chargeAwaits(placed, profileStart - noted.timeOrigin, matchSampledFrames(placed, waits));
  return labelAwaits({ ...session, profiles: [charged, ...rest] }, read);
};

/**
 * The functions of a source file (its `text`, read from `path`), TypeScript
 * and JSX as its name says. The parser (half a megabyte) is loaded the
 * first time a wait has an unnamed frame, not by every Bun run while its
 * program runs.
 */
function functionsOf(text: string | undefined, path: string): ReturnType<typeof namedFunctionSpans> {
  if (text === undefined) return undefined;
  const { parse } = createRequire(import.meta.url)("@babel/parser") as { parse: BabelParse };
  return namedFunctionSpans(parse, text, { typescript: /\.[mc]?tsx?$/.test(path), jsx: /\.[jt]sx$/.test(path) });
}
