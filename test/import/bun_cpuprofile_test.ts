import assert from "node:assert/strict";
import { checkCpuProfile } from "../../src/import/cpuprofile_check.ts";
import { endBunProfileAt, isBunCpuProfile, normalizeBunCpuProfile } from "../../src/import/bun_cpuprofile.ts";
import { importV8CpuProfile } from "../../src/import/v8_cpuprofile.ts";
import { loadProfileFile } from "../../src/import/load.ts";
import { buildCallTree } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { bytes, fixtureBytes, total } from "../_formats.ts";
import { dump } from "../_helpers.ts";

const json = (name: string) => JSON.parse(new TextDecoder().decode(fixtureBytes(name)));
const cf = (functionName: string, url: string, lineNumber: number, columnNumber: number) => ({ functionName, scriptId: "1", url, lineNumber, columnNumber });
const URL_ = "file:///app/fib.js";

test("isBunCpuProfile() tells Bun's profiles from V8's", () => {
  assert.equal(isBunCpuProfile(checkCpuProfile(json("bun.cpuprofile"))), true);
  for (const f of ["node20.cpuprofile", "node24.cpuprofile", "deno.cpuprofile", "chrome.cpuprofile"]) {
    assert.equal(isBunCpuProfile(checkCpuProfile(json(f))), false, f);
  }
});

test("loadProfileFile() turns the long gaps of a Bun profile into idle, keeping the total", () => {
  const cpu = ({
    nodes: [
      { id: 1, callFrame: cf("(root)", "", -1, -1), children: [2] },
      { id: 2, callFrame: cf("(module)", URL_, 0, 0), children: [3] },
      { id: 3, callFrame: cf("work", URL_, 3, 13), positionTicks: [{ line: 5, ticks: 6 }] },
    ],
    startTime: 1.7e15,
    endTime: 1.7e15 + 20_000 + 9_000,
    // 1 ms apart, then a 10 ms gap, then 1 ms apart; the lead-in (9 ms) and the tail (6 ms) are gaps too.
    samples: [3, 3, 3, 3, 3, 3],
    timeDeltas: [9000, 1000, 1000, 10000, 1000, 1000],
  });
  const p = loadProfileFile(bytes(JSON.stringify(cpu)), "x.cpuprofile").profiles[0]!;
  assert.equal(total(p), 29);
  // Busy: six samples of one interval each; idle: the lead-in (9), the gap less one interval
  // (9) and the tail after the last sample less one interval (5).
  assert.equal(dump(buildCallTree(p)), ["(idle):23", "(module):6", "  work:6"].join("\n"));
});

test("normalizeBunCpuProfile() merges the per-line nodes older Bun wrote into one frame per function, with line ticks", () => {
  // As oven-sh/bun#29241 describes Bun before it: each sampled statement is its own node, at the
  // executing position, and there are no positionTicks.
  const cpu = checkCpuProfile({
    nodes: [
      { id: 1, callFrame: cf("(root)", "", -1, -1), children: [2] },
      { id: 2, callFrame: cf("(module)", URL_, 5, 0), children: [3, 4, 5] },
      { id: 3, callFrame: cf("fib", URL_, 2, 9), hitCount: 2 },
      { id: 4, callFrame: cf("fib", URL_, 1, 2), hitCount: 1 },
      { id: 5, callFrame: cf("fib", URL_, 2, 20), hitCount: 1, children: [6] },
      { id: 6, callFrame: cf("fib", URL_, 1, 2), hitCount: 1 },
    ],
    startTime: 1.7e15,
    endTime: 1.7e15 + 5000,
    samples: [3, 3, 4, 5, 6],
    timeDeltas: [0, 1000, 1000, 1000, 1000],
  });
  assert.equal(isBunCpuProfile(cpu), true);
  const p = loadProfileFile(bytes(JSON.stringify(normalizeBunCpuProfile(cpu))), "x.cpuprofile").profiles[0]!;
  const fibs = p.frames.filter((f) => f.name === "fib");
  assert.deepEqual(fibs, [{ name: "fib", kind: "js", file: "/app/fib.js", line: 2, col: 3 }]);
  // Recursion survives: fib under fib where the stack had it.
  assert.equal(dump(buildCallTree(p)), ["(module):5", "  fib:5", "    fib:1"].join("\n"));
  const lines = p.lines!.get(p.frames.indexOf(fibs[0]!))!;
  assert.deepEqual([...lines.keys()].sort(), [2, 3]);
  assert.equal(lines.get(3)! + lines.get(2)!, 5);
});

test("endBunProfileAt(): a profile whose sampler stopped early ends when the program did, the tail charged as the thread's busy time says", () => {
  // A CPU-bound run of 600 ms whose sampler got no CPU in its last 100 ms (a loaded machine):
  // Bun ends the profile at its last sample.
  const start = 1.7e15;
  const cpu = {
    nodes: [
      { id: 1, callFrame: cf("(root)", "", -1, -1), children: [2] },
      { id: 2, callFrame: cf("(module)", URL_, 0, 0), children: [3] },
      { id: 3, callFrame: cf("crunch", URL_, 1, 9) },
    ],
    startTime: start,
    endTime: start + 500_000,
    samples: Array.from({ length: 500 }, () => 3),
    timeDeltas: Array.from({ length: 500 }, () => 1000),
  };
  const endedAtMs = (start + 600_000) / 1000;
  const ended = endBunProfileAt(cpu, endedAtMs);
  assert.equal(ended.endTime, start + 600_000);
  const p = importV8CpuProfile(normalizeBunCpuProfile(ended), "main", { idleGapsMs: 1, busyMs: 600 });
  assert.equal(Math.round(total(p)), 600);
  assert.equal(dump(buildCallTree(p)), ["(module):600", "  crunch:600"].join("\n"));
  // An exit time on another clock (or before the end) is not taken.
  assert.equal(endBunProfileAt(cpu, 600).endTime, cpu.endTime);
  assert.equal(endBunProfileAt(cpu, (start + 400_000) / 1000).endTime, cpu.endTime);
});

test("normalizeBunCpuProfile() names the function Bun runs a CommonJS module in as the module's top level", () => {
  const cpu = {
    nodes: [
      { id: 1, callFrame: cf("(root)", "", -1, -1), children: [2] },
      { id: 2, callFrame: cf("", URL_, 0, 9), children: [3] },
      { id: 3, callFrame: cf("work", URL_, 3, 13) },
    ],
    startTime: 1.7e15,
    endTime: 1.7e15 + 2000,
    samples: [2, 3],
    timeDeltas: [1000, 1000],
  };
  const names = normalizeBunCpuProfile(cpu).nodes.map((n) => `${n.callFrame.functionName}@${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`);
  assert.deepEqual(names, ["(root)@-1:-1", "(module)@0:0", "work@3:13"]);
});
