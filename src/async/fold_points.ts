/**
 * Folds the frames of the functions an edited `await` calls
 * (`await_edits.ts`, `await_edits_js.ts`) into their callers. They sit at
 * the end of the user's file; a sampler sometimes catches one (it runs a
 * few instructions before its call to the recorder), and they are
 * tsprof's cost, not functions of the program.
 *
 * @module
 */
import { ProfileBuilder, visitParentsFirst } from "../format/builder.ts";
import { type Profile, TSPROF_FRAME } from "../format/types.ts";
import { AWAIT_END_FUNCTION, AWAIT_POINT_FUNCTION } from "./await_point_names.ts";

/**
 * `profile` with no frame of {@linkcode AWAIT_POINT_FUNCTION} or
 * {@linkcode AWAIT_END_FUNCTION}: their time is their callers', or
 * `(tsprof)`'s where the sampler saw no caller. Itself when it has none.
 *
 * @example
 * ```ts
 * import { ProfileBuilder, visitParentsFirst } from "../format/builder.ts";
 * import { foldAwaitPoints } from "./fold_points.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", kind: "js" }, { name: "__tsprof$w", kind: "js" }], 2);
 * foldAwaitPoints(b.build()).frames.map((f) => f.name); // ["main"]
 * ```
 */
export function foldAwaitPoints(profile: Profile): Profile {
  const isPoint = profile.frames.map((f) => f.name === AWAIT_POINT_FUNCTION || f.name === AWAIT_END_FUNCTION);
  if (!isPoint.includes(true)) return profile;
  const b = new ProfileBuilder(profile.name);
  const frameId = profile.frames.map((f, i) => (isPoint[i] ? -1 : b.internFrame(f)));
  let tsprof: number | undefined;
  const { length, frame, parent } = profile.stacks;
  const stackId = new Int32Array(length).fill(-2);
  visitParentsFirst(profile.stacks, (t) => {
    const p = parent[t]!;
    const under = p === -1 ? -1 : stackId[p]!;
    const f = frame[t]!;
    // A point at the root (a stack the sampler could not walk further) has no caller to take its
    // time: it is tsprof's own work, not a function at the end of the program's file.
    stackId[t] = isPoint[f] && under !== -1 ? under : b.internStack(under, isPoint[f] ? (tsprof ??= b.internFrame(TSPROF_FRAME)) : frameId[f]!);
  });
  for (const [f, byLine] of profile.lines ?? []) {
    if (isPoint[f]) continue;
    for (const [line, ms] of byLine) b.addLineTime(frameId[f]!, line, ms);
  }
  const samples = Int32Array.from(profile.samples, (s) => (s < 0 ? s : stackId[s]!));
  return { ...b.build(), samples, weights: profile.weights };
}
