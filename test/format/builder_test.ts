import assert from "node:assert/strict";
import { compactProfile, ProfileBuilder, reinternProfile, stackFrames } from "../../src/format/builder.ts";
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

test("reinternProfile() keeps the stack table when the frames stay distinct, merges when two become one, and moves line ticks alike", () => {
  const b = new ProfileBuilder("main");
  const work = { name: "work", file: "/app/a.js", line: 3, col: 11, kind: "js" as const };
  const other = { name: "other", file: "/app/a.js", line: 9, col: 12, kind: "js" as const };
  b.addSample([{ name: "main", kind: "js" }, work], 2);
  b.addSample([{ name: "main", kind: "js" }, other], 1);
  b.addLineTime(1, 4, 2);
  b.addLineTime(2, 10, 1);
  const p = b.build();
  // Moved, still distinct: same stacks (the same table), lines through mapLine, a dropped line gone.
  const moved = p.frames.map((fr) => (fr.col === undefined ? fr : { ...fr, col: fr.col - 1 }));
  const kept = reinternProfile(p, moved, { mapLine: (fi, line) => (fi === 2 ? undefined : line + 1) });
  assert.equal(kept.stacks, p.stacks);
  assert.deepEqual(kept.frames, moved);
  assert.deepEqual([...kept.lines!], [[1, new Map([[5, 2]])]]);
  // Two frames made equal: their stacks merge, weights and line ticks add up.
  const same = p.frames.map((fr) => (fr.name === "other" ? work : fr));
  const merged = reinternProfile(p, same);
  assert.equal(merged.frames.length, 2);
  assert.equal(merged.stacks.length, 2);
  assert.equal(merged.samples[0], merged.samples[1]);
  assert.deepEqual([...merged.lines!.get(1)!], [[4, 2], [10, 1]]);
});

test("compactProfile() keeps only the stacks samples use, their frames and line ticks, and every sample's weight", () => {
  const b = new ProfileBuilder("main");
  const parser = b.internFrame({ name: "parse", file: "/tsprof/node_modules/@babel/parser/lib/index.js", line: 9, col: 1, kind: "js" });
  b.internStack(-1, parser); // start-up's own stack, which relabelling left without samples
  b.addSample([{ name: "main", file: "/app/a.ts", line: 1, col: 1, kind: "js" }, { name: "work", file: "/app/a.ts", line: 5, col: 10, kind: "js" }], 3);
  b.addSample([{ name: "main", file: "/app/a.ts", line: 1, col: 1, kind: "js" }], 2);
  const p = b.build();
  const work = p.frames.findIndex((f) => f.name === "work");
  b.addLineTime(work, 6, 3);
  const withLines = { ...b.build(), samples: p.samples, weights: p.weights };
  const c = compactProfile(withLines);
  assert.deepEqual(c.frames.map((f) => f.name), ["main", "work"]);
  assert.deepEqual(Array.from(c.samples, (s) => stackFrames(c, s).map((f) => f.name).join(" > ")), ["main > work", "main"]);
  assert.deepEqual(Array.from(c.weights), [3, 2]);
  assert.deepEqual([...(c.lines?.get(c.frames.findIndex((f) => f.name === "work")) ?? [])], [[6, 3]]);
  assert.equal(compactProfile(c), c, "nothing unused: the profile itself");
});
