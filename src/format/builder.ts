/**
 * Builds a {@linkcode Profile} incrementally, interning frames and stacks as
 * it goes, so a backend never holds an array of frames per sample.
 *
 * @module
 */
import { StackInterner } from "./stack_interner.ts";
import type { Frame, Profile } from "./types.ts";

/**
 * Key under which a frame is interned: equal keys are the same function.
 *
 * @example
 * ```ts
 * import { frameKey } from "tsprof/format";
 * frameKey({ name: "f", file: "/app/a.ts", line: 3, kind: "js" }) === frameKey({ name: "f", file: "/app/a.ts", line: 3, kind: "js" }); // true
 * ```
 */
export function frameKey(frame: Frame): string {
  return `${frame.kind}\u0000${frame.name}\u0000${frame.file ?? ""}\u0000${frame.line ?? ""}\u0000${frame.col ?? ""}`;
}

/** A growable typed array: push, then take what was pushed. */
class TypedVec<A extends Int32Array | Float64Array> {
  data: A;
  length = 0;
  constructor(data: A) {
    this.data = data;
  }
  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data);
    this.data[this.length++] = v;
  }
  trimmed(): A {
    return this.data.slice(0, this.length) as A;
  }
}

/**
 * A growable Int32Array: pushes amortised O(1), no boxed numbers.
 *
 * @example
 * ```ts
 * import { Int32Vec } from "./builder.ts";
 * const v = new Int32Vec(4);
 * v.push(7);
 * v.trimmed(); // Int32Array [7]
 * ```
 */
export class Int32Vec extends TypedVec<Int32Array> {
  constructor(capacity = 1024) {
    super(new Int32Array(capacity));
  }
}

/** A typed array twice as long, starting with `a`'s values. */
function grown<A extends Int32Array | Float64Array>(a: A): A {
  const next = new (a.constructor as new (n: number) => A)(a.length * 2);
  next.set(a);
  return next;
}

/**
 * Accumulates samples into the compact shared format.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * const b = new ProfileBuilder("main");
 * const main = { name: "main", file: "/app/a.ts", line: 1, col: 1, kind: "js" } as const;
 * const work = { name: "work", file: "/app/a.ts", line: 5, col: 1, kind: "js" } as const;
 * b.addSample([main, work], 2);
 * b.addSample([main], 1);
 * const profile = b.build(); // 2 frames, 2 stacks, 2 samples
 * ```
 */
export class ProfileBuilder {
  readonly #name: string;
  readonly #frames: Frame[] = [];
  readonly #frameIds = new Map<string, number>();
  readonly #stacks = new StackInterner();
  readonly #samples = new Int32Vec();
  readonly #weights = new TypedVec(new Float64Array(1024));
  readonly #lines = new Map<number, Map<number, number>>();

  /** A builder for the profile of the thread or process called `name`. */
  constructor(name: string) {
    this.#name = name;
  }

  /** Number of samples added so far. */
  get sampleCount(): number {
    return this.#samples.length;
  }

  /** Interns a frame and returns its index. */
  internFrame(frame: Frame): number {
    const key = frameKey(frame);
    let id = this.#frameIds.get(key);
    if (id === undefined) {
      id = this.#frames.length;
      this.#frames.push(frame);
      this.#frameIds.set(key, id);
    }
    return id;
  }

  /** Interns the stack `frameId` called from stack `parent` (`-1`: a root). */
  internStack(parent: number, frameId: number): number {
    return this.#stacks.intern(parent, frameId);
  }

  /** Adds a sample of an interned stack. `-1` is the empty stack. */
  addStackSample(stackId: number, weightMs: number): void {
    if (!(weightMs >= 0) || !Number.isFinite(weightMs)) {
      throw new RangeError(`Cannot add sample: weight must be a finite number >= 0: current value is ${weightMs}`);
    }
    this.#samples.push(stackId);
    this.#weights.push(weightMs);
  }

  /** Adds a sample given its frames, outermost first. */
  addSample(stack: readonly Frame[], weightMs: number): void {
    let id = -1;
    for (const frame of stack) id = this.internStack(id, this.internFrame(frame));
    this.addStackSample(id, weightMs);
  }

  /** Adds time on a given line of a given frame (line-level ticks). */
  addLineTime(frameId: number, line: number, ms: number): void {
    let lines = this.#lines.get(frameId);
    if (lines === undefined) {
      lines = new Map();
      this.#lines.set(frameId, lines);
    }
    lines.set(line, (lines.get(line) ?? 0) + ms);
  }

  /** The profile so far. The builder may go on being used afterwards. */
  build(): Profile {
    const profile: Profile = {
      name: this.#name,
      frames: this.#frames.slice(),
      stacks: this.#stacks.table(),
      samples: this.#samples.trimmed(),
      weights: this.#weights.trimmed(),
    };
    if (this.#lines.size === 0) return profile;
    return { ...profile, lines: new Map(this.#lines) };
  }
}

/**
 * The frames of stack `stackId`, outermost first. Iterative: stacks can be
 * thousands of frames deep.
 *
 * @example
 * ```ts
 * import { ProfileBuilder, stackFrames } from "tsprof/format";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", kind: "js" }, { name: "work", kind: "js" }], 1);
 * const p = b.build();
 * stackFrames(p, p.samples[0]!).map((f) => f.name); // ["main", "work"]
 * ```
 */
export function stackFrames(profile: Profile, stackId: number): Frame[] {
  const out: Frame[] = [];
  for (let s = stackId; s !== -1; s = profile.stacks.parent[s]!) {
    out.push(profile.frames[profile.stacks.frame[s]!]!);
  }
  return out.reverse();
}

/** Options for {@linkcode reinternProfile}. */
export interface ReinternOptions {
  /**
   * Leaves a stack's parent out of its chain (its callee is attached to the
   * parent's parent), e.g. an async function's wrapper frame.
   */
  skipParent?: (parentFrame: Frame, frame: Frame) => boolean;
  /** Where a line tick of frame `f` on `line` goes; `undefined` drops it. */
  mapLine?: (frame: number, line: number) => number | undefined;
}

/**
 * Interns `frames` (standing for the profile's, index for index) and the
 * profile's stacks into `builder`, optionally dropping a parent
 * (`skipParent`); returns each frame's and each stack's new id.
 *
 * @example
 * ```ts
 * import { internInto, ProfileBuilder } from "./builder.ts";
 * const p = new ProfileBuilder("a").build();
 * const { stackId } = internInto(p, p.frames, new ProfileBuilder("b"));
 * ```
 */
export function internInto(
  profile: Profile,
  frames: readonly Frame[],
  builder: ProfileBuilder,
  skipParent?: ReinternOptions["skipParent"],
): { frameId: Int32Array; stackId: Int32Array } {
  const frameId = new Int32Array(frames.length);
  for (let i = 0; i < frames.length; i++) frameId[i] = builder.internFrame(frames[i]!);
  const { length, frame, parent } = profile.stacks;
  const stackId = new Int32Array(length).fill(-2);
  visitParentsFirst(profile.stacks, (t) => {
    let p = parent[t]!;
    if (p !== -1 && skipParent?.(frames[frame[p]!]!, frames[frame[t]!]!)) p = parent[p]!;
    stackId[t] = builder.internStack(p === -1 ? -1 : stackId[p]!, frameId[frame[t]!]!);
  });
  return { frameId, stackId };
}

/**
 * Calls `visit` for each stack of `stacks` (those `only` marks, and their
 * ancestors), each after its parent: parents usually come first in a table,
 * and where one does not, its chain is climbed. Iterative, for deep stacks.
 *
 * @example
 * ```ts
 * import { ProfileBuilder, visitParentsFirst } from "./builder.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "a", kind: "js" }, { name: "b", kind: "js" }], 1);
 * const order: number[] = [];
 * visitParentsFirst(b.build().stacks, (s) => order.push(s)); // [0, 1]
 * ```
 */
export function visitParentsFirst(stacks: Profile["stacks"], visit: (stack: number) => void, only?: Uint8Array): void {
  const { length, parent } = stacks;
  const done = new Uint8Array(length);
  const chain: number[] = [];
  for (let s = 0; s < length; s++) {
    if (done[s] === 1 || (only !== undefined && only[s] !== 1)) continue;
    chain.length = 0;
    for (let t = s; t !== -1 && done[t] === 0; t = parent[t]!) chain.push(t);
    for (let k = chain.length - 1; k >= 0; k--) {
      done[chain[k]!] = 1;
      visit(chain[k]!);
    }
  }
}

/**
 * Rebuilds a profile with `frames` in place of its own (same indices) and
 * interns everything again, so stacks that became equal (two frames that now
 * map to one function) merge. Samples and weights keep their order.
 *
 * @example
 * ```ts
 * import { ProfileBuilder, reinternProfile } from "./builder.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "a", kind: "js", line: 1 }], 1);
 * b.addSample([{ name: "a", kind: "js", line: 2 }], 1);
 * const p = b.build();
 * const merged = reinternProfile(p, p.frames.map(() => ({ name: "a", kind: "js" as const })));
 * // merged.stacks.length === 1: both samples are one stack now
 * ```
 */
export function reinternProfile(profile: Profile, frames: readonly Frame[], options: ReinternOptions = {}): Profile {
  // Frames that stay distinct merge no stacks: the stack table stands as it
  // is, and only the line ticks move (a profile's mapping, most of the time).
  if (!options.skipParent && distinctFrames(frames)) {
    const { name, stacks, samples, weights } = profile;
    return { name, frames, stacks, samples, weights, ...linesMoved(profile, options.mapLine) };
  }
  const builder = new ProfileBuilder(profile.name);
  const { frameId, stackId } = internInto(profile, frames, builder, options.skipParent);
  for (const [f, byLine] of profile.lines ?? []) {
    for (const [line, ms] of byLine) {
      const to = options.mapLine ? options.mapLine(f, line) : line;
      if (to !== undefined) builder.addLineTime(frameId[f]!, to, ms);
    }
  }
  const samples = new Int32Array(profile.samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = profile.samples[i]!;
    samples[i] = s < 0 ? s : stackId[s]!;
  }
  return { ...builder.build(), samples, weights: profile.weights };
}

function distinctFrames(frames: readonly Frame[]): boolean {
  const keys = new Set<string>();
  for (const f of frames) keys.add(frameKey(f));
  return keys.size === frames.length;
}

/** The profile's line ticks through `mapLine`, as {@linkcode reinternProfile} moves them. */
function linesMoved(profile: Profile, mapLine: ReinternOptions["mapLine"]): Pick<Profile, "lines"> {
  if (!profile.lines || !mapLine) return profile.lines ? { lines: profile.lines } : {};
  const lines = new Map<number, Map<number, number>>();
  for (const [f, byLine] of profile.lines) {
    for (const [line, ms] of byLine) {
      const to = mapLine(f, line);
      if (to === undefined) continue;
      let moved = lines.get(f);
      if (!moved) lines.set(f, moved = new Map());
      moved.set(to, (moved.get(to) ?? 0) + ms);
    }
  }
  return lines.size > 0 ? { lines } : {};
}

/**
 * The profile with only the stacks its samples use and the frames those
 * hold: what a relabelling left unused (start-up's own frames) is then not
 * mapped, placed or kept. Itself when everything is used.
 *
 * @example
 * ```ts
 * import { compactProfile, ProfileBuilder } from "./builder.ts";
 * const b = new ProfileBuilder("main");
 * b.internStack(-1, b.internFrame({ name: "unused", kind: "js" }));
 * b.addSample([{ name: "used", kind: "js" }], 1);
 * compactProfile(b.build()).frames.map((f) => f.name); // ["used"]
 * ```
 */
export function compactProfile(profile: Profile): Profile {
  const { length, frame, parent } = profile.stacks;
  const used = new Uint8Array(length);
  for (const s of profile.samples) for (let t = s; t >= 0 && used[t] === 0; t = parent[t]!) used[t] = 1;
  if (used.every((u) => u === 1)) return profile;
  const b = new ProfileBuilder(profile.name);
  const frameId = new Int32Array(profile.frames.length).fill(-1);
  const stackId = new Int32Array(length).fill(-2);
  visitParentsFirst(profile.stacks, (t) => {
    const f = frame[t]!;
    if (frameId[f] === -1) frameId[f] = b.internFrame(profile.frames[f]!);
    const p = parent[t]!;
    stackId[t] = b.internStack(p === -1 ? -1 : stackId[p]!, frameId[f]!);
  }, used);
  for (const [f, byLine] of profile.lines ?? []) {
    if (frameId[f] === -1) continue;
    for (const [line, ms] of byLine) b.addLineTime(frameId[f]!, line, ms);
  }
  const samples = Int32Array.from(profile.samples, (s) => (s < 0 ? s : stackId[s]!));
  return { ...b.build(), samples, weights: profile.weights };
}
