/**
 * JavaScriptCore (Bun) runs an async function as two functions of the same
 * name: a wrapper, entered on the first call, which calls the body; after an
 * await the body runs alone. Its profiles show the wrapper at the parameter
 * list and the body at the opening brace, on the same line. So that an
 * async function is one frame however it was entered, a wrapper called
 * straight by its body's frame is left out of the stacks.
 *
 * Sound because the pair differs only in column: recursion repeats the same
 * frame, and two different functions of one name on one line are the only
 * case merged wrongly.
 *
 * @module
 */
import { reinternProfile } from "../format/builder.ts";
import type { Frame, Profile } from "../format/types.ts";

function isPair(outer: Frame, inner: Frame): boolean {
  return outer !== inner && outer.kind === "js" && inner.kind === "js" && outer.name === inner.name && outer.file !== undefined &&
    outer.file === inner.file && outer.line !== undefined && outer.line === inner.line && outer.col !== inner.col;
}

/**
 * `profile` without the wrapper frames of async functions (see the module
 * notes); samples and their weights are kept.
 *
 * @example
 * ```ts
 * import { reinternProfile } from "../format/builder.ts";
 * import { mergeAsyncPairs } from "./async_pairs.ts";
 * const b = new ProfileBuilder("main");
 * const wrapper = { name: "main", file: "/a.ts", line: 3, col: 20, kind: "js" } as const;
 * const body = { name: "main", file: "/a.ts", line: 3, col: 38, kind: "js" } as const;
 * b.addSample([wrapper, body], 1);
 * b.addSample([body], 1);
 * mergeAsyncPairs(b.build()).stacks.length; // 1
 * ```
 */
export function mergeAsyncPairs(profile: Profile): Profile {
  const { frames, stacks } = profile;
  const { length, frame, parent } = stacks;
  let found = false;
  for (let s = 0; s < length && !found; s++) {
    const p = parent[s]!;
    if (p !== -1 && isPair(frames[frame[p]!]!, frames[frame[s]!]!)) found = true;
  }
  if (!found) return profile;
  return reinternProfile(profile, frames, { skipParent: isPair });
}
