import assert from "node:assert/strict";
import { gzipSync } from "fflate";
import { loadProfileFile } from "../../src/import/load.ts";
import { test } from "../harness.ts";
import { fixtureBytes, functionTotals, loadFixture, total } from "../_formats.ts";

/** The fixture's events: a real Chromium trace (see test/fixtures/formats/generate.mjs). */
function fixtureEvents(): Record<string, any>[] {
  return JSON.parse(new TextDecoder().decode(fixtureBytes("chrome-trace.json"))).traceEvents;
}
const text = (x: unknown) => new TextEncoder().encode(typeof x === "string" ? x : JSON.stringify(x));
const profileEvents = (events: Record<string, any>[]) => events.filter((e) => e.name === "Profile" || e.name === "ProfileChunk");

test("a Chrome trace's profile is named after its thread, and its lines become line times", () => {
  const session = loadFixture("chrome-trace.json");
  assert.equal(session.meta.runtime, "chrome");
  assert.deepEqual(session.profiles.map((p) => p.name), ["CrRendererMain"]);
  const p = session.profiles[0]!;
  // spinA's loop is its busiest line; the trace says so sample by sample.
  const spinA = p.frames.findIndex((f) => f.name === "spinA");
  const lines = p.lines?.get(spinA);
  assert.ok(lines && lines.size > 0, "spinA has line times");
  const busiest = [...lines].sort((a, b) => b[1] - a[1])[0]!;
  assert.ok(busiest[1] > 0.5 * functionTotals(p).get("spinA")!, `line ${busiest[0]} holds most of spinA`);
});

test("a Chrome trace loads the same as a bare array of events, cut short or gzipped", () => {
  const events = fixtureEvents();
  const whole = loadFixture("chrome-trace.json");
  // A recording stopped early leaves the array open, with a trailing comma.
  const open = `[${events.map((e) => JSON.stringify(e)).join(",\n")},\n`;
  for (const [name, bytes] of [
    ["array.json", text(events)],
    ["open.json", text(open)],
    ["trace.json.gz", gzipSync(text({ traceEvents: events }))],
  ] as const) {
    const s = loadProfileFile(bytes, name);
    assert.equal(s.profiles.length, 1, name);
    assert.equal(total(s.profiles[0]!), total(whole.profiles[0]!), name);
  }
});

test("each profiled thread of a trace is a profile, the busiest first, same names told apart", () => {
  const events = fixtureEvents();
  const main = profileEvents(events);
  const pid = main[0]!.pid;
  // A second process whose renderer thread was also profiled, for half the samples,
  // and a worker thread with a profile of its own in the first process.
  const half = main.map((e) => e.name !== "ProfileChunk" ? e : {
    ...e,
    args: { data: { ...e.args.data, cpuProfile: { ...e.args.data.cpuProfile, samples: e.args.data.cpuProfile.samples.slice(0, e.args.data.cpuProfile.samples.length >> 1) }, timeDeltas: e.args.data.timeDeltas.slice(0, e.args.data.timeDeltas.length >> 1), lines: undefined } },
  });
  const other = half.map((e) => ({ ...e, pid: pid + 1, tid: pid + 1 }));
  const worker = half.map((e) => ({ ...e, id: "0x77", tid: 4242 }));
  const names = [
    { ph: "M", name: "thread_name", pid: pid + 1, tid: pid + 1, args: { name: "CrRendererMain" } },
    { ph: "M", name: "thread_name", pid, tid: 4242, args: { name: "DedicatedWorker thread" } },
  ];
  const s = loadProfileFile(text({ traceEvents: [...events, ...names, ...other, ...worker] }), "threads.json");
  assert.equal(s.profiles.length, 3);
  assert.equal(s.profiles[0]!.name, "CrRendererMain");
  assert.deepEqual(s.profiles.slice(1).map((p) => p.name).sort(), ["CrRendererMain (2)", "DedicatedWorker thread"]);
  assert.ok(total(s.profiles[0]!) > total(s.profiles[1]!));
});

test("the older trace form, one CpuProfile event with the whole profile, loads too", () => {
  const v8 = JSON.parse(new TextDecoder().decode(fixtureBytes("chrome.cpuprofile")));
  const trace = [{ ph: "I", name: "CpuProfile", pid: 1, tid: 7, ts: 0, cat: "disabled-by-default-devtools.timeline", args: { data: { cpuProfile: v8 } } }];
  const s = loadProfileFile(text(trace), "old.json");
  assert.equal(s.profiles[0]!.name, "thread 7");
  assert.ok(Math.abs(total(s.profiles[0]!) - total(loadFixture("chrome.cpuprofile").profiles[0]!)) < 1e-6);
});

test("a broken trace is refused with the event and field named", () => {
  const events = fixtureEvents();
  const i = events.findIndex((e) => e.name === "ProfileChunk");
  const broken = events.slice();
  broken[i] = { ...broken[i], args: { data: { ...broken[i]!.args.data, cpuProfile: { nodes: 3 } } } };
  assert.throws(() => loadProfileFile(text({ traceEvents: broken }), "bad.json"), new RegExp(`bad\\.json: "traceEvents\\[${i}\\]\\.args\\.data\\.cpuProfile\\.nodes" must be an array`));
});

test("a sample naming a node that no chunk defined is counted at the root, with a warning naming it", () => {
  const events = fixtureEvents();
  const i = events.findIndex((e) => e.name === "ProfileChunk");
  const before = loadProfileFile(text({ traceEvents: events }), "fine.json");
  const stray = events.slice();
  const data = stray[i]!.args.data;
  const samples = data.cpuProfile.samples.slice();
  samples[0] = 999_999;
  stray[i] = { ...stray[i], args: { data: { ...data, cpuProfile: { ...data.cpuProfile, samples } } } };
  const s = loadProfileFile(text({ traceEvents: stray }), "stray.json");
  assert.match(s.meta.warnings?.join("\n") ?? "", /1 samples name nodes that are not in the file \(999999\): counted at the root/);
  assert.ok(Math.abs(total(s.profiles[0]!) - total(before.profiles[0]!)) < 1e-6, "the same total");
});
