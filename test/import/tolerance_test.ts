/**
 * What tsprof reads that is not quite right, as speedscope does, and says
 * so: numbers written as strings, references to nodes or frames that are
 * not there, odd trace events, threads told apart by their ids, file-less
 * frames that are the user's code. And what it still refuses: anything that
 * would make a wrong number.
 */
import assert from "node:assert/strict";
import { loadProfileFile } from "../../src/import/load.ts";
import { profileTotal } from "../../src/format/types.ts";
import { renderConsole } from "../../src/render/console.ts";
import { hiddenNote } from "../../src/render/hidden_note.ts";
import { processProfile } from "../../src/tree/processors.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { test } from "../harness.ts";
import { bytes } from "../_formats.ts";

const cf = (functionName: string, url = "", lineNumber = -1, scriptId = "0") => ({ functionName, scriptId, url, lineNumber, columnNumber: -1 });
const load = (data: unknown, name = "x.json") => loadProfileFile(bytes(JSON.stringify(data)), name);
const SCHEMA = "https://www.speedscope.app/file-format-schema.json";

test("speedscope numbers written as strings (dotnet-trace's startValue/endValue) are read as numbers", () => {
  const s = load({
    $schema: SCHEMA,
    shared: { frames: [{ name: "Main" }, { name: "Work" }] },
    profiles: [{ type: "evented", name: "Thread (1)", unit: "milliseconds", startValue: "0", endValue: "10.5", events: [
      { type: "O", frame: 0, at: "0" }, { type: "O", frame: "1", at: 2 }, { type: "C", frame: 1, at: 6 }, { type: "C", frame: 0, at: 8 },
    ] }],
  });
  assert.equal(profileTotal(s.profiles[0]!), 10.5);
  assert.match(renderConsole(s), /Work/);
});

test("a speedscope frame reference past the end of shared.frames is skipped with a warning; the time stays", () => {
  const s = load({
    $schema: SCHEMA,
    shared: { frames: [{ name: "main" }] },
    profiles: [{ type: "sampled", name: "main", unit: "milliseconds", startValue: 0, endValue: 3, samples: [[0], [0, 9]], weights: [1, 2] }],
  });
  assert.equal(profileTotal(s.profiles[0]!), 3);
  assert.deepEqual(s.meta.warnings, [`profile "main" refers to 1 frames that are not in "shared.frames" (9): skipped`]);
  assert.match(renderConsole(s), /^Warning: profile "main" refers to 1 frames/m);
});

test("a .cpuprofile node whose parent is missing is shown under the root, with a warning", () => {
  const s = load({
    nodes: [
      { id: 1, callFrame: cf("(root)"), children: [2] },
      { id: 2, callFrame: cf("main", "file:///a.js", 0) },
      { id: 3, callFrame: cf("lost", "file:///a.js", 5), parent: 42 },
    ],
    startTime: 0, endTime: 3000, samples: [2, 3, 77], timeDeltas: [0, 1000, 1000],
  }, "x.cpuprofile");
  assert.equal(profileTotal(s.profiles[0]!), 3);
  assert.deepEqual(s.meta.warnings, [
    "1 nodes name a parent that is not in the file (nodes 3): shown under the root",
    "1 samples name nodes that are not in the file (77): counted at the root",
  ]);
  assert.match(renderConsole(s), /lost/);
});

test("a trace that starts with an empty {} event, as WebPageTest writes, is a trace", () => {
  const profile = { nodes: [{ id: 1, callFrame: cf("(root)"), children: [2] }, { id: 2, callFrame: cf("work", "https://x.test/a.js", 1) }], startTime: 0, endTime: 2000, samples: [2, 2], timeDeltas: [0, 1000] };
  const s = load([{}, { ph: "I", name: "CpuProfile", pid: 1, tid: 1, ts: 0, args: { data: { cpuProfile: profile } } }, 42]);
  assert.equal(profileTotal(s.profiles[0]!), 2);
});

test("CpuProfile events without ids are told apart by thread: a main thread and a worker of one process", () => {
  const profile = (name: string, end: number) => ({ nodes: [{ id: 1, callFrame: cf("(root)"), children: [2] }, { id: 2, callFrame: cf(name, "https://x.test/a.js", 1) }], startTime: 0, endTime: end, samples: [2], timeDeltas: [0] });
  const s = load({ traceEvents: [
    { ph: "M", name: "thread_name", pid: 1, tid: 1, args: { name: "CrRendererMain" } },
    { ph: "M", name: "thread_name", pid: 1, tid: 2, args: { name: "DedicatedWorker thread" } },
    { ph: "I", name: "CpuProfile", pid: 1, tid: 1, ts: 0, args: { data: { cpuProfile: profile("main", 5000) } } },
    { ph: "I", name: "CpuProfile", pid: 1, tid: 2, ts: 0, args: { data: { cpuProfile: profile("worker", 3000) } } },
  ] });
  assert.deepEqual(s.profiles.map((p) => [p.name, profileTotal(p)]), [["CrRendererMain", 5], ["DedicatedWorker thread", 3]]);
});

test("a legacy .cpuprofile (a head tree, times in seconds) is read", () => {
  const s = load({
    head: { functionName: "(root)", url: "", lineNumber: 0, id: 1, children: [{ functionName: "main", url: "", lineNumber: 3, id: 2, children: [] }] },
    startTime: 10.5, endTime: 10.503, samples: [2, 2], timestamps: [10_500_500, 10_501_500],
  }, "old.cpuprofile");
  assert.equal(profileTotal(s.profiles[0]!), 3);
  assert.match(renderConsole(s), /3\.000 main|0\.003 main/);
});

test("frames are the runtime's because they say so, not for lacking a file", () => {
  const s = load({
    nodes: [
      { id: 1, callFrame: cf("(root)"), children: [2, 4, 5] },
      // Code typed into a console: no URL, but a script.
      { id: 2, callFrame: cf("typed", "", 0, "164"), children: [3] },
      // A V8 builtin: no URL, no position, script 0.
      { id: 3, callFrame: cf("JSON.parse") },
      // Node 14 named its own modules by bare URLs.
      { id: 4, callFrame: cf("Module._load", "internal/modules/cjs/loader.js", 10, "43") },
      { id: 5, callFrame: cf("emit", "events.js", 10, "44") },
    ],
    startTime: 0, endTime: 4000, samples: [3, 2, 4, 5], timeDeltas: [0, 1000, 1000, 1000],
  }, "x.cpuprofile");
  const text = renderConsole(s, { unicode: false });
  assert.match(text, /typed/);
  assert.doesNotMatch(text, /JSON\.parse|Module\._load|emit/);
  assert.ok(s.profiles[0]!.frames.some((f) => f.file === "node:internal/modules/cjs/loader"));
  // A speedscope file of another language: no files, all shown.
  const other = load({ $schema: SCHEMA, shared: { frames: [{ name: "<module>" }, { name: "solve" }] }, profiles: [{ type: "sampled", name: "MainThread", unit: "seconds", startValue: 0, endValue: 2, samples: [[0, 1], [0]], weights: [1, 1] }] });
  assert.match(renderConsole(other), /solve/);
});

test("a report whose every function is hidden says so and how to see them, instead of a blank tree", () => {
  const b = new ProfileBuilder("main");
  b.addSample([{ name: "run", file: "node:internal/main", kind: "js" }, { name: "native", kind: "native" }], 5);
  const profile = b.build();
  const note = hiddenNote(profile, processProfile(profile));
  assert.equal(note, "Nothing shown: the 5 ms of this profile are in 2 functions the report hides as runtime internals (builtins, node:/ext: code); --show-all shows everything.");
  const text = renderConsole({ version: 1, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 5 }, profiles: [profile] });
  assert.ok(text.includes(note!), text);
  assert.equal(hiddenNote(profile, processProfile(profile, { showAll: true }), { showAll: true }), undefined);
});

test("what would make a wrong number is still refused: a weight or time that is text, not a number", () => {
  const file = (weight: unknown) => ({ $schema: SCHEMA, shared: { frames: [{ name: "a" }] }, profiles: [{ type: "sampled", name: "m", unit: "milliseconds", samples: [[0]], weights: [weight] }] });
  assert.throws(() => load(file("2ms")), /"profiles\[0\]\.weights\[0\]" must be a finite number >= 0/);
  assert.throws(() => load(file("")), /"profiles\[0\]\.weights\[0\]"/);
  assert.equal(profileTotal(load(file(" 2.5 ")).profiles[0]!), 2.5);
});
