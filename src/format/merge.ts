/**
 * Joins the sessions of several processes (one profiled command and the
 * processes it started) into one session with a profile per process.
 *
 * @module
 */
import type { Session, SessionMeta } from "./types.ts";

/**
 * Merges `sessions` under `meta` (the command's): profiles in the order
 * their processes started, CPU time summed, warnings kept and named after
 * their process.
 *
 * @example
 * ```ts
 * import { mergeSessions } from "./merge.ts";
 * const merged = mergeSessions([], { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 });
 * // merged.profiles.length === 0
 * ```
 */
export function mergeSessions(sessions: readonly Session[], meta: SessionMeta): Session {
  const ordered = [...sessions].sort((a, b) => a.meta.startTime - b.meta.startTime);
  let cpu: number | undefined;
  const warnings = [...(meta.warnings ?? [])];
  for (const s of ordered) {
    if (s.meta.cpuTimeMs !== undefined) cpu = (cpu ?? 0) + s.meta.cpuTimeMs;
    const name = s.profiles[0]?.name ?? "process";
    for (const w of s.meta.warnings ?? []) warnings.push(`${name}: ${w}`);
  }
  return {
    version: 1,
    meta: {
      ...meta,
      ...(cpu !== undefined && meta.cpuTimeMs === undefined ? { cpuTimeMs: cpu } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    profiles: ordered.flatMap((s) => s.profiles),
  };
}
