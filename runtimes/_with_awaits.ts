/**
 * A sampler with the waits of `await`s recorded beside it (unless the run
 * asks `async: false`) and charged to them when it stops (see src/async/).
 * Not a backend: the Node and Deno backends wrap theirs with it, each with
 * its runtime's promise hooks (or, under the CLI, the marks its preload
 * gave the program's `await`s: `src/async/marked_awaits.ts`).
 *
 * @module
 */
import type { Backend, BackendStartOptions, Recording } from "../src/backend.ts";
import { type AwaitTracker, matchSampledFrames } from "../src/async/await_tracker.ts";
import { type AwaitWait, chargeAwaits } from "../src/async/charge_awaits.ts";
import { completeCutStacks } from "../src/async/cut_stacks.ts";
import { foldAwaitPoints } from "../src/async/fold_points.ts";
import { nestImportedModules } from "../src/async/imported_modules.ts";
import { labelProfileAwaits, type ReadSource } from "../src/async/label_awaits.ts";

/** How a backend records waits and finishes a charged recording. */
export interface AwaitRecording {
  /**
   * Starts recording waits longer than `minMs` (from the marked `await`s
   * only, with `marked`); `undefined` where the runtime has no promise hooks.
   */
  readonly track: (minMs: number, marked: boolean) => AwaitTracker | undefined;
  /**
   * What `stop()` does to the charged recording (Node maps it: waits are
   * matched to the frames as V8 sampled them, so mapping comes after).
   * `stopSync()` leaves that to its caller.
   */
  readonly finish?: (recording: Recording) => Promise<Recording>;
  /** Reads a source file, to name what each `await` waited for (`[await] fetch`). */
  readonly readSource?: ReadSource;
  /** Gives the waits' frames the positions the runtime's stack traces left out (Deno). */
  readonly placeWaits?: (waits: AwaitWait[]) => AwaitWait[];
}

/**
 * `sampler` with await attribution.
 *
 * @example
 * ```ts
 * import { withAwaits } from "./_with_awaits.ts";
 * import type { Backend } from "../src/backend.ts";
 * declare const sampler: Backend;
 * const backend = withAwaits(sampler, { track: () => undefined });
 * ```
 */
export function withAwaits(sampler: Backend, how: AwaitRecording): Backend {
  let tracker: AwaitTracker | undefined;
  // The tracker stops right before the sampler: that moment is the profile's end.
  const charged = (recording: Recording, t: { tracker: AwaitTracker; end: number } | undefined): Recording => {
    if (!t) return recording;
    const { durationMs } = recording;
    // The function marked `await`s call (`await_edits_js.ts`) is tsprof's cost, not the program's.
    const profile = "marks" in t.tracker ? foldAwaitPoints(recording.profile) : recording.profile;
    const waits = how.placeWaits ? how.placeWaits(t.tracker.waits()) : t.tracker.waits();
    // V8's stack after a resumption is the await chain, without the first run's synchronous callers;
    // Deno's at a dynamically imported module's top level starts there (src/async/imported_modules.ts).
    const whole = how.readSource ? nestImportedModules(completeCutStacks(waits), how.readSource) : completeCutStacks(waits);
    return { ...recording, profile: chargeAwaits(profile, t.end - durationMs, matchSampledFrames(profile, whole)) };
  };
  const take = () => {
    const t = tracker;
    tracker = undefined;
    return t && { tracker: t, end: t.stop() };
  };
  const backend: Backend = {
    name: sampler.name,
    runtimeVersion: sampler.runtimeVersion,
    async start(options: BackendStartOptions = {}) {
      const t = options.async === false ? undefined : how.track((options.intervalMs ?? 1) / 4, options.awaitMarks === true);
      try {
        await sampler.start(options);
      } catch (e) {
        t?.stop();
        throw e;
      }
      tracker = t;
    },
    async stop() {
      const t = take();
      const recording = charged(await sampler.stop(), t);
      const finished = how.finish ? await how.finish(recording) : recording;
      return t && how.readSource ? { ...finished, profile: labelProfileAwaits(finished.profile, how.readSource) } : finished;
    },
  };
  const stopSync = sampler.stopSync?.bind(sampler);
  return stopSync ? { ...backend, stopSync: () => { const t = take(); return charged(stopSync(), t); } } : backend;
}
