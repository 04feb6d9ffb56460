// Unit tests of src/import/v8_bursts.ts on V8 profiles built here: which
// runs of samples count as short bursts between waits.
import assert from "node:assert/strict";
import type { V8CpuProfile } from "../../src/import/v8_cpuprofile.ts";
import { shortBurstNote, shortBurstShare } from "../../src/import/v8_bursts.ts";
import { test } from "../harness.ts";

const frame = (functionName: string) => ({ functionName, scriptId: "1", url: functionName === "work" ? "file:///app/a.js" : "", lineNumber: -1, columnNumber: -1 });
/** A profile of samples 1 ms apart: "i" idle, "w" in `work`. */
function profile(pattern: string): V8CpuProfile {
  const ids = { i: 2, w: 3 } as const;
  return {
    nodes: [{ id: 1, callFrame: frame("(root)"), children: [2, 3] }, { id: 2, callFrame: frame("(idle)") }, { id: 3, callFrame: frame("work") }],
    startTime: 0,
    endTime: pattern.length * 1000,
    samples: [...pattern].map((c) => ids[c as "i" | "w"]),
    timeDeltas: [...pattern].map((_, i) => (i === 0 ? 0 : 1000)),
  };
}

test("shortBurstShare() counts runs of one or two busy samples with idle samples on both sides", () => {
  assert.equal(shortBurstShare(profile("iiwiiwwii")), 1);
  // A run of three is a burst the sampler saw through: not short.
  assert.equal(shortBurstShare(profile("iiwwwiiwi")), 0.25);
  // A run at either end has no wait on one side: not counted as a burst between waits.
  assert.equal(shortBurstShare(profile("wiiiiiiw")), 0);
  assert.equal(shortBurstShare(profile("wwwwwwww")), 0);
  assert.equal(shortBurstShare(profile("iiiiii")), 0);
});

test("shortBurstNote() speaks from a tenth of the busy time in short bursts and ten intervals of it, with the runtime's hint", () => {
  assert.equal(shortBurstNote(profile("iwwwwwwwwwwwwwwwwwwwwwi")), undefined);
  const bursts = `i${"iwi".repeat(10)}i`;
  const note = shortBurstNote(profile(bursts), "--backend portable measures them");
  assert.match(note!, /^100% of the busy time came in bursts of one or two samples between waits/);
  assert.match(note!, /\(--backend portable measures them\)$/);
  assert.doesNotMatch(shortBurstNote(profile(bursts))!, /measures them/);
  // A waiting program's few wake-ups: all of its little busy time, and no note.
  assert.equal(shortBurstNote(profile(`i${"iiwii".repeat(9)}i`)), undefined);
});
