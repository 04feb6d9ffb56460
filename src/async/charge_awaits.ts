/**
 * Charges the time a program spent waiting to the `await`s that waited.
 *
 * A sampler sees no JavaScript while the event loop waits, so it records
 * `(idle)`. A backend that also recorded when each `await` of the user's
 * code suspended and resumed (see `runtimes/node/awaits.ts`) hands those
 * waits here, and each idle sample is split among the waits going on at
 * that moment: its time moves to a stack made of the awaiting function's
 * logical callers, the function, and an `[await]` frame at the `await`.
 * Nothing else changes, so the profile's total is still the wall time, and
 * every renderer and export shows the waits as ordinary frames.
 *
 * Which waits share an instant:
 * - only the innermost: while `main` awaits `loadUsers()`, which awaits a
 *   request, the time is the request's (under `main` → `loadUsers`), never
 *   both. A wait is covered by a wait whose function stack extends its own;
 * - the innermost waits of the moment split it evenly: `Promise.all` of
 *   three requests gives each a third while all three are pending, and the
 *   last one alone what is left. The sum never exceeds the wall time, and a
 *   wait's share shows how much of the program's waiting it was responsible
 *   for;
 * - idle time during which no await was pending (a timer not awaited, an
 *   open server socket) stays `(idle)`.
 *
 * The runtime's own work while waits are pending (a sample of its frames
 * only: `readFile` reading and decoding, a stream's internals feeding a
 * `for await`) is shared by those waits as idle time is, its frames kept
 * above their `[await]`s: the program waited for it. Folded away with the
 * runtime's other frames, it was time no row of the report showed.
 *
 * The program's CPU samples keep their time. One kind moves: after an `await`, a function
 * runs again from the microtask queue, so the sampler sees it at the bottom
 * of its stack (under the runtime's frames at most), cut off from its
 * callers. Such a sample goes under the logical callers of that function's
 * latest wait to have ended by then (its first, before any has), as the
 * function's first run and its waits are, so that a function's work sits in
 * one place of the tree.
 *
 * @module
 */
import { internInto, ProfileBuilder } from "../format/builder.ts";
import type { Frame, Profile } from "../format/types.ts";
import { isRuntimeCode } from "../paths.ts";
import { idleWhileWaiting, typicalSpan } from "./idle_while_waiting.ts";

/**
 * One wait of an `await`: when it suspended and resumed, on the clock of
 * the profile's start, and where.
 *
 * @example
 * ```ts
 * import type { AwaitWait } from "./charge_awaits.ts";
 * const wait: AwaitWait = {
 *   start: 10, end: 310,
 *   stack: [{ name: "main", file: "/app/a.ts", line: 3, col: 16, kind: "js" }],
 *   at: { file: "/app/a.ts", line: 4, col: 9 },
 * };
 * ```
 */
export interface AwaitWait {
  /** When the `await` suspended, ms. */
  readonly start: number;
  /** When it resumed, ms. */
  readonly end: number;
  /** The awaiting function and its logical callers, outermost first. */
  readonly stack: readonly Frame[];
  /** Where the `await` is. */
  readonly at: { readonly file: string; readonly line: number; readonly col: number };
  /**
   * Where each frame of `stack` was in its function when the stack was
   * taken, for the frames whose function's own position the runtime did not
   * tell (Deno); `null` for the others. See `place_frames.ts`.
   */
  readonly calls?: readonly ({ readonly line: number; readonly col: number } | null)[];
}

/** Name of the frame for the time an `await` waited. */
export const AWAIT_FRAME_NAME = "[await]";

/**
 * Whether a frame stands for time spent waiting at an `await`.
 *
 * @example
 * ```ts
 * import { isAwaitFrame } from "./charge_awaits.ts";
 * isAwaitFrame({ name: "[await] fetch", kind: "js" }); // true
 * ```
 */
export function isAwaitFrame(frame: Frame): boolean {
  return frame.name === AWAIT_FRAME_NAME || frame.name.startsWith(`${AWAIT_FRAME_NAME} `);
}

/** A wait with its interned stacks. */
interface Interned {
  readonly start: number;
  readonly end: number;
  /** Stack of the awaiting function (the `[await]` frame's parent). */
  readonly fn: number;
  /** Stack ending in the `[await]` frame. */
  readonly leaf: number;
}

/**
 * Moves the idle time of `profile` that `waits` cover to `[await]` frames.
 * `startMs` is when the profile's first sample began, on the waits' clock.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { IDLE_FRAME } from "../format/types.ts";
 * import { chargeAwaits } from "./charge_awaits.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([IDLE_FRAME], 100);
 * const main = { name: "main", file: "/app/a.ts", line: 1, col: 16, kind: "js" } as const;
 * const p = chargeAwaits(b.build(), 0, [{ start: 20, end: 70, stack: [main], at: { file: "/app/a.ts", line: 2, col: 9 } }]);
 * // 50 ms under main → [await], 50 ms (idle)
 * ```
 */
export function chargeAwaits(sampled: Profile, startMs: number, waits: readonly AwaitWait[]): Profile {
  if (waits.length === 0) return sampled;
  // A sample that stood for a wait the sampler, without CPU, took no idle samples of.
  const profile = idleWhileWaiting(sampled, startMs, waits, 2 * typicalSpan(sampled));
  const b = new ProfileBuilder(profile.name);
  const { stackId } = internInto(profile, profile.frames, b);
  const interned: Interned[] = [];
  // Once per stack and per place: the waits of a call share them (`wait_frames.ts`).
  const fns = new Map<readonly Frame[], number>();
  const leaves = new Map<number, Map<AwaitWait["at"], number>>();
  for (const w of waits) {
    if (!(w.end > w.start)) continue;
    let fn = fns.get(w.stack);
    if (fn === undefined) {
      fn = -1;
      for (const f of w.stack) fn = b.internStack(fn, b.internFrame(f));
      fns.set(w.stack, fn);
    }
    let byAt = leaves.get(fn);
    if (byAt === undefined) leaves.set(fn, (byAt = new Map()));
    let leaf = byAt.get(w.at);
    if (leaf === undefined) {
      const at = b.internFrame({ name: AWAIT_FRAME_NAME, file: w.at.file, line: w.at.line, col: w.at.col, kind: "js" });
      byAt.set(w.at, (leaf = b.internStack(fn, at)));
    }
    interned.push({ start: w.start, end: w.end, fn, leaf });
  }
  interned.sort((x, y) => x.start - y.start);
  const built = b.build();
  const parent = built.stacks.parent;
  const isIdle = (s: number) => s === -1 || profile.frames[profile.stacks.frame[s]!]!.kind === "idle";
  const resumed = resumedUnder(b, built, interned);

  const active: Interned[] = [];
  let next = 0;
  let t = startMs;
  // The time of a stretch the same waits share, by the stack it goes to, held
  // until the stretch ends: each wait then gets one sample of its share in the
  // stretch, not a third of every 1 ms sample in turn, so that a timeline of
  // `Promise.all` shows each wait as a block (in the stretch where all waited),
  // not as slices too thin to show. The totals are the same.
  const pending = new Map<number, number>();
  let sharedBy = "";
  const flush = () => {
    for (const [stack, ms] of pending) b.addStackSample(stack, ms);
    pending.clear();
    sharedBy = "";
  };
  const hold = (by: string, stack: number, ms: number) => {
    if (by !== sharedBy) flush();
    sharedBy = by;
    pending.set(stack, (pending.get(stack) ?? 0) + ms);
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    const w = profile.weights[i]!;
    const a = t;
    const e = t + w;
    t = e;
    const mapped = s < 0 ? s : stackId[s]!;
    while (next < interned.length && interned[next]!.start < e) active.push(interned[next++]!);
    const runtimeWork = !isIdle(s) && resumed.runtimeOnly(mapped);
    if (!isIdle(s) && !runtimeWork) {
      flush();
      b.addStackSample(resumed(mapped, e), w);
      prune(active, e);
      continue;
    }
    if (active.length === 0 || w === 0) {
      flush();
      b.addStackSample(mapped, w);
      prune(active, e);
      continue;
    }
    // Split [a, e) where waits start or end, and share each piece.
    const cuts = [a, e];
    for (const x of active) {
      if (x.start > a && x.start < e) cuts.push(x.start);
      if (x.end > a && x.end < e) cuts.push(x.end);
    }
    cuts.sort((p, q) => p - q);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const from = cuts[k]!;
      const to = cuts[k + 1]!;
      if (to <= from) continue;
      const leaves = innermost(active.filter((x) => x.start <= from && x.end >= to), parent);
      if (leaves.length === 0) {
        hold("", mapped, to - from);
        continue;
      }
      const by = leaves.map((x) => x.leaf).join(",");
      const each = (to - from) / leaves.length;
      // The runtime's own work keeps its frames, above the `[await]`s it served.
      for (const x of leaves) hold(by, runtimeWork ? resumed.above(x.leaf, mapped) : x.leaf, each);
    }
    prune(active, e);
  }
  flush();
  const out = b.build();
  return profile.lines ? { ...out, lines: profile.lines } : out;
}

/**
 * For a CPU sample's stack (in `b`) ending at `t`: the stack under the
 * logical callers of the wait it resumed from, where its bottom frame past
 * the runtime's is the function of a wait that ended by `t`; else the stack
 * as it is.
 */
interface Resumed {
  /** The stack a CPU sample's `stack` moves to at `t`. */
  (stack: number, t: number): number;
  /** Whether `stack` holds the runtime's frames only: its own work, for a wait pending then. */
  runtimeOnly(stack: number): boolean;
  /** The frames of `stack` on top of the stack `base`. */
  above(base: number, stack: number): number;
}

function resumedUnder(b: ProfileBuilder, built: Profile, waits: readonly Interned[]): Resumed {
  const { frame: frameOf, parent } = built.stacks;
  // The waits of each function (its frame id), latest end last.
  const byFn = new Map<number, Interned[]>();
  for (const w of waits) {
    const f = frameOf[w.fn]!;
    const list = byFn.get(f);
    if (list) list.push(w);
    else byFn.set(f, [w]);
  }
  for (const list of byFn.values()) list.sort((x, y) => x.end - y.end);
  // At the bottom of a stack, a JS frame of no file is the runtime's too:
  // Bun's own JavaScript (its `processTicksAndRejections` runs the microtasks)
  // has no file; the program's functions that have none (eval'd code) are
  // called by the program, never from the bottom.
  const isRuntime = (f: number) => {
    const frame = built.frames[f]!;
    return isRuntimeCode(frame) || (frame.kind === "js" && frame.file === undefined);
  };
  // Per stack: the stack of its bottom frame past the runtime's, or -1. A
  // stack's parent was interned before it, so one pass in id order does.
  const firstOwn = new Int32Array(frameOf.length);
  for (let s = 0; s < frameOf.length; s++) {
    const p = parent[s]!;
    const below = p >= 0 ? firstOwn[p]! : -1;
    firstOwn[s] = below !== -1 ? below : isRuntime(frameOf[s]!) ? -1 : s;
  }
  // The frames of `stack` above `until` (not included) put on `base`, interned once per triple.
  // Keyed by base, stack and whether `until` is the root (a stack's `until` is otherwise always
  // its own: see moved), as one number: a key built per sample costs nothing. Both stacks are
  // the waits' table's, below frameOf.length.
  const grafted = new Map<number, number>();
  const graft = (stack: number, until: number, base: number): number => {
    const key = (base * frameOf.length + stack) * 2 + (until === -1 ? 1 : 0);
    let out = grafted.get(key);
    if (out === undefined) {
      const frames: number[] = [];
      for (let s = stack; s !== until; s = parent[s]!) frames.push(frameOf[s]!);
      out = base;
      for (let k = frames.length - 1; k >= 0; k--) out = b.internStack(out, frames[k]!);
      grafted.set(key, out);
    }
    return out;
  };
  const moved = (stack: number, t: number): number => {
    // Stacks added after the waits were interned are none of the program's.
    if (stack < 0 || stack >= frameOf.length) return stack;
    const own = firstOwn[stack]!;
    const list = own === -1 ? undefined : byFn.get(frameOf[own]!);
    if (list === undefined) return stack;
    let latest: Interned | undefined;
    for (let lo = 0, hi = list.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.end <= t) {
        latest = list[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // None yet: the clocks of the waits and the samples agree within a
    // sample or so, and the function's first wait is the one it resumed from.
    latest ??= list[0]!;
    const callers = parent[latest.fn]!;
    // The function's first run is under its callers already; a wait without callers adds none.
    return callers < 0 ? stack : graft(stack, parent[own]!, callers);
  };
  return Object.assign(moved, {
    // Stacks added after the waits were interned (idle, `[await]`s) are not the runtime's work.
    runtimeOnly: (stack: number) => stack >= 0 && stack < frameOf.length && firstOwn[stack] === -1,
    above: (base: number, stack: number) => graft(stack, -1, base),
  });
}

/** Drops the waits that ended by `t`. */
function prune(active: Interned[], t: number): void {
  let j = 0;
  for (const x of active) if (x.end > t) active[j++] = x;
  active.length = j;
}

/** The waits no other wait of the list is nested in (whose function stack extends theirs). */
function innermost(waits: readonly Interned[], parent: Int32Array): Interned[] {
  if (waits.length <= 1) return waits.slice();
  const covered = new Set<number>();
  for (const x of waits) {
    // Every strict ancestor of x's function stack belongs to an outer wait.
    for (let s = parent[x.fn] ?? -1; s !== -1 && s !== undefined; s = parent[s]!) {
      if (covered.has(s)) break;
      covered.add(s);
    }
  }
  return waits.filter((x) => !covered.has(x.fn));
}

