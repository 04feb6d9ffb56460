// The Deno library backend (node:inspector in-process) sees transpiled
// JavaScript positions; it maps them through the code's inline map, which it
// fetches from the inspector at stop().
import assert from "node:assert/strict";
import { detectRuntime, loadBackend } from "../../runtimes/auto.ts";
import { libSpin } from "../fixtures/sourcemap/lib_work.ts";
import { test } from "../harness.ts";

const skip = detectRuntime() === "deno" ? false : "the Deno backend runs on Deno only";

test("deno backend maps frames and line times of TypeScript to the original lines", async () => {
  const backend = await loadBackend("auto");
  await backend.start({ intervalMs: 1 });
  libSpin({ ms: 200 });
  const rec = await backend.stop();
  const p = rec.profile;
  const i = p.frames.findIndex((f) => f.name === "libSpin");
  const frame = p.frames[i]!;
  assert.ok(frame.file?.endsWith("test/fixtures/sourcemap/lib_work.ts"), frame.file);
  assert.equal(frame.line, 13);
  assert.equal(frame.col, 17);
  const lines = [...(p.lines?.get(i) ?? [])].sort((a, b) => b[1] - a[1]);
  assert.equal(lines[0]?.[0], 17, JSON.stringify(lines));
  assert.deepEqual(rec.warnings ?? [], []);
}, { skip, timeoutMs: 30_000 });
