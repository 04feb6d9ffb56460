/**
 * Charges the waits a Deno child recorded (its preload writes them beside
 * its CPU time, see `child/deno_preload.ts`) to the profile its runtime
 * wrote, and names what each `await` waited for. Bun's: `child_awaits_bun.ts`.
 *
 * @module
 */
import type { EditInserts } from "../async/edit_inserts.ts";
import { matchSampledFrames } from "../async/await_tracker.ts";
import { type AwaitWait, chargeAwaits } from "../async/charge_awaits.ts";
import { dropCommonJsFacades } from "../async/commonjs_waits.ts";
import { foldAwaitPoints } from "../async/fold_points.ts";
import { completeCutStacks } from "../async/cut_stacks.ts";
import { nestImportedModules } from "../async/imported_modules.ts";
import { labelAwaits } from "../async/label_awaits.ts";
import { placeWaitFrames, sourceOutline } from "../async/place_frames.ts";
import { type Profile, profileTotal, type Session } from "../format/types.ts";
import { denoEmitted, oncePerPath, readText } from "./source_maps.ts";
import type { AwaitsNotEdited } from "./protocol.ts";

/** What a Deno or Bun child's preload wrote of the waits, beside its CPU time. */
export interface ChildWaitsNote {
  readonly waits?: AwaitWait[];
  /** Deno: when the preload's {@linkcode CLOCK_MARK} function began, on the waits' clock. */
  readonly mark?: number;
  /** Deno: about when the profile ended, on the waits' clock. */
  readonly end?: number;
  /** Bun: what the marks inserted in each edited file, by path (Bun reports the edited code's columns). */
  readonly editInserts?: Readonly<Record<string, EditInserts>>;
  /** Bun: the epoch's time (ms) at the waits' clock's zero. */
  readonly timeOrigin?: number;
  /** Bun and Deno: modules too large to edit (characters), whose waits are not charged. */
  readonly awaitsNotEdited?: readonly AwaitsNotEdited[];
}

/**
 * Charges a child's waits to its session's main profile (which began at
 * `profileStart` on the profile's own clock, µs / 1000).
 */
export type ChargeChildAwaits = (session: Session, noted: ChildWaitsNote, profileStart: number) => Session;

/**
 * The session with its main profile's idle time charged to the waits the
 * Deno preload noted. `mark` ties the profile's clock to the waits' within
 * a sampling interval; `end` (used when the sampler missed the mark) within
 * the few ms the process takes to end.
 */
export const chargeChildAwaits: ChargeChildAwaits = (session, noted) => {
  const [first, ...rest] = session.profiles;
  if (!first || !Array.isArray(noted.waits) || typeof noted.end !== "number") return session;
  // The function marked `await`s call (`await_edits_js.ts`) is tsprof's cost, not the program's.
  const main = foldAwaitPoints(first);
  const marked = typeof noted.mark === "number" ? markedAt(main) : undefined;
  const start = marked !== undefined ? noted.mark! - marked : noted.end - profileTotal(main);
  const read = oncePerPath(readText);
  // Deno's stack traces leave out where each function starts: found from the source.
  const outline = sourceOutline(read, denoEmitted());
  // V8's stack after a resumption is the await chain, without the first run's synchronous callers.
  // A dynamically imported module's top-level waits go under the `await import()` that waited.
  const waits = nestImportedModules(completeCutStacks(dropCommonJsFacades(placeWaitFrames(noted.waits, outline))), read);
  const charged = chargeAwaits(main, start, matchSampledFrames(main, waits));
  return labelAwaits({ ...session, profiles: [charged, ...rest] }, read);
};

/** The preload's function whose samples tie the clocks. */
export const CLOCK_MARK = "tsprof$clockMark";

/** Milliseconds from the profile's start to the middle of its first sample of {@linkcode CLOCK_MARK}. */
function markedAt(profile: Profile): number | undefined {
  const mark = profile.frames.findIndex((f) => f.name === CLOCK_MARK);
  if (mark < 0) return undefined;
  const { frame, parent } = profile.stacks;
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    for (let s = profile.samples[i]!; s >= 0; s = parent[s]!) {
      // A sample at time T weighs the time until the next one: the mark began up to a weight before T.
      if (frame[s] === mark) return t - Math.min(profile.weights[i - 1] ?? 0, 1) / 2;
    }
    t += profile.weights[i]!;
  }
  return undefined;
}
