/**
 * Which frames a processed call tree can show, known before the frames are
 * placed: so that work per frame (reading sources to place a frame at its
 * function's definition) can be done first for those, and for the rest only
 * when something needs them (a kept session, another format).
 *
 * @module
 */
import { type Frame, type Profile, profileTotal } from "../format/types.ts";

/**
 * Marks the frames that can head a node of a tree whose nodes under
 * `minTime` ms are left out (`processProfile` with `minTime =
 * filterThreshold × total`): those whose function (kind, name and file: what
 * placing a frame leaves as it is) has at least `minTime` ms on the stack.
 *
 * That time bounds every node the function can head, however its frames
 * are later placed and merged, frames removed or recursion folded: a node's
 * time is that of samples with the function on the stack. Recursion is
 * counted more than once, which only makes the bound looser.
 *
 * @param minTime milliseconds; 0 marks every frame with any time
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { framesOverTime } from "./shown_frames.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", kind: "js" }, { name: "hot", kind: "js" }], 99);
 * b.addSample([{ name: "main", kind: "js" }, { name: "cold", kind: "js" }], 1);
 * framesOverTime(b.build(), 10); // Uint8Array [1, 1, 0]: main, hot
 * ```
 */
export function framesOverTime(profile: Profile, minTime: number): Uint8Array {
  const { frame, parent, length } = profile.stacks;
  const total = new Float64Array(length);
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    if (s >= 0) total[s]! += profile.weights[i]!;
  }
  // Each stack's time with its callees': children after their parents.
  for (const s of childrenFirst(parent)) if (parent[s]! !== -1) total[parent[s]!]! += total[s]!;
  const byFunction = new Map<string, number>();
  const keys = profile.frames.map(functionKey);
  for (let s = 0; s < length; s++) {
    const k = keys[frame[s]!]!;
    byFunction.set(k, (byFunction.get(k) ?? 0) + total[s]!);
  }
  const shown = new Uint8Array(profile.frames.length);
  for (let f = 0; f < shown.length; f++) {
    const t = byFunction.get(keys[f]!) ?? 0;
    shown[f] = t > 0 && t >= minTime ? 1 : 0;
  }
  return shown;
}

/**
 * The frames a console tree of `profile` can show with these options (see
 * {@linkcode framesOverTime}); `undefined` when it can show any.
 */
export function framesShownBy(profile: Profile, options: { showAll?: boolean; filterThreshold?: number }): Uint8Array | undefined {
  if (options.showAll) return undefined;
  return framesOverTime(profile, (options.filterThreshold ?? 0.01) * profileTotal(profile));
}

function functionKey(f: Frame): string {
  return `${f.kind}\u0000${f.name}\u0000${f.file ?? ""}`;
}

/** Stack indices with every child before its parent, whatever the table's order. */
function childrenFirst(parent: Int32Array): number[] {
  const placed = new Uint8Array(parent.length);
  const parentsFirst: number[] = [];
  const chain: number[] = [];
  for (let s = 0; s < parent.length; s++) {
    chain.length = 0;
    for (let t = s; t !== -1 && placed[t] === 0; t = parent[t]!) {
      placed[t] = 1;
      chain.push(t);
    }
    for (let k = chain.length - 1; k >= 0; k--) parentsFirst.push(chain[k]!);
  }
  return parentsFirst.reverse();
}
