import assert from "node:assert/strict";
import { type PromiseHooksInstaller, trackAwaits } from "../../src/async/await_tracker.ts";
import { soonTimer } from "../../runtimes/_soon.ts";
import { STACK_BURST } from "../../src/async/stack_budget.ts";
import { test } from "../harness.ts";

type Init = Parameters<PromiseHooksInstaller>[0];
type Before = Parameters<PromiseHooksInstaller>[1];

/** A tracker over hooks this test calls itself, as a runtime would for each promise. */
function handDriven(soon?: (callback: () => void) => () => void) {
  let init: Init = () => {};
  let before: Before = () => {};
  const tracker = trackAwaits(
    (i, b) => {
      init = i;
      before = b;
      return () => {};
    },
    { minMs: 1, ...(soon ? { soon } : {}) },
  );
  return { tracker, init: (p: Promise<unknown>) => init(p, Promise.resolve()), before: (p: Promise<unknown>) => before(p) };
}

// Bun has no promise hooks for the tracker, and formats a stack trace as it is taken.
const onBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
const skip = onBun ? "Bun: no promise hooks" : false;

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("trackAwaits() records the first wait after a burst that spent its budgets, a millisecond later", async () => {
  const hooks = handDriven(soonTimer);
  // Far more promises than the budgets allow: the last ones are let by without a look.
  for (let i = 0; i < STACK_BURST + 1 + 17 * 3 + 1; i++) hooks.init(Promise.resolve(i));
  await later(20);
  const waited = Promise.resolve("the wait");
  hooks.init(waited);
  await later(5);
  hooks.before(waited);
  const waits = hooks.tracker.waits();
  assert.equal(waits.length, 1, "only the wait after the burst ended");
  assert.ok(waits[0]!.end - waits[0]!.start >= 4, `${waits[0]!.end - waits[0]!.start} ms`);
  assert.match(waits[0]!.at.file, /await_tracker_test\.ts$/);
}, { skip });

test("trackAwaits() takes no stack once its budgets are spent, until time refills them", async () => {
  const hooks = handDriven(soonTimer);
  const made = Array.from({ length: 4 * STACK_BURST }, (_, i) => Promise.resolve(i));
  for (const p of made) hooks.init(p);
  await later(3);
  for (const p of made) hooks.before(p);
  // A burst of stacks, then about one every two milliseconds: never one for each promise.
  const kept = hooks.tracker.waits().length;
  assert.ok(kept >= STACK_BURST && kept < STACK_BURST + 272, `${kept} waits kept of ${made.length}`);
}, { skip });
