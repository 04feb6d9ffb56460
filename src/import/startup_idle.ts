/**
 * Idle samples before the program's own code first runs are not idle: the
 * thread waited for its modules (Node 20 with ESM: tsx transpiles on a
 * loader thread while the main thread waits), or ran code no sampler sees
 * (the portable backend, before instrumented code runs). They are relabelled
 * as what they are.
 *
 * @module
 */
import type { Frame, Profile } from "../format/types.ts";

/** Waiting for the runtime to start and the modules to be resolved, loaded and transpiled. */
export const MODULE_LOADING_FRAME: Frame = { name: "(module loading)", kind: "program" };
/** Code the portable backend does not instrument (start-up, imports, the runtime). */
export const UNINSTRUMENTED_FRAME: Frame = { name: "(uninstrumented code)", kind: "program" };

/**
 * Returns `profile` with its idle samples before the first sample in a file
 * `isProgram` accepts relabelled as `frame`; the same profile when there are
 * none (or the program's code was never sampled: then nothing says where
 * start-up ended).
 *
 * @example
 * ```ts
 * import { MODULE_LOADING_FRAME, relabelStartupIdle } from "./startup_idle.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { IDLE_FRAME } from "../format/types.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([IDLE_FRAME], 20);
 * b.addSample([{ name: "main", kind: "js", file: "/app/a.ts", line: 1, col: 1 }], 5);
 * const p = relabelStartupIdle(b.build(), (f) => f === "/app/a.ts", MODULE_LOADING_FRAME);
 * p.frames[p.stacks.frame[p.samples[0]!]!]!.name; // "(module loading)"
 * ```
 */
export function relabelStartupIdle(profile: Profile, isProgram: (file: string) => boolean, frame: Frame): Profile {
  const { frames, stacks, samples } = profile;
  const programStack = new Uint8Array(stacks.length);
  for (let s = 0; s < stacks.length; s++) {
    const file = frames[stacks.frame[s]!]!.file;
    const parent = stacks.parent[s]!;
    // Parents come before children in an interned table.
    programStack[s] = (file !== undefined && isProgram(file)) || (parent !== -1 && programStack[parent] === 1) ? 1 : 0;
  }
  let first = -1;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s !== -1 && programStack[s] === 1) {
      first = i;
      break;
    }
  }
  const isIdle = (s: number) => s === -1 || (stacks.parent[s] === -1 && frames[stacks.frame[s]!]!.kind === "idle");
  let any = false;
  for (let i = 0; i < first; i++) if (isIdle(samples[i]!)) any = true;
  if (!any) return profile;
  const frameId = frames.length;
  const stackId = stacks.length;
  const parent = new Int32Array(stackId + 1);
  parent.set(stacks.parent);
  parent[stackId] = -1;
  const frameOf = new Int32Array(stackId + 1);
  frameOf.set(stacks.frame);
  frameOf[stackId] = frameId;
  const out = samples.slice();
  for (let i = 0; i < first; i++) if (isIdle(out[i]!)) out[i] = stackId;
  return { ...profile, frames: [...frames, frame], stacks: { length: stackId + 1, frame: frameOf, parent }, samples: out };
}
