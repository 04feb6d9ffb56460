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
 * An async arrow's body is unnamed (`const load = async () => {`: the
 * wrapper is `load`, the body `(anonymous)` at its `{`). Seen called straight
 * by its wrapper, the body takes the wrapper's name, everywhere: after an
 * await it runs alone, and would be an unnamed root of its own.
 *
 * @module
 */
import { reinternProfile } from "../format/builder.ts";
import type { Frame, Profile } from "../format/types.ts";

const ANONYMOUS = "(anonymous)";

/** An unnamed frame called by a named one of the same line, further right: an async arrow's body. */
function isUnnamedBody(outer: Frame, inner: Frame): boolean {
  return inner.name === ANONYMOUS && outer.name !== ANONYMOUS && outer.kind === "js" && inner.kind === "js" && outer.file !== undefined &&
    outer.file === inner.file && outer.line !== undefined && outer.line === inner.line && outer.col !== undefined && inner.col !== undefined && inner.col > outer.col;
}

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
export function mergeAsyncPairs(original: Profile): Profile {
  const profile = nameArrowBodies(original);
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

/** `profile` with each async arrow's unnamed body named as its wrapper (see the module notes). */
function nameArrowBodies(profile: Profile): Profile {
  const { frames, stacks } = profile;
  // By the body's frame: its wrapper's name, or null when two wrappers disagree.
  const names = new Map<number, string | null>();
  for (let s = 0; s < stacks.length; s++) {
    const p = stacks.parent[s]!;
    if (p === -1) continue;
    const body = stacks.frame[s]!;
    const wrapper = frames[stacks.frame[p]!]!;
    if (!isUnnamedBody(wrapper, frames[body]!)) continue;
    names.set(body, names.has(body) && names.get(body) !== wrapper.name ? null : wrapper.name);
  }
  if (names.size === 0) return profile;
  return reinternProfile(profile, frames.map((f, i) => {
    const name = names.get(i);
    return name ? { ...f, name } : f;
  }));
}
