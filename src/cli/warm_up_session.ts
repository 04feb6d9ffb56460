/**
 * A made-up session shaped like a real run's, for the report's warm-up
 * (`warmUpReport` in run_report.ts): the program's functions, a library's,
 * the runtime's, garbage collection and idle time, stacks a few dozen deep.
 * Its files do not exist, so nothing reads, maps or caches anything for it.
 *
 * @module
 */
import { ProfileBuilder } from "../format/builder.ts";
import { type Frame, GC_FRAME, IDLE_FRAME, PROGRAM_FRAME, type Session } from "../format/types.ts";

/** Under a root no machine has: the warm-up must never find a real file. */
const ROOT = "/nonexistent-tsprof-warm-up";
const SAMPLES = 3000;
const MAX_DEPTH = 48;

/**
 * The session, the same every time (a fixed pseudo-random walk).
 *
 * @example
 * ```ts
 * import { warmUpSession } from "./warm_up_session.ts";
 * const s = warmUpSession(Date.now());
 * s.profiles[0]!.samples.length; // 3000
 * ```
 */
export function warmUpSession(startTime: number): Session {
  const app = Array.from({ length: 40 }, (_, i): Frame => ({ name: `app${i}`, file: `${ROOT}/src/app${i % 5}.ts`, line: 10 + i, col: 3, kind: "js" }));
  const lib = Array.from({ length: 80 }, (_, i): Frame => ({ name: `lib${i}`, file: `${ROOT}/node_modules/lib/dist/index.js`, line: 100 + i, col: 12, kind: "js" }));
  const runtime = Array.from({ length: 10 }, (_, i): Frame => ({ name: `internal${i}`, file: "node:internal/warm_up", line: 1 + i, col: 1, kind: "js" }));
  const b = new ProfileBuilder("main");
  let seed = 0x2545f491;
  // xorshift32: deterministic, no state outside this call.
  const next = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const stack: Frame[] = [app[0]!];
  for (let i = 0; i < SAMPLES; i++) {
    const r = next(100);
    if (r < 8) b.addSample([IDLE_FRAME], 1);
    else if (r < 11) b.addSample([GC_FRAME], 1);
    else if (r < 13) b.addSample([PROGRAM_FRAME], 1);
    else {
      // A walk: deeper, shallower or sideways, so stacks share their callers as real ones do.
      const step = next(3);
      if (step === 0 && stack.length < MAX_DEPTH) {
        const pool = stack.length > 6 && next(2) === 0 ? lib : next(8) === 0 ? runtime : app;
        stack.push(pool[next(pool.length)]!);
      } else if (step === 1 && stack.length > 1) stack.pop();
      else if (stack.length > 1) stack[stack.length - 1] = app[next(app.length)]!;
      b.addSample(stack, 1);
    }
  }
  return {
    version: 1,
    meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime, durationMs: SAMPLES, command: [`${ROOT}/src/app0.ts`], cwd: ROOT },
    profiles: [b.build()],
  };
}
