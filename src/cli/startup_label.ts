/**
 * After a direct run: what ran before the program's own code first ran is
 * start-up, shown as such (`src/import/startup.ts`). On Bun that is the time
 * before the first sample, which its importer leaves idle where the
 * thread's busy time does not cover it.
 *
 * @module
 */
import { MODULE_LOADING_FRAME, type Profile, type Session, TSPROF_STARTUP_FRAME, UNINSTRUMENTED_FRAME } from "../format/types.ts";
import { relabelSpan, relabelStartup, STARTUP_ENDS_AT_IDLE_MS } from "../import/startup.ts";
import type { BunThreadNote } from "./protocol.ts";

/**
 * The session with its main profile's start-up relabelled: tsprof's own
 * start as such, the rest as module loading on Node (tsx's loader thread,
 * the module loader), Deno (its start-up and module graph) and Bun, as
 * uninstrumented code with the portable backend. The program's code is any file outside node_modules
 * and outside tsprof (`toolPaths`).
 *
 * @example
 * ```ts
 * import { labelStartup } from "./startup_label.ts";
 * // session = labelStartup(session, false, ["/opt/tsprof/dist/"]);
 * ```
 */
export function labelStartup(session: Session, portable: boolean, toolPaths: readonly string[]): Session {
  const [main, ...rest] = session.profiles;
  if (!main) return session;
  const labelled = labelProfileStartup(main, portable, toolPaths, false, session.meta.runtime === "bun" && !portable);
  return labelled === main ? session : { ...session, profiles: [labelled, ...rest] };
}

/**
 * {@linkcode labelStartup} for one profile (a thread's); `keepIdle`: idle
 * samples stay. Bun's is labelled so before it is mapped: what the preload
 * ran (the parser of the `await` edits, and loading it) then needs no
 * source map read, while the idle time before the program's first sample
 * is left for its waits.
 *
 * @example
 * ```ts
 * import { labelProfileStartup } from "./startup_label.ts";
 * // profile = labelProfileStartup(profile, false, ["/opt/tsprof/dist/"]);
 * ```
 */
export function labelProfileStartup(profile: Profile, portable: boolean, toolPaths: readonly string[], keepIdle = false, bun = false): Profile {
  const isTool = (file: string) => toolPaths.some((t) => file.startsWith(t));
  const labels = { isProgram: programFileTest(toolPaths), isTool, startup: portable ? UNINSTRUMENTED_FRAME : MODULE_LOADING_FRAME, keepIdle };
  // Bun's sampler misses a short top level now and then: the program's first long wait then ends
  // the start-up. Not on Node: tsx waits as long for the transform of the entry, just before it runs.
  return relabelStartup(profile, bun ? { ...labels, endsAtIdleMs: STARTUP_ENDS_AT_IDLE_MS } : labels);
}

/**
 * Whether a file is the program's own: a path on disk, not in `node_modules`
 * and not tsprof's (`toolPaths`). The first sample in such a file ends the
 * start-up.
 *
 * @example
 * ```ts
 * import { programFileTest } from "./startup_label.ts";
 * programFileTest(["/opt/tsprof/"])("/app/main.ts"); // true
 * ```
 */
export function programFileTest(toolPaths: readonly string[]): (file: string) => boolean {
  return (file) => (file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file)) && !/[\\/]node_modules[\\/]/.test(file) && !toolPaths.some((t) => file.startsWith(t));
}

/**
 * Bun's profile with what was sampled until tsprof's preload had set up (it
 * parses the program's modules to edit their `await`s) as tsprof's
 * start-up: the parser's frames are not the program's, though Bun's
 * sampler, which cuts stacks after an `await`, shows them without tsprof's
 * below, and a program too short to be sampled leaves nothing to tell
 * where its start-up ended (see `relabelStartup`). `profileStartMs`: the
 * profile's start, epoch ms, as Bun's clock is.
 *
 * @example
 * ```ts
 * import { labelPreloadSetup } from "./startup_label.ts";
 * // profile = labelPreloadSetup(profile, cpu.startTime / 1000, noted);
 * ```
 */
export function labelPreloadSetup(profile: Profile, profileStartMs: number, noted: BunThreadNote): Profile {
  const { setupEnd, timeOrigin } = noted;
  if (typeof setupEnd !== "number" || typeof timeOrigin !== "number") return profile;
  // From the profile's start: no code of the program runs before the set-up ends. From the set-up's own
  // start, one clean-clone CI run counted the parser's module-loading samples as the program's, though
  // here they come 10 ms or more after it (the cause is not found).
  return relabelSpan(profile, 0, setupEnd - (profileStartMs - timeOrigin), TSPROF_STARTUP_FRAME);
}
