/**
 * Where tsprof's time goes after the profiled program ends, for the bench
 * (bench/real_overhead.mjs): with `TSPROF_TIMINGS=<file>` in the
 * environment, each process appends one JSON line of `{ "<scope>.<phase>": ms }`
 * to that file (and `<scope>.<phase>.cpu`: the process's CPU ms meanwhile). Without it, marks cost a property check and nothing is
 * written.
 *
 * @module
 */
import { appendFileSync } from "node:fs";
import process from "node:process";

/** Environment variable naming the file the phases are appended to. */
export const TIMINGS_ENV = "TSPROF_TIMINGS";

/** Records phases one after another; see {@linkcode phaseTimer}. */
export interface PhaseTimer {
  /** Ends the phase named `phase`: the time since the previous mark (or the start). */
  mark(phase: string): void;
  /** Records the time since the start under `phase` (a running total). */
  total(phase: string): void;
  /** Appends the phases to the file, once. */
  flush(): void;
}

const NONE: PhaseTimer = { mark() {}, total() {}, flush() {} };

/**
 * A timer whose phases are named `<scope>.<phase>`, started now; a no-op
 * unless `file` (by default `$TSPROF_TIMINGS`) is set.
 *
 * @example
 * ```ts
 * import { phaseTimer } from "./timings.ts";
 * const t = phaseTimer("cli", undefined);
 * t.mark("read");
 * t.flush(); // writes nothing: no file
 * ```
 */
export function phaseTimer(scope: string, file: string | undefined = process.env[TIMINGS_ENV]): PhaseTimer {
  if (!file) return NONE;
  // CPU time beside wall time: on a loaded machine it is the steadier measure.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const start = [performance.now(), cpuMs()] as const;
  let last = start;
  const phases: Record<string, number> = {};
  let flushed = false;
  const put = (name: string, from: readonly [number, number], now: readonly [number, number]) => {
    phases[`${scope}.${name}`] = (phases[`${scope}.${name}`] ?? 0) + (now[0] - from[0]);
    phases[`${scope}.${name}.cpu`] = (phases[`${scope}.${name}.cpu`] ?? 0) + (now[1] - from[1]);
  };
  return {
    mark(phase) {
      const now = [performance.now(), cpuMs()] as const;
      put(phase, last, now);
      last = now;
    },
    total(phase) {
      put(phase, start, [performance.now(), cpuMs()]);
    },
    flush() {
      if (flushed) return;
      flushed = true;
      try {
        appendFileSync(file, `${JSON.stringify(phases)}\n`);
      } catch {
        // A bench aid: never a reason to fail a run.
      }
    },
  };
}
