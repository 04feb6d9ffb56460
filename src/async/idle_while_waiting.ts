/**
 * A sampler that got no CPU while the program waited (a loaded machine)
 * took none of the idle samples it takes then, and the sample before the
 * wait stands for all of it: each sample weighs the time until the next.
 * Where an `await` that began during such a long sample was pending, that
 * part of it is idle time, the program's function having suspended: it
 * goes to an idle sample after the sample's own part, for the waits to
 * take (`charge_awaits.ts`). Only the sample the `await` began in; later
 * ones may be the program's code again while an outer `await` is still
 * pending (its callee runs).
 *
 * @module
 */
import { type Frame, IDLE_FRAME, type Profile, type StackTable } from "../format/types.ts";
import { waitingInSpans } from "../import/gap_weights.ts";

/**
 * `profile` with the waiting part of each sample longer than `longerThanMs`
 * moved to an idle sample right after it (see the module notes); `startMs`
 * is when the first sample began, on the waits' clock. The same profile
 * when nothing moves.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { idleWhileWaiting } from "./idle_while_waiting.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", line: 1, col: 16, kind: "js" }], 101);
 * const p = idleWhileWaiting(b.build(), 0, [{ start: 1, end: 101 }], 2);
 * // [...p.weights]: [1, 100], the second an (idle) sample
 * ```
 */
export function idleWhileWaiting(profile: Profile, startMs: number, waits: readonly { readonly start: number; readonly end: number }[], longerThanMs: number): Profile {
  if (waits.length === 0) return profile;
  const { samples, weights } = profile;
  const spans = Array.from(weights, (w) => w * 1000);
  const waiting = waitingInSpans(spans, startMs * 1000, waits.map((w) => [w.start * 1000, w.end * 1000] as const));
  const idleFrame = profile.frames.findIndex((f) => f.kind === "idle");
  const moves = (i: number) => weights[i]! > longerThanMs && waiting[i]! > 0 && !(samples[i] !== -1 && profile.stacks.frame[samples[i]!] === idleFrame);
  let moved = 0;
  for (let i = 0; i < samples.length; i++) if (moves(i)) moved++;
  if (moved === 0) return profile;
  // The frames and stacks stay as they are (a profile's stack table can be large): an idle root
  // stack is added where there is none, and the samples are written anew.
  const { frames, stacks, idle } = withIdleStack(profile);
  const outSamples = new Int32Array(samples.length + moved);
  const outWeights = new Float64Array(samples.length + moved);
  let k = 0;
  const add = (stack: number, ms: number) => {
    outSamples[k] = stack;
    outWeights[k++] = ms;
  };
  for (let i = 0; i < samples.length; i++) {
    if (!moves(i)) {
      add(samples[i]!, weights[i]!);
      continue;
    }
    const idleMs = Math.min(weights[i]!, waiting[i]! / 1000);
    if (weights[i]! > idleMs) add(samples[i]!, weights[i]! - idleMs);
    add(idle, idleMs);
  }
  return { ...profile, frames, stacks, samples: outSamples.subarray(0, k).slice(), weights: outWeights.subarray(0, k).slice() };
}

/** The profile's frames and stacks with an `(idle)` stack at the root, added where there is none, and that stack. */
function withIdleStack(profile: Profile): { frames: readonly Frame[]; stacks: StackTable; idle: number } {
  let frames = profile.frames;
  let idleFrame = frames.findIndex((f) => f.kind === "idle" && f.name === IDLE_FRAME.name);
  if (idleFrame === -1) {
    frames = [...frames, IDLE_FRAME];
    idleFrame = frames.length - 1;
  }
  const { length, frame, parent } = profile.stacks;
  for (let s = 0; s < length; s++) if (parent[s] === -1 && frame[s] === idleFrame) return { frames, stacks: profile.stacks, idle: s };
  const grownFrame = new Int32Array(length + 1);
  grownFrame.set(frame);
  grownFrame[length] = idleFrame;
  const grownParent = new Int32Array(length + 1);
  grownParent.set(parent);
  grownParent[length] = -1;
  return { frames, stacks: { length: length + 1, frame: grownFrame, parent: grownParent }, idle: length };
}

/** Weights read for {@linkcode typicalSpan}: sorting all of an hour's would cost more than the charge. */
const TYPICAL_SAMPLE = 4097;

/**
 * The sampling interval a profile shows: the median of its samples'
 * weights (ms), of evenly spaced ones in a long profile.
 */
export function typicalSpan(profile: Profile): number {
  const { weights } = profile;
  if (weights.length === 0) return 0;
  const n = Math.min(weights.length, TYPICAL_SAMPLE);
  const picked = new Float64Array(n);
  for (let i = 0; i < n; i++) picked[i] = weights[Math.floor((i * weights.length) / n)]!;
  picked.sort();
  return picked[n >> 1]!;
}
