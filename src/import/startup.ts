/**
 * What happens before the program's own code first runs is start-up, not
 * idle time and not nothing: the thread waited for its modules (Node 20
 * with ESM: tsx transpiles on a loader thread while the main thread waits;
 * Deno: its start-up and module graph), ran the runtime's module loader, ran
 * tsprof's own start (starting the sampler), or ran code no sampler sees
 * (the portable backend, before instrumented code runs). Left alone, that
 * time shows as `(idle)`, or vanishes from the report with the runtime's and
 * tsprof's frames, so that the total falls short of the duration. Such
 * samples are relabelled as what they are.
 *
 * @module
 */
import { type Frame, MODULE_LOADING_FRAME, type Profile, TSPROF_STARTUP_FRAME } from "../format/types.ts";

/** Which files are whose, for {@linkcode relabelStartup}. */
export interface StartupLabels {
  /** A file of the program (not the runtime's, a library's or tsprof's). */
  isProgram(file: string): boolean;
  /** A file of tsprof's own. */
  isTool(file: string): boolean;
  /** The label of start-up that is not tsprof's. */
  startup: Frame;
  /** Leave idle samples as they are: waits not yet charged may take them. */
  keepIdle?: boolean;
  /**
   * Start-up also ends where the thread then idled this long (ms) at a
   * stretch: a program whose top level was too short to be sampled (a
   * server's `listen`, a `setTimeout`) is waiting by then, for requests or
   * timers, not loading.
   */
  endsAtIdleMs?: number;
}

/**
 * The idle stretch (ms) that ends a program's start-up where its top level
 * was not sampled: module loading does not wait so long.
 */
export const STARTUP_ENDS_AT_IDLE_MS = 50;

/**
 * Returns `profile` with each sample before the first one in a file of the
 * program relabelled: `(tsprof start-up)` where tsprof's code is on the
 * stack, else `labels.startup`. The same profile when there is nothing to
 * relabel, or the program's code was never sampled (then nothing says where
 * start-up ended).
 *
 * @example
 * ```ts
 * import { MODULE_LOADING_FRAME } from "../format/types.ts";
 * import { relabelStartup } from "./startup.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { IDLE_FRAME } from "../format/types.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([IDLE_FRAME], 20);
 * b.addSample([{ name: "main", kind: "js", file: "/app/a.ts", line: 1, col: 1 }], 5);
 * const labels = { isProgram: (f: string) => f.startsWith("/app/"), isTool: () => false, startup: MODULE_LOADING_FRAME };
 * const p = relabelStartup(b.build(), labels);
 * p.frames[p.stacks.frame[p.samples[0]!]!]!.name; // "(module loading)"
 * ```
 */
export function relabelStartup(profile: Profile, labels: StartupLabels): Profile {
  const { frames, stacks, samples } = profile;
  // Per stack: 1 if a program frame is on it, 2 if (only) a tool frame is.
  const owner = new Uint8Array(stacks.length);
  for (let s = 0; s < stacks.length; s++) {
    const frame = frames[stacks.frame[s]!]!;
    const file = frame.file;
    const parent = stacks.parent[s]!;
    const inherited = parent === -1 ? 0 : owner[parent]!;
    // tsprof's start-up, labelled already (Bun's is labelled before mapping too), stays so.
    const tool = (file !== undefined && labels.isTool(file)) || (frame.kind === "program" && frame.name === TSPROF_STARTUP_FRAME.name);
    // Parents come before children in an interned table.
    owner[s] = inherited === 1 || (file !== undefined && labels.isProgram(file)) ? 1 : inherited === 2 || tool ? 2 : 0;
  }
  let first = -1;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s !== -1 && owner[s] === 1) {
      first = i;
      break;
    }
  }
  const idle = (s: number) => s === -1 || frames[stacks.frame[s]!]!.kind === "idle";
  if (labels.endsAtIdleMs !== undefined) first = endOfStartup(profile, first === -1 ? samples.length : first, labels.endsAtIdleMs, idle);
  if (first <= 0 || first === samples.length) return profile;
  const [startupStack, toolStack] = [stacks.length, stacks.length + 1];
  const out = samples.slice();
  for (let i = 0; i < first; i++) {
    const s = out[i]!;
    out[i] = s !== -1 && owner[s] === 2 ? toolStack : labels.keepIdle && idle(s) ? s : startupStack;
  }
  return { ...profile, ...withRootFrames(profile, [labels.startup, TSPROF_STARTUP_FRAME]), samples: out };
}

/**
 * The first sample of an idle stretch of at least `idleMs` after which the
 * program's first sample (`first`) comes within `STARTUP_AFTER_WAIT_MS` of
 * other work, after some sample that is not idle; else `first`. A wait
 * followed by more loading (tsx waiting for its esbuild service) is still
 * the start-up's.
 */
function endOfStartup(profile: Profile, first: number, idleMs: number, idle: (stack: number) => boolean): number {
  const { samples, weights } = profile;
  let end = first;
  let workAfter = 0;
  // From the program's first sample back: the last long wait with little work after it.
  // With no sample of the program's at all, a wait must have work after it: a profile's idle end
  // (the runtime's exit, unsampled) is not a wait the program started after, and taken for one it
  // made the whole run of a package's own program start-up.
  let workSeen = first < samples.length;
  for (let i = first - 1; i >= 0; i--) {
    if (!idle(samples[i]!)) {
      workSeen = true;
      workAfter += weights[i]!;
      if (workAfter >= STARTUP_AFTER_WAIT_MS) break;
      continue;
    }
    let ms = 0;
    let j = i;
    for (; j >= 0 && idle(samples[j]!); j--) ms += weights[j]!;
    if (ms >= idleMs && workSeen) end = j + 1;
    i = j + 1;
  }
  // The wait must follow some start-up work: a profile that opens idle has not started yet.
  for (let i = 0; i < end; i++) if (!idle(samples[i]!)) return end;
  return first;
}

/** Work after a long wait, before the program's first sample, that still makes the wait the program's (ms). */
export const STARTUP_AFTER_WAIT_MS = 10;

/**
 * `profile`'s frames and stacks with `added` after them, each a stack of
 * its own at the root: stack `stacks.length + k` holds `added[k]` alone.
 */
function withRootFrames(profile: Profile, added: readonly Frame[]): Pick<Profile, "frames" | "stacks"> {
  const { frames, stacks } = profile;
  const parent = new Int32Array(stacks.length + added.length).fill(-1);
  parent.set(stacks.parent);
  const frameOf = new Int32Array(stacks.length + added.length);
  frameOf.set(stacks.frame);
  for (let k = 0; k < added.length; k++) frameOf[stacks.length + k] = frames.length + k;
  return { frames: [...frames, ...added], stacks: { length: stacks.length + added.length, frame: frameOf, parent } };
}

/**
 * Returns `profile` with each sample that began from `fromMs` to before
 * `toMs` (ms after the profile's start) relabelled as `frame` alone: a
 * stretch known to be someone else's than the program's, such as the set-up
 * of tsprof's preload (Bun's, which parses the program's modules). The same
 * profile when no sample began then.
 *
 * @example
 * ```ts
 * import { TSPROF_STARTUP_FRAME } from "../format/types.ts";
 * import { relabelSpan } from "./startup.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "parse", kind: "js", file: "/x/parser.js" }], 5);
 * b.addSample([{ name: "main", kind: "js", file: "/app/a.ts" }], 5);
 * const p = relabelSpan(b.build(), 0, 5, TSPROF_STARTUP_FRAME);
 * p.frames[p.stacks.frame[p.samples[0]!]!]!.name; // "(tsprof start-up)"
 * ```
 */
export function relabelSpan(profile: Profile, fromMs: number, toMs: number, frame: Frame): Profile {
  const { stacks, samples, weights } = profile;
  const out = samples.slice();
  const label = stacks.length;
  let changed = false;
  let t = 0;
  for (let i = 0; i < samples.length && t < toMs; t += weights[i]!, i++) {
    if (t < fromMs) continue;
    out[i] = label;
    changed = true;
  }
  return changed ? { ...profile, ...withRootFrames(profile, [frame]), samples: out } : profile;
}
