import assert from "node:assert/strict";
import { machineRatio } from "../../src/diff/machine_ratio.ts";
import { diffSessions } from "../../src/diff/diff_tree.ts";
import type { Frame } from "../../src/format/types.ts";
import { test } from "../harness.ts";
import { sessionOfCounts } from "../_helpers.ts";

const model = { baseSampleMs: 1, headSampleMs: 1, noise: 0.05 };
const close = (actual: number, expected: number, within: number) => assert.ok(Math.abs(actual - expected) <= within, `${actual} is not ${expected} ± ${within}`);

test("the machine's factor follows what most functions did, not the largest one", () => {
  // The hot function (70% of the run) doubled; three small ones kept their time.
  close(machineRatio([{ base: 700, head: 1400 }, { base: 100, head: 102 }, { base: 100, head: 97 }, { base: 100, head: 100 }], model)!.ratio, 1, 0.03);
  // Every function took 1.5 times as long, each with its sampling noise.
  close(machineRatio([{ base: 700, head: 1040 }, { base: 100, head: 155 }, { base: 100, head: 147 }, { base: 100, head: 150 }], model)!.ratio, 1.5, 0.03);
  // Two functions, one doubled: as many say "no change" as say "twice as slow".
  assert.equal(machineRatio([{ base: 600, head: 1200 }, { base: 400, head: 400 }], model)!.ratio, 1);
});

test("the machine's factor leaves out functions with too few samples in either run, and is unknown without two", () => {
  assert.equal(machineRatio([{ base: 5, head: 50 }, { base: 50, head: 0 }], model), undefined);
  // One function left: its ratio is its own change as much as the machine's.
  assert.equal(machineRatio([{ base: 5, head: 50 }, { base: 200, head: 300 }], model), undefined);
  const r = machineRatio([{ base: 5, head: 50 }, { base: 200, head: 300 }, { base: 100, head: 150 }], model)!;
  close(r.ratio, 1.5, 1e-9);
  assert.equal(r.functions, 2);
  assert.ok(r.logVariance > 0);
});

test("a program of one hot function that doubled: the function is slower, though it is nearly the whole run", () => {
  const run = (work: number) => sessionOfCounts([[[main, layout], work], [[main, send], 5]], { cwd: "/app" });
  const diff = diffSessions(run(760), run(1540));
  const layoutPath = diff.root.children[0]!.children.find((c) => c.frame.name === "layout")!;
  assert.equal(layoutPath.change.confidence, "sure", JSON.stringify(layoutPath.change));
  assert.equal(diff.functions.find((f) => f.frame.name === "layout")!.self.confidence, "sure");
});

const fr = (name: string): Frame => ({ name, file: "/app/src/app.ts", line: 1, col: 1, kind: "js" });
const [main, load, save, send, helper, layout] = ["main", "load", "save", "send", "checksum", "layout"].map(fr) as [Frame, Frame, Frame, Frame, Frame, Frame];

test("a shared helper that doubled is slower under every caller, and the untouched code is not called faster", () => {
  const run = (h: number) => sessionOfCounts([[[main, load, helper], h], [[main, save, helper], h], [[main, send, helper], h], [[main, layout], 300]], { cwd: "/app" });
  const diff = diffSessions(run(300), run(600));
  for (const caller of diff.root.children[0]!.children) {
    if (caller.frame.name === "layout") assert.equal(caller.change.confidence, "noise", JSON.stringify(caller.change));
    else assert.equal(caller.change.confidence, "sure", `${caller.frame.name}: ${JSON.stringify(caller.change)}`);
  }
  assert.equal(diff.functions.find((f) => f.frame.name === "checksum")!.self.confidence, "sure");
  assert.equal(diff.functions.find((f) => f.frame.name === "layout")!.self.confidence, "noise");
});

test("a run slower as a whole has no function called slower, however its time is shared", () => {
  const run = (scale: number) => sessionOfCounts([[[main, load, helper], 300 * scale], [[main, save, helper], 300 * scale], [[main, layout], 300 * scale], [[main, send], 100 * scale]], { cwd: "/app" });
  const diff = diffSessions(run(1), run(1.6));
  assert.deepEqual(diff.functions.filter((f) => f.self.confidence !== "noise" || f.total.confidence !== "noise").map((f) => f.frame.name), []);
});
