import assert from "node:assert/strict";
import { type AwaitWait, chargeAwaits } from "../../src/async/charge_awaits.ts";
import { idleWhileWaiting } from "../../src/async/idle_while_waiting.ts";
import { awaitedName, labelAwaits } from "../../src/async/label_awaits.ts";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { type Frame, IDLE_FRAME, type Profile, profileTotal } from "../../src/format/types.ts";
import { test } from "../harness.ts";

const fn = (name: string, line: number): Frame => ({ name, file: "/app/a.ts", line, col: 1, kind: "js" });
const main = fn("main", 1);
const load = fn("load", 10);
const wait = (start: number, end: number, stack: Frame[], line: number): AwaitWait => ({ start, end, stack, at: { file: "/app/a.ts", line, col: 3 } });

/** Milliseconds by stack, written `a > b > [await]`. */
function byStack(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  p.samples.forEach((s, i) => {
    const key = s < 0 ? "" : stackFrames(p, s).map((f) => f.name).join(" > ");
    out.set(key, (out.get(key) ?? 0) + p.weights[i]!);
  });
  return out;
}

function idleThenWork(idleMs: number): Profile {
  const b = new ProfileBuilder("main");
  for (let t = 0; t < idleMs; t++) b.addSample([IDLE_FRAME], 1);
  b.addSample([main, fn("work", 5)], 10);
  return b.build();
}

test("chargeAwaits() moves idle time under the awaiting stack and keeps the total", () => {
  const p = chargeAwaits(idleThenWork(100), 1000, [wait(1020, 1070.5, [main], 2)]);
  const m = byStack(p);
  assert.equal(m.get("main > [await]"), 50.5);
  assert.equal(m.get("(idle)"), 49.5);
  assert.equal(m.get("main > work"), 10, "CPU samples are never charged");
  assert.equal(profileTotal(p), 110);
});

test("chargeAwaits() charges a wait the sampler took no idle samples of (no CPU), from the sample it began in", () => {
  // 1 ms samples, then the one before a 100 ms wait stands for it all (the sampler's next came after),
  // then load's own work after the wait, also sampled late, while main still awaits load.
  const b = new ProfileBuilder("main");
  for (let t = 0; t < 10; t++) b.addSample([main, load], 1);
  b.addSample([main, load, fn("setTimeout", 20)], 101);
  for (let t = 0; t < 10; t++) b.addSample([main, load, fn("work", 5)], 1);
  b.addSample([main, load, fn("work", 5)], 30);
  const p = chargeAwaits(b.build(), 0, [wait(11, 111, [main, load], 11), wait(10.5, 151, [main], 2)]);
  const m = byStack(p);
  assert.equal(m.get("main > load > [await]"), 100);
  assert.equal(m.get("main > [await]"), 0.5, "the outer wait's own start: half a millisecond");
  assert.equal(m.get("main > load > setTimeout"), 0.5);
  assert.equal(m.get("main > load > work"), 40, "work after the wait stays work, though main still awaits");
  assert.equal(profileTotal(p), 151);
});

test("idleWhileWaiting() moves a long sample's waiting part to an idle sample after it, keeping the stack table and the total", () => {
  const main: Frame = { name: "main", file: "/app/a.ts", line: 1, col: 16, kind: "js" };
  const b = new ProfileBuilder("main");
  b.addSample([main], 1);
  b.addSample([main], 101);
  b.addSample([main], 1);
  const p = b.build();
  const out = idleWhileWaiting(p, 0, [{ start: 2, end: 102 }], 2);
  assert.deepEqual([...out.weights], [1, 1, 100, 1]);
  assert.deepEqual(Array.from(out.samples, (s) => stackFrames(out, s).map((f) => f.name).join(";")), ["main", "main", "(idle)", "main"]);
  assert.equal(out.stacks.length, p.stacks.length + 1, "one idle stack added, the others kept");
  assert.equal(profileTotal(out), profileTotal(p));
  assert.equal(idleWhileWaiting(out, 0, [{ start: 2, end: 102 }], 2), out, "nothing left to move: the same profile");
});

test("chargeAwaits() charges the innermost await, not the callers awaiting it", () => {
  const p = chargeAwaits(idleThenWork(100), 0, [wait(0, 100, [main], 2), wait(10, 90, [main, load], 11)]);
  const m = byStack(p);
  assert.equal(m.get("main > load > [await]"), 80);
  assert.equal(m.get("main > [await]"), 20);
  assert.equal(m.get("(idle)"), undefined);
});

test("chargeAwaits() splits concurrent waits so that they never exceed the wall time", () => {
  // Promise.all of 100, 200 and 300 ms under main.
  const a = fn("a", 20);
  const stack = [main, a];
  const p = chargeAwaits(idleThenWork(300), 0, [wait(0, 300, [main], 2), wait(0, 100, stack, 21), wait(0, 200, stack, 22), wait(0, 300, stack, 23)]);
  const frames = p.frames;
  const at = (line: number) => {
    let ms = 0;
    p.samples.forEach((s, i) => {
      const f = frames[p.stacks.frame[s]!]!;
      if (f.name === "[await]" && f.line === line) ms += p.weights[i]!;
    });
    return ms;
  };
  assert.ok(Math.abs(at(21) - 100 / 3) < 1e-9);
  assert.ok(Math.abs(at(22) - (100 / 3 + 50)) < 1e-9);
  assert.ok(Math.abs(at(23) - (100 / 3 + 50 + 100)) < 1e-9);
  assert.equal(at(2), 0);
  assert.ok(Math.abs(profileTotal(p) - 310) < 1e-9);
});

test("chargeAwaits() gives each concurrent wait one block of its share while the same waits share the time, in time order", () => {
  // Promise.all of 100, 200 and 300 ms, sampled every millisecond: a timeline reads the samples in
  // order, and a third of every sample to each wait in turn made slices too thin to show.
  const a = fn("a", 20);
  const p = chargeAwaits(idleThenWork(300), 0, [wait(0, 100, [main, a], 21), wait(0, 200, [main, a], 22), wait(0, 300, [main, a], 23)]);
  const blocks = Array.from(p.samples, (s, i) => {
    const f = p.frames[p.stacks.frame[s]!]!;
    return `${f.name === "[await]" ? f.line : f.name} ${p.weights[i]!.toFixed(1)}`;
  });
  assert.deepEqual(blocks, ["21 33.3", "22 33.3", "23 33.3", "22 50.0", "23 50.0", "23 100.0", "work 10.0"]);
  assert.ok(Math.abs(profileTotal(p) - 310) < 1e-9);
});

test("chargeAwaits() leaves idle time no await covers as (idle)", () => {
  const p = chargeAwaits(idleThenWork(100), 0, [wait(200, 300, [main], 2)]);
  assert.equal(byStack(p).get("(idle)"), 100);
});

test("chargeAwaits() gives the runtime's own work during waits to the waits, its frames above the [await]", () => {
  // readFile's internals between the sampler's idle samples: Node's frames only, no program's.
  const ticks: Frame = { name: "processTicksAndRejections", kind: "js", file: "node:internal/process/task_queues" };
  const read: Frame = { name: "readFileHandle", kind: "js", file: "node:internal/fs/promises" };
  const b = new ProfileBuilder("main");
  b.addSample([IDLE_FRAME], 10);
  b.addSample([ticks, read], 20);
  b.addSample([IDLE_FRAME], 10);
  // After the waits: the runtime's work stays where it was.
  b.addSample([ticks, read], 5);
  const p = chargeAwaits(b.build(), 0, [wait(0, 30, [main, load], 11), wait(10, 40, [main, fn("other", 20)], 21)]);
  assert.deepEqual(Object.fromEntries(byStack(p)), {
    "main > load > [await]": 10,
    "main > load > [await] > processTicksAndRejections > readFileHandle": 10,
    "main > other > [await]": 10,
    "main > other > [await] > processTicksAndRejections > readFileHandle": 10,
    "processTicksAndRejections > readFileHandle": 5,
  });
  assert.equal(profileTotal(p), 45);
});

test("chargeAwaits() puts a function's work after an await under its callers, as its first run and its wait", () => {
  const handler = fn("handler", 20);
  const spin = fn("spin", 30);
  const tick = { name: "processTicksAndRejections", file: "node:internal/process/task_queues", line: 72, col: 35, kind: "js" } as const;
  const b = new ProfileBuilder("main");
  b.addSample([main, handler, spin], 5); // the first run, under main
  b.addSample([IDLE_FRAME], 30); // handler waits
  b.addSample([handler, spin], 10); // resumed from the microtask queue
  b.addSample([tick, handler], 2); // resumed under the runtime's frames
  b.addSample([fn("other", 40)], 3); // no wait of its own: left as it is
  const p = chargeAwaits(b.build(), 0, [wait(5, 35, [main, handler], 21)]);
  const m = byStack(p);
  assert.equal(m.get("main > handler > spin"), 15);
  assert.equal(m.get("main > handler"), 2);
  assert.equal(m.get("main > handler > [await]"), 30);
  assert.equal(m.get("other"), 3);
  assert.equal(m.get("handler > spin"), undefined, "nothing is left at the root");
  assert.equal(profileTotal(p), 50);
});

test("chargeAwaits() puts resumed work under the callers below Bun's own JavaScript, which has no file", () => {
  const handler = fn("handler", 20);
  // JavaScriptCore's microtask runner: a JS frame with no file (Bun's builtins have none).
  const tick = { name: "processTicksAndRejections", kind: "js" } as const;
  const b = new ProfileBuilder("main");
  b.addSample([IDLE_FRAME], 30);
  b.addSample([tick, handler], 4);
  const m = byStack(chargeAwaits(b.build(), 0, [wait(1, 30, [main, handler], 21)]));
  assert.equal(m.get("main > handler"), 4);
  assert.equal(m.get("processTicksAndRejections > handler"), undefined);
});

test("chargeAwaits() puts resumed work under the callers even where the clocks put its first sample before the wait's end", () => {
  const handler = fn("handler", 20);
  const b = new ProfileBuilder("main");
  b.addSample([IDLE_FRAME], 30);
  b.addSample([handler], 4); // [30, 34): the wait ended at 34.5 by the waits' clock
  const m = byStack(chargeAwaits(b.build(), 0, [wait(1, 34.5, [main, handler], 21)]));
  assert.equal(m.get("main > handler"), 4);
});

test("chargeAwaits() puts resumed work under the callers of the wait that ended just before it", () => {
  const handler = fn("handler", 20);
  const [routeA, routeB] = [fn("routeA", 50), fn("routeB", 60)];
  const b = new ProfileBuilder("main");
  b.addSample([IDLE_FRAME], 10);
  b.addSample([handler], 4); // after the wait under routeA
  b.addSample([IDLE_FRAME], 10);
  b.addSample([handler], 6); // after the wait under routeB
  const p = chargeAwaits(b.build(), 0, [wait(0, 10, [routeA, handler], 21), wait(14, 24, [routeB, handler], 21)]);
  const m = byStack(p);
  assert.equal(m.get("routeA > handler"), 4);
  assert.equal(m.get("routeB > handler"), 6);
});

test("awaitedName() names what an await waits for", () => {
  assert.equal(awaitedName("  const res = await fetch(url);", 21), "fetch");
  assert.equal(awaitedName("  await Promise.all([a(), b()]);", 9), "Promise.all");
  assert.equal(awaitedName("  await new Promise((r) => setTimeout(r, 5));", 9), "Promise");
  assert.equal(awaitedName("  for await (const x of src) n += x;", 3), "for await");
  assert.equal(awaitedName("  await this.db.query(sql);", 9), "this.db.query");
  assert.equal(awaitedName("  x = 1;", 3), "x");
  assert.equal(awaitedName("  await sleep(5);", 3), "sleep", "at the await keyword");
  assert.equal(awaitedName("  (", 3), undefined);
});

test("labelAwaits() renames [await] frames from the source, and leaves unreadable ones", () => {
  const b = new ProfileBuilder("main");
  b.addSample([main, { name: "[await]", file: "/app/a.ts", line: 2, col: 9, kind: "js" }], 5);
  b.addSample([main, { name: "[await]", file: "/gone.ts", line: 2, col: 9, kind: "js" }], 5);
  const session = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 10 }, profiles: [b.build()] };
  const out = labelAwaits(session, (f) => (f === "/app/a.ts" ? "async function main() {\n  await sleep(5);\n}" : undefined));
  assert.deepEqual(out.profiles[0]!.frames.map((f) => f.name), ["main", "[await] sleep", "[await]"]);
});
