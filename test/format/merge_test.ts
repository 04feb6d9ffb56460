import assert from "node:assert/strict";
import { mergeSessions } from "../../src/format/merge.ts";
import type { Session } from "../../src/format/types.ts";
import { test } from "../harness.ts";
import { profileOf } from "../_helpers.ts";

function sessionAt(name: string, startTime: number, extra: Partial<Session["meta"]> = {}): Session {
  return {
    version: 1,
    meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime, durationMs: 5, ...extra },
    profiles: [profileOf([["work", 5]], name)],
  };
}

test("mergeSessions() orders profiles by start, sums CPU time and names each warning's process", () => {
  const meta = { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 100, command: ["npm", "test"] };
  const merged = mergeSessions(
    [sessionAt("late", 30, { cpuTimeMs: 2 }), sessionAt("early", 10, { cpuTimeMs: 3, warnings: ["no source map"] }), sessionAt("middle", 20)],
    meta,
  );
  assert.deepEqual(merged.profiles.map((p) => p.name), ["early", "middle", "late"]);
  assert.equal(merged.meta.cpuTimeMs, 5);
  assert.deepEqual(merged.meta.warnings, ["early: no source map"]);
  assert.deepEqual(merged.meta.command, ["npm", "test"]);
  assert.equal(merged.meta.durationMs, 100);
});

test("mergeSessions() of nothing is an empty session under the given metadata", () => {
  const merged = mergeSessions([], { runtime: "deno", runtimeVersion: "2.0.0", intervalMs: 1, startTime: 0, durationMs: 1 });
  assert.equal(merged.profiles.length, 0);
  assert.equal(merged.meta.cpuTimeMs, undefined);
});
