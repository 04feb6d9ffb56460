import assert from "node:assert/strict";
import { detectRuntime, loadBackend } from "../../runtimes/auto.ts";
import { profile } from "../../runtimes/bound_api.ts";
import { buildCallTree, walk } from "../../src/tree/call_tree.ts";
import { isAwaitFrame } from "../../src/async/charge_awaits.ts";
import { stackFrames } from "../../src/format/builder.ts";
import { profileTotal, type Session } from "../../src/format/types.ts";
import { test } from "../harness.ts";

const runtime = detectRuntime();
// Bun has no promise hooks (docs/async.md).
const skip = runtime === "node" || runtime === "deno" ? false : `the ${runtime} library and backend record no waits`;

/** ms of [await] samples whose awaiting function is `fn`. */
function awaitedIn(session: Session, fn: string): number {
  const p = session.profiles[0]!;
  let ms = 0;
  p.samples.forEach((s, i) => {
    if (s < 0) return;
    const frames = stackFrames(p, s);
    if (isAwaitFrame(frames.at(-1)!) && frames.at(-2)?.name === fn) ms += p.weights[i]!;
  });
  return ms;
}

async function pause(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

test("profile() charges a wait to the await in the profiled function (Node, Deno)", async () => {
  const { session } = await profile(async () => {
    await pause(150);
  });
  const ms = awaitedIn(session, "pause");
  // Wide: on a loaded machine other work takes some of the samples (bench/awaits.mjs measures accuracy).
  assert.ok(ms >= 150 * 0.4 && ms <= session.meta.durationMs + 1e-6, `pause waited ${ms} of ${session.meta.durationMs} ms`);
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
    const ms = awaitedIn(session, "pause");
    assert.ok(ms >= 150 * 0.4, `pause waited ${ms} of ${session.meta.durationMs} ms`);
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
  const tree = buildCallTree(rec.profile);
  let awaited = 0;
  walk(tree, (n) => {
    if (n.frame.name === "waitInBackend") for (const c of n.children) if (c.frame.name.startsWith("[await]")) awaited += c.time;
  });
  // Wide: other work on a loaded machine takes samples too.
  assert.ok(awaited > 60, `${awaited} ms of a 150 ms wait under waitInBackend > [await]`);
  assert.ok(Math.abs(profileTotal(rec.profile) - rec.durationMs) < 1, "the total is still the wall time");
}, { skip });

async function waitInBackend(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
