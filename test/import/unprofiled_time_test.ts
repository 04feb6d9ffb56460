import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { profileTotal, type Session } from "../../src/format/types.ts";
import { uncoveredTime, withUnprofiledTime } from "../../src/import/unprofiled_time.ts";

/** A process that recorded from `startTime` for `durationMs`, with samples adding up to `recordedMs` (its duration unless told). */
function process(startTime: number, durationMs: number, recordedMs = durationMs): Session {
  const b = new ProfileBuilder("main");
  b.addSample([{ name: "main", kind: "js", file: "/app/a.js", line: 1, col: 1 }], recordedMs);
  return { version: 1, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime, durationMs }, profiles: [b.build()] };
}

test("uncoveredTime(): what no process recorded, before the first and the rest; overlaps count once", () => {
  // A command from 100 to 700: one process 150-450, another 400-500 (overlapping), one 650-700.
  assert.deepEqual(uncoveredTime([process(150, 300), process(400, 100), process(650, 50)], 100, 600), { before: 50, after: 150 });
  // A process whose noted start is late (Deno notes it once its preload runs): never more than its recording leaves.
  assert.deepEqual(uncoveredTime([process(300, 300, 450)], 100, 600), { before: 150, after: 0 });
  assert.deepEqual(uncoveredTime([], 100, 600), { before: 0, after: 0 });
});

test("withUnprofiledTime() adds (not profiled) first and last, and the profile's total grows by them", () => {
  const p = process(0, 30).profiles[0]!;
  const out = withUnprofiledTime(p, 20, 5);
  assert.equal(profileTotal(out), 55);
  const names = Array.from(out.samples, (s) => out.frames[out.stacks.frame[s]!]!.name);
  assert.deepEqual(names, ["(not profiled)", "main", "(not profiled)"]);
  assert.equal(withUnprofiledTime(p, 0, 0), p);
});
