/**
 * A profile's stack table with frames taken out: the first step of the call
 * tree, the console's pipeline and the HTML report's views, done on flat
 * arrays so that it costs one pass over the stacks whatever their number.
 *
 * @module
 */
import { parentsFirst, StackInterner } from "../format/stack_interner.ts";
import type { Profile, StackTable } from "../format/types.ts";

/**
 * The kept paths of a profile's stacks.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { type KeptStacks, keptStacks } from "./kept_stacks.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", kind: "js" }], 1);
 * const kept: KeptStacks = keptStacks(b.build(), new Uint8Array(1));
 * kept.of[0]; // 0: the stack is kept as it is
 * ```
 */
export interface KeptStacks {
  /**
   * The distinct kept paths, parents before children; `frame` holds indices
   * into the profile's frames (the first index of a frame object listed twice).
   */
  readonly table: StackTable;
  /** The kept path of each of the profile's stacks; `-1` where nothing is left. */
  readonly of: Int32Array;
}

/**
 * Options for {@linkcode keptStacks}.
 *
 * @example
 * ```ts
 * import type { KeptStacksOptions } from "./kept_stacks.ts";
 * const options: KeptStacksOptions = { foldRecursion: true };
 * ```
 */
export interface KeptStacksOptions {
  /**
   * Also take out every call of a function already on the kept path, as
   * the `foldRecursion` processor does.
   * @default {false}
   */
  foldRecursion?: boolean;
}

/**
 * Interns a profile's stacks again without the frames `removed` marks (one
 * byte per frame index): a removed frame's callees move up to its caller,
 * and paths that become equal are one. Works on foreign tables too: stack
 * ids in any order, one (caller, frame) pair under several ids, one frame
 * object at several indices.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { keptStacks } from "./kept_stacks.ts";
 * const b = new ProfileBuilder("main");
 * const [main, wrap, work] = ["main", "wrap", "work"].map((name) => ({ name, kind: "js" as const }));
 * b.addSample([main!, wrap!, work!], 1);
 * const { table } = keptStacks(b.build(), Uint8Array.of(0, 1, 0)); // main → work: 2 paths
 * ```
 */
export function keptStacks(profile: Profile, removed: Uint8Array, options: KeptStacksOptions = {}): KeptStacks {
  const { stacks, frames } = profile;
  // One index per frame object, so that a table naming one frame twice
  // still merges its calls.
  const canonical = new Int32Array(frames.length);
  const firstIndex = new Map<object, number>();
  for (let f = 0; f < frames.length; f++) {
    const first = firstIndex.get(frames[f]!);
    if (first === undefined) firstIndex.set(frames[f]!, f);
    canonical[f] = first ?? f;
  }
  const fold = options.foldRecursion ?? false;
  // Room for every stack: a kept table is never larger than the profile's.
  const interner = new StackInterner(stacks.length);
  const onPath = (path: number, f: number): boolean => {
    for (let x = path; x !== -1; x = interner.parentOf(x)) if (interner.frameOf(x) === f) return true;
    return false;
  };
  const { parent, frame, length } = stacks;
  const of = new Int32Array(length);
  // Indexed loops, not iterators: the HTML report runs this once, mostly
  // before the JIT has compiled it.
  const order = parentsFirst(stacks);
  for (let k = 0; k < length; k++) {
    const s = order === undefined ? k : order[k]!;
    const p = parent[s]!;
    const under = p === -1 ? -1 : of[p]!;
    const f = canonical[frame[s]!]!;
    of[s] = removed[f] || (fold && onPath(under, f)) ? under : interner.intern(under, f);
  }
  return { table: interner.table(), of };
}
