/**
 * Time no row of the report showed, made visible. The report folds away the
 * runtime's frames and tsprof's own, handing their time to the nearest frame
 * it keeps; where there was none, the time belonged to no row, and the rows
 * added up to less than the duration. And where tsprof's own frames ran on
 * top of the program's (its promise hooks, Bun's marked `await`s), their
 * time became the program's own.
 *
 * - A sample of the runtime's frames only (Node's `processTicksAndRejections`
 *   finishing a `readFile`, a stream's internals, an HTTP parser between
 *   requests) goes under a `(runtime)` frame at the root; one of its module
 *   loader (linking the program's ES modules) under `(module loading)`. Where the program
 *   was waiting meanwhile, await attribution has given it to the waits
 *   already (`charge_awaits.ts`); this is what is left.
 * - A sample whose frames past the last one kept are tsprof's (and the
 *   runtime's it called) gets a `(tsprof)` frame there: tsprof's cost, shown
 *   where it was paid.
 *
 * The frames stay above the label, for `--show-all`.
 *
 * @module
 */
import { StackInterner, parentsFirst } from "../format/stack_interner.ts";
import { ANONYMOUS_NAME, type Frame, MODULE_LOADING_FRAME, type Profile, RUNTIME_FRAME, type Session, TSPROF_FRAME } from "../format/types.ts";
import { isRuntimeCode } from "../paths.ts";
import { isModuleLoaderFrame, labelModuleLoading } from "./module_loading.ts";

/**
 * Returns `profile` with `(runtime)` and `(tsprof)` frames where the time of
 * a sample would otherwise be no row's or the program's (see the module's
 * doc); the same profile when there is none. `isTool` tells tsprof's own
 * files. Applying it again changes nothing.
 *
 * @example
 * ```ts
 * import { labelUnshownTime } from "./runtime_time.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "processTicksAndRejections", kind: "js", file: "node:internal/process/task_queues" }], 5);
 * const p = labelUnshownTime(b.build());
 * let root = p.samples[0]!;
 * while (p.stacks.parent[root] !== -1) root = p.stacks.parent[root]!;
 * p.frames[p.stacks.frame[root]!]!.name; // "(runtime)"
 * ```
 */
export function labelUnshownTime(profile: Profile, isTool: (file: string) => boolean = () => false): Profile {
  const { frames, stacks, samples } = profile;
  // 0: kept by the report; 1: the runtime's; 2: tsprof's.
  const kind = frames.map((f) => (f.file !== undefined && isTool(f.file) ? 2 : isRuntimeCode(f) ? 1 : 0));
  const loader = frames.map(isModuleLoaderFrame);
  // A script an inspector evaluated (no file): tsprof's code called there acts from outside the program.
  const evaluation = frames.map((f) => f.kind === "js" && f.file === undefined && f.name === ANONYMOUS_NAME);
  const order = parentsFirst(stacks);
  // Per stack: its nearest kept stack (itself, an ancestor, or -1), and whether a tool frame lies above that.
  const kept = new Int32Array(stacks.length);
  const tool = new Uint8Array(stacks.length);
  // Per stack: a module loader frame lies above the last kept one (Node linking the program's
  // ES modules from the root is loading them, not the runtime's other work).
  const loading = new Uint8Array(stacks.length);
  // Per stack: tsprof's code called by an inspector's evaluation lies above (Deno's stuck program
  // asked to end, in the frame it was paused in): its time is tsprof's, not the paused function's.
  const outside = new Uint8Array(stacks.length);
  for (let k = 0; k < stacks.length; k++) {
    const s = order === undefined ? k : order[k]!;
    const p = stacks.parent[s]!;
    const f = kind[stacks.frame[s]!]!;
    outside[s] = p !== -1 && (outside[p] === 1 || (f === 2 && evaluation[stacks.frame[p]!]!)) ? 1 : 0;
    kept[s] = f === 0 ? s : p === -1 ? -1 : kept[p]!;
    tool[s] = f === 0 ? 0 : f === 2 || (p !== -1 && tool[p] === 1) ? 1 : 0;
    loading[s] = f === 0 ? 0 : loader[stacks.frame[s]!] || (p !== -1 && loading[p] === 1) ? 1 : 0;
  }
  // Under a label already (this profile was labelled, then saved and read back): nothing to add.
  const labelled = (s: number) => kept[s] !== -1 && frames[stacks.frame[kept[s]!]!]!.kind === "program";
  const needs = (s: number) => s !== -1 && (outside[s] === 1 || (kept[s] !== s && (tool[s] === 1 || kept[s] === -1) && !labelled(s)));
  if (!samples.some(needs)) return profile;
  const interner = new StackInterner(stacks.length + 16);
  const moved = new Int32Array(stacks.length);
  for (let k = 0; k < stacks.length; k++) {
    const s = order === undefined ? k : order[k]!;
    const p = stacks.parent[s]!;
    moved[s] = interner.intern(p === -1 ? -1 : moved[p]!, stacks.frame[s]!);
  }
  const [runtimeLabel, toolLabel, loadingLabel] = [frames.length, frames.length + 1, frames.length + 2];
  const relabelled = new Map<number, number>();
  const relabel = (s: number): number => {
    let out = relabelled.get(s);
    if (out !== undefined) return out;
    const chain: number[] = [];
    if (outside[s] === 1) {
      // At the root: the frames from tsprof's first one on, the evaluation and the paused stack left out.
      let x = s;
      for (; !evaluation[stacks.frame[stacks.parent[x]!]!]; x = stacks.parent[x]!) chain.push(stacks.frame[x]!);
      chain.push(stacks.frame[x]!);
      out = interner.intern(-1, toolLabel);
      for (let k = chain.length - 1; k >= 0; k--) out = interner.intern(out, chain[k]!);
      relabelled.set(s, out);
      return out;
    }
    const base = kept[s]!;
    for (let x = s; x !== base; x = stacks.parent[x]!) chain.push(stacks.frame[x]!);
    out = interner.intern(base === -1 ? -1 : moved[base]!, tool[s] === 1 ? toolLabel : loading[s] === 1 ? loadingLabel : runtimeLabel);
    for (let k = chain.length - 1; k >= 0; k--) out = interner.intern(out, chain[k]!);
    relabelled.set(s, out);
    return out;
  };
  // Before the table is taken: relabelling interns new stacks.
  const relabelledSamples = samples.map((s) => (s === -1 ? -1 : needs(s) ? relabel(s) : moved[s]!));
  return { ...profile, frames: [...frames, RUNTIME_FRAME, TSPROF_FRAME, MODULE_LOADING_FRAME], stacks: interner.table(), samples: relabelledSamples };
}

/**
 * The runtime's time made visible where its frames fold away: a
 * `(module loading)` frame where the program calls the module loader
 * (`module_loading.ts`), then `(runtime)` and `(tsprof)` frames where time
 * would be no row's or the program's ({@linkcode labelUnshownTime}). What
 * every view of a profile starts from.
 *
 * @example
 * ```ts
 * import { labelRuntimeTime } from "./runtime_time.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * const p = labelRuntimeTime(new ProfileBuilder("main").build()); // nothing to label: the same profile
 * ```
 */
export function labelRuntimeTime(profile: Profile, isTool?: (file: string) => boolean): Profile {
  return labelUnshownTime(labelModuleLoading(profile, isTool), isTool);
}

/**
 * `session` with {@linkcode labelRuntimeTime} applied to each profile, its
 * `meta.toolPaths` telling tsprof's files; the same session when none
 * changes.
 *
 * @example
 * ```ts
 * import { sessionWithRuntimeLabels } from "./runtime_time.ts";
 * import type { Session } from "../format/types.ts";
 * const shown = (s: Session) => sessionWithRuntimeLabels(s);
 * ```
 */
export function sessionWithRuntimeLabels(session: Session): Session {
  const tools = session.meta.toolPaths ?? [];
  const isTool = (file: string) => tools.some((t) => file.startsWith(t));
  const profiles = session.profiles.map((p) => labelRuntimeTime(p, isTool));
  return profiles.every((p, i) => p === session.profiles[i]) ? session : { ...session, profiles };
}
