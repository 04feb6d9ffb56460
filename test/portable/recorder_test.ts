import assert from "node:assert/strict";
import { Recorder } from "../../runtimes/portable/recorder.ts";
import { profileTotal } from "../../src/format/types.ts";
import { test } from "../harness.ts";
import { fakeClock, loadInstrumented, recording, treeOf } from "./_portable.ts";

test("Recorder charges each stretch of time to the stack that ran it, weighted by elapsed time", () => {
  const clock = fakeClock();
  const r = recording(clock);
  const idA = r.registerFrames("/app/a.ts", ["a", 1, 1, "b", 5, 1]);
  const idB = idA + 1;
  const da = r.enter(idA);
  clock.tick(3);
  const db = r.enter(idB);
  clock.tick(5);
  r.exit(db);
  clock.tick(2);
  r.exit(da);
  clock.tick(4);
  const profile = r.stopRecording();
  assert.equal(treeOf(profile), ["a:10", "  b:5", "(idle):4"].join("\n"));
  assert.equal(profileTotal(profile), 14);
});

test("Recorder samples only once an interval has passed, and the weights still add up to the wall time", () => {
  const clock = fakeClock();
  const r = recording(clock, 1);
  const f = r.registerFrames("/app/a.ts", ["f", 1, 1]);
  for (let i = 0; i < 100; i++) {
    const d = r.enter(f);
    clock.tick(0.25);
    r.exit(d);
    clock.tick(0.05);
  }
  const profile = r.stopRecording();
  // 30 ms of events 0.3 ms apart: about one sample a millisecond, not 200.
  assert.ok(profile.samples.length >= 25 && profile.samples.length <= 35, `${profile.samples.length} samples`);
  assert.ok(Math.abs(profileTotal(profile) - 30) < 1e-9, `total ${profileTotal(profile)}`);
});

test("Recorder starts at the time it is given, so the weights add up to a duration measured from there", () => {
  const clock = fakeClock();
  const r = new Recorder();
  const start = clock.now();
  // The thread was descheduled between the backend's clock read and the start.
  clock.tick(18);
  r.startRecording({ intervalMs: 1, clock: clock.now, start });
  clock.tick(2);
  const profile = r.stopRecording();
  assert.equal(profileTotal(profile), clock.now() - start);
});

test("Recorder charges a burst that no tick saw to the burst, not to the idle time after it", () => {
  const clock = fakeClock();
  const r = new Recorder();
  // A ticker that lags: no tick comes during the bursts.
  const ticks = new Int32Array(1);
  r.startRecording({ intervalMs: 1, clock: clock.now, ticks });
  const [callback, burn] = [0, 1].map((i) => r.registerFrames("/app/a.ts", ["callback", 1, 1, "burn", 5, 1]) + i);
  for (let i = 0; i < 10; i++) {
    clock.tick(9);
    const dc = r.enter(callback!);
    const db = r.enter(burn!);
    clock.tick(1);
    r.exit(db);
    r.exit(dc);
    // A burst shorter than half an interval is left to the ticks.
    const short = r.enter(callback!);
    clock.tick(0.25);
    r.exit(short);
    r.idleTick();
  }
  const profile = r.stopRecording();
  assert.equal(treeOf(profile), ["(idle):92.5", "callback:10", "  burn:10"].join("\n"));
});

test("Recorder keeps its shadow stack while not recording, so a recording can start mid-call", () => {
  const clock = fakeClock();
  const r = new Recorder();
  const outer = r.registerFrames("/app/a.ts", ["outer", 1, 1]);
  const d = r.enter(outer);
  r.startRecording({ intervalMs: 1, clock: clock.now });
  clock.tick(7);
  r.exit(d);
  assert.equal(treeOf(r.stopRecording()), "outer:7");
});

test("Recorder.idleTick() records idle time as it passes, a late timer's busy part as uninstrumented code, and clears a leftover stack", () => {
  const clock = fakeClock();
  const r = recording(clock);
  const f = r.registerFrames("/app/a.ts", ["leftover", 1, 1]);
  r.enter(f); // a module that threw never exits; the event loop runs nothing of it
  clock.tick(10);
  r.idleTick(clock.now());
  assert.equal(r.depth, 0);
  clock.tick(10);
  r.idleTick(clock.now());
  let due = clock.now() + 10;
  clock.tick(40); // 30 ms late, 25 ms of it busy: uninstrumented code ran
  r.idleTick(due, 25);
  due = clock.now() + 10;
  clock.tick(40); // 30 ms late, with no CPU time: the process waited
  r.idleTick(due, 0);
  due = clock.now() + 10;
  clock.tick(40); // a runtime that cannot tell: idle
  r.idleTick(due);
  const profile = r.stopRecording();
  assert.equal(treeOf(profile), ["(idle):115", "(uninstrumented code):25"].join("\n"));
  assert.equal(profileTotal(profile), 140);
});

test("Recorder refuses to stop when not recording and a bad interval, naming the field", () => {
  const r = new Recorder();
  assert.throws(() => r.stopRecording(), /not recording/);
  assert.throws(() => r.startRecording({ intervalMs: 0, clock: () => 0 }), (e: unknown) => e instanceof RangeError && /intervalMs/.test(e.message));
});

test("instrumented functions nest on the shadow stack with their names", () => {
  const clock = fakeClock();
  const r = recording(clock);
  const m = loadInstrumented(
    `
    function leaf() { tick(4); }
    const middle = () => { tick(1); leaf(); };
    class Service { run() { middle(); tick(2); } }
    exports.main = function () { new Service().run(); };
    `,
    r,
    clock,
  );
  m.main!();
  assert.equal(treeOf(r.stopRecording()), ["exports.main:7", "  run:7", "    middle:5", "      leaf:4"].join("\n"));
});

test("an exception unwinds the shadow stack to the function that catches it", () => {
  const clock = fakeClock();
  const r = recording(clock);
  const m = loadInstrumented(
    `
    function thrower() { tick(1); throw new Error("boom"); }
    function between() { thrower(); }
    function catcher() {
      try { between(); } catch (e) { tick(3); }
      tick(2);
    }
    exports.catcher = catcher;
    `,
    r,
    clock,
  );
  m.catcher!();
  assert.equal(r.depth, 0);
  assert.equal(treeOf(r.stopRecording()), ["catcher:6", "  between:1", "    thrower:1"].join("\n"));
});

for (const awaits of [true, false]) {
  test(`an async function is charged while it runs, not while it awaits; it resumes under its callers${awaits ? "; the wait goes to its await" : " (awaits: false)"}`, async () => {
    const clock = fakeClock();
    const r = recording(clock, 1, awaits);
    const m = loadInstrumented(
      `
      async function fetchData() { tick(2); await later(50); tick(3); return 1; }
      async function main() { tick(1); const v = await fetchData(); tick(4); return v; }
      exports.main = main;
      `,
      r,
      clock,
    );
    const p = m.main!() as Promise<number>;
    assert.equal(r.depth, 0, "after the first await, nothing of main is on the stack");
    assert.equal(await p, 1);
    const tree = treeOf(r.stopRecording());
    // The 50 ms wait: fetchData's await (main's await on fetchData is covered by it).
    assert.equal(tree, (awaits ? ["main:60", "  fetchData:55", "    [await]:50"] : ["(idle):50", "main:10", "  fetchData:5"]).join("\n"));
  });
}

test("concurrent async calls are each charged under their own caller", async () => {
  const clock = fakeClock();
  const r = recording(clock);
  const m = loadInstrumented(
    `
    async function a() { await later(); tick(5); }
    async function b() { await later(); tick(7); }
    async function main() { await Promise.all([a(), b()]); }
    exports.main = main;
    `,
    r,
    clock,
  );
  await m.main!();
  assert.equal(treeOf(r.stopRecording()), ["main:12", "  b:7", "  a:5"].join("\n"));
});

test("a rejected await caught in the function puts it back on the stack", async () => {
  const clock = fakeClock();
  const r = recording(clock);
  const m = loadInstrumented(
    `
    async function fails() { await null; throw new Error("no"); }
    async function handler() {
      try { await fails(); } catch (e) { tick(6); } finally { tick(1); }
      tick(2);
    }
    exports.handler = handler;
    `,
    r,
    clock,
  );
  await m.handler!();
  assert.equal(r.depth, 0);
  assert.equal(treeOf(r.stopRecording()), "handler:9");
});

test("a generator runs on top of whoever calls next(), and only while it runs", () => {
  const clock = fakeClock();
  const r = recording(clock);
  const m = loadInstrumented(
    `
    function* numbers() { tick(1); yield 1; tick(2); yield 2; tick(3); }
    function consumer() { let s = 0; for (const n of numbers()) { s += n; tick(10); } return s; }
    exports.consumer = consumer;
    `,
    r,
    clock,
  );
  assert.equal(m.consumer!(), 3);
  assert.equal(r.depth, 0);
  assert.equal(treeOf(r.stopRecording()), ["consumer:26", "  numbers:6"].join("\n"));
});

test("for await suspends the loop's function while it waits for the next value", async () => {
  const clock = fakeClock();
  const r = recording(clock);
  const m = loadInstrumented(
    `
    async function* source() { for (let i = 0; i < 3; i++) { await later(100); tick(1); yield i; } }
    async function sum() { let s = 0; outer: for await (const x of source()) { tick(2); s += x; if (x === 1) continue outer; } tick(5); return s; }
    exports.sum = sum;
    `,
    r,
    clock,
  );
  assert.equal(await m.sum!(), 3);
  assert.equal(r.depth, 0);
  // The loop's waits are the generator's awaits (the loop's own is covered by them).
  assert.equal(treeOf(r.stopRecording()), ["sum:314", "  source:303", "    [await]:300"].join("\n"));
});
