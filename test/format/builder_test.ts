import assert from "node:assert/strict";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { test } from "../harness.ts";
import { f, profileOf } from "../_helpers.ts";

test("ProfileBuilder interns frames and stacks once", () => {
  const p = profileOf([["main;work", 1], ["main;work", 2], ["main", 3], ["main;other", 1]]);
  assert.equal(p.frames.length, 3);
  assert.equal(p.stacks.length, 3);
  assert.equal(p.samples.length, 4);
  assert.deepEqual(Array.from(p.weights), [1, 2, 3, 1]);
  assert.equal(p.samples[0], p.samples[1]);
});

test("stackFrames() returns a stack outermost first", () => {
  const p = profileOf([["a;b;c", 1]]);
  assert.deepEqual(stackFrames(p, p.samples[0]!).map((x) => x.name), ["a", "b", "c"]);
});

test("ProfileBuilder refuses negative and non-finite weights", () => {
  const b = new ProfileBuilder("x");
  assert.throws(() => b.addSample([f("a")], -1), RangeError);
  assert.throws(() => b.addSample([f("a")], Number.NaN), RangeError);
  assert.throws(() => b.addSample([f("a")], Infinity), RangeError);
});

test("ProfileBuilder keeps a 10,000-deep stack and an hour of samples compact", () => {
  const b = new ProfileBuilder("deep");
  const frames = Array.from({ length: 10_000 }, (_, i) => f(`fn${i % 50}@/app/deep.ts:${i % 50}`));
  b.addSample(frames, 1);
  const p = b.build();
  assert.equal(p.stacks.length, 10_000);
  assert.equal(stackFrames(p, p.samples[0]!).length, 10_000);
  // 3.6 million samples at 1 ms: stack ids and weights only, 12 bytes a sample.
  const hour = new ProfileBuilder("hour");
  const stack = [f("main"), f("work")];
  let id = -1;
  for (const fr of stack) id = hour.internStack(id, hour.internFrame(fr));
  for (let i = 0; i < 3_600_000; i++) hour.addStackSample(id, 1);
  const hp = hour.build();
  assert.equal(hp.samples.length, 3_600_000);
  assert.equal(hp.samples.byteLength + hp.weights.byteLength, 3_600_000 * 12);
});
