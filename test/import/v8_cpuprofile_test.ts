import assert from "node:assert/strict";
import { importV8CpuProfile, type V8CpuProfile } from "../../src/import/v8_cpuprofile.ts";
import { profileTotal } from "../../src/format/types.ts";
import { test } from "../harness.ts";

const cf = (functionName: string, url = "", lineNumber = -1, columnNumber = -1) => ({ functionName, url, lineNumber, columnNumber, scriptId: "1" });

const cpu: V8CpuProfile = {
  nodes: [
    { id: 1, callFrame: cf("(root)"), children: [2, 4, 5] },
    { id: 2, callFrame: cf("main", "file:///app/a%20b.ts", 9, 4), children: [3] },
    { id: 3, callFrame: cf("", "file:///app/a%20b.ts", 19, 0), positionTicks: [{ line: 21, ticks: 3 }, { line: 22, ticks: 1 }] },
    { id: 4, callFrame: cf("(idle)") },
    { id: 5, callFrame: cf("(garbage collector)") },
  ],
  startTime: 1_000_000,
  endTime: 1_010_000,
  samples: [3, 3, 2, 4, 5],
  timeDeltas: [1000, 2000, 2000, 1000, 3000],
};

test("importV8CpuProfile() weighs each sample until the next, totalling end - start", () => {
  const p = importV8CpuProfile(cpu, "main");
  assert.deepEqual(Array.from(p.weights), [3, 2, 1, 3, 1]);
  assert.equal(profileTotal(p), 10);
});

test("importV8CpuProfile() makes positions 1-based, paths plain and pseudo-frames typed", () => {
  const p = importV8CpuProfile(cpu, "main");
  const main = p.frames.find((x) => x.name === "main")!;
  assert.deepEqual(main, { name: "main", kind: "js", file: "/app/a b.ts", line: 10, col: 5 });
  assert.ok(p.frames.some((x) => x.name === "(anonymous)" && x.line === 20));
  assert.equal(p.frames.find((x) => x.name === "(idle)")?.kind, "idle");
  assert.equal(p.frames.find((x) => x.name === "(garbage collector)")?.kind, "gc");
});

test("importV8CpuProfile() spreads a node's time over its line ticks", () => {
  const p = importV8CpuProfile(cpu, "main");
  const anon = p.frames.findIndex((x) => x.name === "(anonymous)");
  const lines = p.lines?.get(anon);
  assert.ok(lines);
  assert.equal(lines.get(21), 3.75);
  assert.equal(lines.get(22), 1.25);
});

test("importV8CpuProfile() with idleGapsMs turns gaps between samples into idle time", () => {
  // Bun records no idle samples: 1 ms apart while busy, then a 50 ms await.
  const busy: V8CpuProfile = {
    nodes: [
      { id: 1, callFrame: cf("(root)"), children: [2] },
      { id: 2, callFrame: cf("work", "file:///app/w.ts", 0, 0) },
    ],
    startTime: 0,
    endTime: 63_000,
    samples: [2, 2, 2, 2],
    timeDeltas: [10_000, 1000, 50_000, 1000],
  };
  const p = importV8CpuProfile(busy, "main", { idleGapsMs: 1 });
  const idle = p.frames.findIndex((x) => x.kind === "idle");
  let idleMs = 0;
  let workMs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    if (p.stacks.frame[p.samples[i]!] === idle) idleMs += p.weights[i]!;
    else workMs += p.weights[i]!;
  }
  // Lead-in 10 ms and the 50 ms gap less one interval are idle; 63 ms in all.
  assert.equal(idleMs, 10 + 49);
  assert.equal(workMs, 4);
  assert.equal(profileTotal(p), 63);
});

test("importV8CpuProfile() with idleGapsMs counts a wait between only two samples as idle", () => {
  // Bun's sampler around `await sleep(100)`: one sample before, one after.
  const p = importV8CpuProfile({
    nodes: [
      { id: 1, callFrame: cf("(root)", "", -1, -1), children: [2] },
      { id: 2, callFrame: cf("work", "file:///app/w.ts", 0, 0) },
    ],
    startTime: 0,
    endTime: 102_000,
    samples: [2, 2],
    timeDeltas: [0, 101_000],
  }, "main", { idleGapsMs: 1 });
  const idle = p.frames.findIndex((x) => x.kind === "idle");
  let idleMs = 0;
  for (let i = 0; i < p.samples.length; i++) if (p.stacks.frame[p.samples[i]!] === idle) idleMs += p.weights[i]!;
  assert.ok(idleMs >= 99, `idle ${idleMs} ms of a 101 ms gap`);
  assert.equal(profileTotal(p), 102);
});

test("importV8CpuProfile() makes wasm that only the runtime enters (Node's TypeScript stripper) native frames, and keeps the program's wasm", () => {
  const frame = (functionName: string, url: string, lineNumber = 0, columnNumber = 0) => ({ functionName, url, lineNumber, columnNumber });
  const cpu: V8CpuProfile = {
    nodes: [
      // A stack V8 cut short (the root, then the wasm) says nothing of the caller.
      { id: 1, callFrame: frame("(root)", "", -1, -1), children: [2, 5, 7, 8] },
      { id: 2, callFrame: frame("loadESM", "node:internal/modules/esm/translators", 10, 2), children: [3] },
      { id: 3, callFrame: frame("js-to-wasm:iiii:", "wasm://wasm/00ad0bc6", 0, 2343032), children: [4] },
      { id: 4, callFrame: frame("wasm-function[2943]", "wasm://wasm/00ad0bc6", 0, 2266514) },
      { id: 5, callFrame: frame("main", "file:///app/main.js"), children: [6] },
      { id: 6, callFrame: frame("wasm-function[3]", "wasm://wasm/5e1f0a77", 0, 99) },
      { id: 7, callFrame: frame("wasm-function[2943]", "wasm://wasm/00ad0bc6", 0, 2266514) },
      // Through V8's builtin without a file: the runtime's code below it called.
      { id: 8, callFrame: frame("stripTypeScriptTypes", "node:internal/modules/typescript", 5, 2), children: [9] },
      { id: 9, callFrame: frame("js-to-wasm", "", -1, -1), children: [10] },
      { id: 10, callFrame: frame("wasm-function[105]", "wasm://wasm/00ad0bc6", 0, 578080) },
    ],
    startTime: 0,
    endTime: 3000,
    samples: [4, 6, 7],
    timeDeltas: [0, 1000, 1000],
  };
  const p = importV8CpuProfile(cpu, "main");
  const runtime = p.frames.filter((f) => /^wasm-function\[(2943|105)\]|^js-to-wasm:/.test(f.name));
  assert.deepEqual(runtime.map((f) => [f.kind, f.file]), [["native", undefined], ["native", undefined], ["native", undefined]]);
  const own = p.frames.find((f) => f.name === "wasm-function[3]")!;
  assert.equal(own.file, "wasm://wasm/5e1f0a77", "the program's wasm keeps its module");
  assert.equal(profileTotal(p), 3);
});
