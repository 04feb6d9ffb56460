/**
 * Places the frames a report shows first and the others later: work per
 * frame (reading sources to move a frame to its definition) for frames the
 * console report will not show need not delay it, but a kept session must
 * still hold every frame placed.
 *
 * @module
 */
import { reinternProfile } from "../format/builder.ts";
import type { Frame, Profile } from "../format/types.ts";

/**
 * A profile to frames function whose result for a frame depends on that
 * frame alone (and the sources), such as `placeAtDefinitions`.
 */
export type FrameMapper = (profile: Profile) => Profile;

/** A profile mapped for a report now, and in full on demand. */
export interface ShownFirst {
  /** The marked frames mapped, the others as they were. */
  readonly profile: Profile;
  /** Every frame mapped: what `map(profile)` returns. Computed once. */
  complete(): Profile;
}

/**
 * Maps the frames marked in `first` now and the rest when `complete()` is
 * called; with no marks, maps everything now.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { mapShownFirst } from "./shown_first.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "a", kind: "js" }, { name: "b", kind: "js" }], 1);
 * const upper = (p: ReturnType<typeof b.build>) => ({ ...p, frames: p.frames.map((f) => ({ ...f, name: f.name.toUpperCase() })) });
 * const m = mapShownFirst(b.build(), Uint8Array.of(1, 0), upper);
 * m.profile.frames.map((f) => f.name); // ["A", "b"]
 * m.complete().frames.map((f) => f.name); // ["A", "B"]
 * ```
 */
export function mapShownFirst(profile: Profile, first: Uint8Array | undefined, map: FrameMapper): ShownFirst {
  if (first === undefined) {
    const all = map(profile);
    return { profile: all, complete: () => all };
  }
  const now = mapSome(profile, profile.frames, (f) => first[f] === 1, map);
  let all: Profile | undefined;
  return {
    profile: withFrames(profile, now),
    complete: () => (all ??= withFrames(profile, mapSome(profile, now, (f) => first[f] !== 1, map))),
  };
}

/** `frames` with those picked by `pick` mapped by `map`, index for index. */
function mapSome(profile: Profile, frames: readonly Frame[], pick: (f: number) => boolean, map: FrameMapper): Frame[] {
  const picked: number[] = [];
  for (let f = 0; f < frames.length; f++) if (pick(f)) picked.push(f);
  const out = frames.slice();
  if (picked.length === 0) return out;
  // A profile of the picked frames alone, one sample each: the mapper's
  // result for sample i is the picked frame i's, however it re-interns.
  const n = picked.length;
  const index = Int32Array.from({ length: n }, (_, i) => i);
  const mapped = map({
    name: profile.name,
    frames: picked.map((f) => frames[f]!),
    stacks: { length: n, frame: index, parent: new Int32Array(n).fill(-1) },
    samples: index.slice(),
    weights: new Float64Array(n),
  });
  for (let i = 0; i < n; i++) out[picked[i]!] = mapped.frames[mapped.stacks.frame[mapped.samples[i]!]!]!;
  return out;
}

/** The profile with its frames replaced index for index (equal frames merge); itself when none changed. */
function withFrames(profile: Profile, frames: readonly Frame[]): Profile {
  return frames.every((f, i) => f === profile.frames[i]) ? profile : reinternProfile(profile, frames);
}
