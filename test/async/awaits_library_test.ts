import assert from "node:assert/strict";
import { detectRuntime, loadBackend } from "../../runtimes/auto.ts";
import { profile } from "../../runtimes/bound_api.ts";
import { isAwaitFrame } from "../../src/async/charge_awaits.ts";
import { stackFrames } from "../../src/format/builder.ts";
import { type Profile, profileTotal, type Session } from "../../src/format/types.ts";
import { test } from "../harness.ts";

const runtime = detectRuntime();
// Bun has no promise hooks (docs/async.md).
const skip = runtime === "node" || runtime === "deno" ? false : `the ${runtime} library and backend record no waits`;

/** ms of [await] samples whose awaiting function is `fn`. */
function awaitedIn(session: Session, fn: string): number {
  return split(session.profiles[0]!, fn).awaited;
}

/**
 * The session's time by what it went to: `fn`'s awaits (with what runs
 * under them), and work of the process that is neither `fn`'s nor
 * `(idle)`: the test runner's own (tsx expires its disk cache on a
 * `setImmediate`, which can run for a good part of a wait), the collector.
 */
function split(p: Profile, fn: string): { awaited: number; elsewhere: number } {
  let awaited = 0;
  let elsewhere = 0;
  p.samples.forEach((s, i) => {
    if (s < 0) return;
    const frames = stackFrames(p, s);
    const at = frames.findIndex((f) => isAwaitFrame(f));
    if (at > 0 && frames[at - 1]!.name === fn) awaited += p.weights[i]!;
    else if (!frames.some((f) => f.name === fn) && frames[0]!.kind !== "idle") elsewhere += p.weights[i]!;
  });
  return { awaited, elsewhere };
}

/**
 * Asserts that a wait of `ms` went to `fn`'s await, but for what the
 * process was busy with elsewhere meanwhile: that is not waiting.
 */
function assertWaited(p: Profile, durationMs: number, fn: string, ms: number): void {
  const { awaited, elsewhere } = split(p, fn);
  // Wide: on a loaded machine samples come late (bench/awaits.mjs measures accuracy).
  assert.ok(awaited + elsewhere >= ms * 0.8, `${fn} waited ${awaited} of ${ms} ms, with ${elsewhere} ms of work elsewhere`);
  // Within the microsecond the weights and the duration are each rounded to.
  assert.ok(awaited <= durationMs + 0.001, `${fn} waited ${awaited} ms of the profile's ${durationMs}`);
}

async function pause(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

test("profile() charges a wait to the await in the profiled function (Node, Deno)", async () => {
  const { session } = await profile(async () => {
    await pause(150);
  });
  assertWaited(session.profiles[0]!, session.meta.durationMs, "pause", 150);
  assert.ok(Math.abs(profileTotal(session.profiles[0]!) - session.meta.durationMs) < 1);
}, { skip });

test("profile() charges a wait while async_hooks are on too (AsyncLocalStorage, node:test, tracing): the runtime's dispatcher of hooks made no promise", async () => {
  const { createHook } = await import("node:async_hooks");
  // With a second set of promise hooks, Node calls each from node:internal/promise_hooks's initAll.
  const hook = createHook({ init() {} }).enable();
  try {
    const { session } = await profile(async () => {
      await pause(150);
    });
    assertWaited(session.profiles[0]!, session.meta.durationMs, "pause", 150);
  } finally {
    hook.disable();
  }
}, { skip });

test("profile() leaves waits as (idle) with async: false", async () => {
  const { Profiler } = await import("../../runtimes/bound_api.ts");
  const profiler = new Profiler({ async: false });
  await profiler.start();
  await pause(50);
  const session = await profiler.stop();
  assert.equal(awaitedIn(session, "pause"), 0);
}, { skip });

test(`the ${runtime} backend charges awaited time to the await under the awaiting function (Node, Deno, by default)`, async () => {
  const backend = await loadBackend("auto");
  await backend.start({ intervalMs: 1 });
  await waitInBackend(150);
  const rec = await backend.stop();
  assertWaited(rec.profile, rec.durationMs, "waitInBackend", 150);
  assert.ok(Math.abs(profileTotal(rec.profile) - rec.durationMs) < 1, "the total is still the wall time");
}, { skip });

async function waitInBackend(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
