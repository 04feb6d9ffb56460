/**
 * `tsprof -- <command>` reports the command's wall time, but each process
 * records only from the moment its profiler started to its end: the time
 * the runtime took to start, a process tsprof cannot profile (a shell,
 * Deno's type check before `deno test` runs), the gaps between processes,
 * belonged to no profile, and the rows came up short of the duration. That
 * time is shown as `(not profiled)` in the first process's profile: before
 * its samples what passed before any process recorded, after them the rest.
 *
 * @module
 */
import { internInto, ProfileBuilder } from "../format/builder.ts";
import { NOT_PROFILED_FRAME, type Profile, profileTotal, type Session } from "../format/types.ts";

/**
 * The time of [`startTime`, `startTime + durationMs`) (epoch ms) that no
 * session's recording covered, as its part before the first recording and
 * the rest.
 *
 * @example
 * ```ts
 * import { uncoveredTime } from "./unprofiled_time.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * const s = (startTime: number, durationMs: number) => {
 *   const b = new ProfileBuilder("main");
 *   b.addSample([{ name: "main", kind: "js" }], durationMs);
 *   return { version: 1, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime, durationMs }, profiles: [b.build()] };
 * };
 * uncoveredTime([s(150, 300), s(500, 100)], 100, 600); // { before: 50, after: 150 }
 * ```
 */
export function uncoveredTime(sessions: readonly Session[], startTime: number, durationMs: number): { before: number; after: number } {
  const end = startTime + durationMs;
  const spans = sessions
    .map((s) => [Math.max(startTime, s.meta.startTime), Math.min(end, s.meta.startTime + s.meta.durationMs)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  if (spans.length === 0) return { before: 0, after: 0 };
  let covered = 0;
  let [from, to] = spans[0]!;
  for (const [a, b] of spans.slice(1)) {
    if (a > to) {
      covered += to - from;
      [from, to] = [a, b];
    } else to = Math.max(to, b);
  }
  covered += to - from;
  // A process's start is known only as closely as its runtime tells it (Deno's is noted once its
  // preload runs, after its profile began): never more than the longest recording leaves.
  const longest = Math.max(...sessions.map((s) => s.profiles.reduce((m, p) => Math.max(m, profileTotal(p)), 0)));
  const uncovered = Math.max(0, Math.min(durationMs - covered, durationMs - longest));
  const before = Math.min(uncovered, spans[0]![0] - startTime);
  return { before, after: uncovered - before };
}

/**
 * `profile` with a `(not profiled)` sample of `before` ms first and one of
 * `after` ms last (none where 0).
 *
 * @example
 * ```ts
 * import { withUnprofiledTime } from "./unprofiled_time.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * const p = withUnprofiledTime(new ProfileBuilder("main").build(), 40, 10); // 50 ms of (not profiled)
 * ```
 */
export function withUnprofiledTime(profile: Profile, before: number, after: number): Profile {
  if (before <= 0 && after <= 0) return profile;
  const b = new ProfileBuilder(profile.name);
  const { frameId, stackId } = internInto(profile, profile.frames, b);
  if (before > 0) b.addSample([NOT_PROFILED_FRAME], before);
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    b.addStackSample(s === -1 ? -1 : stackId[s]!, profile.weights[i]!);
  }
  if (after > 0) b.addSample([NOT_PROFILED_FRAME], after);
  const built = b.build();
  if (!profile.lines) return built;
  // Line ticks are per frame index.
  const lines = new Map<number, ReadonlyMap<number, number>>();
  for (const [f, byLine] of profile.lines) lines.set(frameId[f]!, byLine);
  return { ...built, lines };
}
