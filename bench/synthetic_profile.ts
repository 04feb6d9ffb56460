/**
 * Synthetic profiles of any size that look like real ones to the HTML
 * report: a fixed program of functions (app code, packages, runtime
 * internals) whose call graph is walked by a stack that drifts from sample
 * to sample, about 40 frames deep, with stretches of idle time. Seeded, so
 * every run measures the same profile.
 *
 * @module
 */
import { ProfileBuilder } from "../src/format/builder.ts";
import type { Frame, Session } from "../src/format/types.ts";

/** Shape of a synthetic profile. */
export interface SyntheticOptions {
  /** Number of samples (1 ms each, with jitter). */
  readonly samples: number;
  /** Number of distinct functions. @default {20000} */
  readonly functions?: number;
  /** Typical stack depth. @default {40} */
  readonly depth?: number;
  /** Seed of the generator. @default {1} */
  readonly seed?: number;
}

/**
 * A small, fast, seeded generator (mulberry32): numbers in [0, 1).
 *
 * @example
 * ```ts
 * import { prng } from "./synthetic_profile.ts";
 * const rand = prng(42); // rand() is the same sequence on every run
 * ```
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A session of one profile with `samples` samples.
 *
 * @example
 * ```ts
 * import { syntheticSession } from "./synthetic_profile.ts";
 * const session = syntheticSession({ samples: 10_000 });
 * ```
 */
export function syntheticSession(options: SyntheticOptions): Session {
  const rand = prng(options.seed ?? 1);
  const nFunctions = options.functions ?? 20_000;
  const depth = options.depth ?? 40;
  const packages = ["react-dom", "lodash", "@babel/parser", "zod", "express", "pg", "undici", "@scope/util"];
  const frames: Frame[] = [];
  for (let i = 0; i < nFunctions; i++) {
    const r = rand();
    const line = 1 + Math.floor(rand() * 900);
    if (r < 0.6) frames.push({ name: `fn${i}`, file: `/home/user/app/src/module${i % 400}.ts`, line, col: 3, kind: "js" });
    else if (r < 0.92) {
      const pkg = packages[i % packages.length]!;
      frames.push({ name: `lib${i}`, file: `/home/user/app/node_modules/${pkg}/dist/file${i % 50}.js`, line, col: 10, kind: "js" });
    } else if (r < 0.97) frames.push({ name: `internal${i}`, file: `node:internal/mod${i % 30}`, line, col: 1, kind: "js" });
    else frames.push({ name: `native${i}`, kind: "native" });
  }
  // Each function calls a few others; the first callee is the likeliest.
  const callees: Int32Array[] = [];
  for (let i = 0; i < nFunctions; i++) {
    const n = 1 + Math.floor(rand() * 4);
    const list = new Int32Array(n);
    for (let k = 0; k < n; k++) list[k] = Math.floor(rand() ** 2 * nFunctions);
    callees.push(list);
  }
  const pick = (list: Int32Array): number => {
    const r = rand();
    const k = r < 0.8 ? 0 : r < 0.93 ? 1 : r < 0.98 ? 2 : 3;
    return list[Math.min(k, list.length - 1)]!;
  };
  const b = new ProfileBuilder("main");
  const ids = frames.map((f) => b.internFrame(f));
  const idle = b.internStack(-1, b.internFrame({ name: "(idle)", kind: "idle" }));
  const gc = b.internStack(-1, b.internFrame({ name: "(garbage collector)", kind: "gc" }));
  const entries = [0, 1, 2];
  const stack: number[] = []; // stack ids, outermost first
  const fns: number[] = []; // function of each level
  let target = depth;
  let idleLeft = 0;
  for (let i = 0; i < options.samples; i++) {
    const weight = 1 + (rand() - 0.5) * 0.1;
    if (idleLeft > 0) {
      idleLeft--;
      b.addStackSample(idle, weight);
      continue;
    }
    const r = rand();
    if (r < 0.004) {
      idleLeft = Math.floor(rand() * 200);
      b.addStackSample(idle, weight);
      continue;
    }
    if (r < 0.02) {
      b.addStackSample(gc, weight);
      continue;
    }
    if (r < 0.45 && stack.length > 0) {
      b.addStackSample(stack[stack.length - 1]!, weight); // same stack as before
      continue;
    }
    // Return from a few calls, then call down again.
    let keep = stack.length - 1 - Math.floor(-Math.log(1 - rand()) * 2.5);
    if (rand() < 0.01) keep = 0;
    keep = Math.max(0, keep);
    stack.length = keep;
    fns.length = keep;
    target = Math.max(5, Math.min(depth * 2, target + Math.round((rand() - 0.5) * 6)));
    if (target < depth * 0.6) target += 4;
    while (stack.length < target) {
      const fn = stack.length === 0 ? entries[Math.floor(rand() * entries.length)]! : pick(callees[fns[fns.length - 1]!]!);
      stack.push(b.internStack(stack.length === 0 ? -1 : stack[stack.length - 1]!, ids[fn]!));
      fns.push(fn);
    }
    b.addStackSample(stack[stack.length - 1]!, weight);
  }
  const profile = b.build();
  let total = 0;
  for (const w of profile.weights) total += w;
  return {
    version: 1,
    meta: {
      runtime: "node",
      runtimeVersion: "20.0.0",
      intervalMs: 1,
      startTime: Date.UTC(2026, 0, 1),
      durationMs: total,
      command: ["synthetic.ts", String(options.samples)],
      cwd: "/home/user/app",
    },
    profiles: [profile],
  };
}
