/**
 * Helpers for the portable backend's tests: run instrumented code against a
 * private recorder with a fake clock, and read the result as a tree.
 *
 * @module
 */
import { Recorder } from "../../runtimes/portable/recorder.ts";
import { instrumentSource } from "../../runtimes/portable/transform.ts";
import type { Profile } from "../../src/format/types.ts";
import { buildCallTree } from "../../src/tree/call_tree.ts";
import { dump } from "../_helpers.ts";

const KEY = Symbol.for("tsprof.portable.recorder.v1");

/** A fake clock: `now()` reads it, `tick(ms)` advances it. */
export interface FakeClock {
  now(): number;
  tick(ms: number): void;
}

/** A clock that only moves when told. */
export function fakeClock(): FakeClock {
  let t = 1000;
  return { now: () => t, tick: (ms) => void (t += ms) };
}

/**
 * Instruments `source` (a script: it puts what the test calls on `exports`),
 * runs it with `recorder` as the realm's recorder, and returns its exports.
 * In scope for the code: `tick(ms)` spends fake time; `later(ms)` resolves
 * in a later macrotask after spending `ms` outside instrumented code.
 */
export function loadInstrumented(source: string, recorder: Recorder, clock: FakeClock, file = "/app/t.js"): Record<string, (...args: never[]) => unknown> {
  const { code } = instrumentSource(source, { file, sourceType: "script", runtime: "global" });
  const g = globalThis as { [KEY]?: Recorder };
  const saved = g[KEY];
  g[KEY] = recorder;
  try {
    const exports: Record<string, (...args: never[]) => unknown> = {};
    const later = (ms = 0) => new Promise<void>((resolve) => setTimeout(() => {
      clock.tick(ms);
      resolve();
    }, 0));
    new Function("exports", "tick", "later", code)(exports, clock.tick, later);
    return exports;
  } finally {
    if (saved === undefined) delete g[KEY];
    else g[KEY] = saved;
  }
}

/** A recorder recording with a fake clock, every event checked. */
export function recording(clock: FakeClock, intervalMs = 1): Recorder {
  const r = new Recorder();
  r.startRecording({ intervalMs, clock: clock.now });
  return r;
}

/** The profile's tree as indented `name:ms` lines. */
export function treeOf(profile: Profile): string {
  return dump(buildCallTree(profile));
}
