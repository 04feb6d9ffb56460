import assert from "node:assert/strict";
import { detectRuntime, loadBackend } from "../../runtimes/auto.ts";
import { TsprofError } from "../../src/errors.ts";
import { profileTotal } from "../../src/format/types.ts";
import { buildCallTree, walk } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { backendContract } from "../_backend_contract.ts";

const runtime = detectRuntime();

function spinInBackend(ms: number): number {
  const t = performance.now();
  let x = 0;
  while (performance.now() - t < ms) x += Math.sqrt(x + 1);
  return x;
}

function timeIn(root: ReturnType<typeof buildCallTree>, name: string): number {
  let best = 0;
  walk(root, (n) => {
    if (n.frame.name === name) best = Math.max(best, n.time);
  });
  return best;
}

test(`${runtime} backend records a busy function and its weights add up to the wall time`, async () => {
  const backend = await loadBackend("auto");
  assert.equal(backend.name, runtime);
  await backend.start({ intervalMs: 1 });
  spinInBackend(150);
  const rec = await backend.stop();
  const total = profileTotal(rec.profile);
  // A loaded machine starves the sampler thread: few samples, each weighing the time it covered.
  assert.ok(rec.profile.samples.length > 3, `only ${rec.profile.samples.length} samples`);
  assert.ok(Math.abs(total - rec.durationMs) <= Math.max(2, 0.02 * rec.durationMs), `total ${total} vs duration ${rec.durationMs}`);
  const spin = timeIn(buildCallTree(rec.profile), "spinInBackend");
  assert.ok(spin > 100, `spinInBackend got ${spin} ms of 150`);
  const frame = rec.profile.frames.find((f) => f.name === "spinInBackend")!;
  assert.ok(frame.file?.endsWith("backend_test.ts"), frame.file);
  assert.ok((frame.line ?? 0) >= 1);
});

test(`${runtime} backend shows awaited time as idle with async: false, not as a function's`, async () => {
  const backend = await loadBackend("auto");
  await backend.start({ intervalMs: 1, async: false });
  spinInBackend(30);
  await new Promise((r) => setTimeout(r, 150));
  const rec = await backend.stop();
  const tree = buildCallTree(rec.profile);
  const idle = timeIn(tree, "(idle)");
  assert.ok(idle > 100, `idle ${idle} ms of a 150 ms wait`);
  assert.ok(timeIn(tree, "spinInBackend") < 80);
});

backendContract(runtime, () => loadBackend("auto"));

test(`${runtime} backend stops synchronously where the runtime allows (for exit handlers)`, async () => {
  const backend = await loadBackend("auto");
  assert.equal(typeof backend.stopSync === "function", runtime === "node");
  if (!backend.stopSync) return;
  await backend.start();
  spinInBackend(20);
  const rec = backend.stopSync();
  assert.ok(rec.profile.samples.length > 0);
});

test(`${runtime} backend's CPU time is the profiled code's, not the sampler's start and stop (tens of ms on V8)`, async () => {
  const backend = await loadBackend("auto");
  const stops: (() => Promise<{ cpuTimeMs?: number }> | { cpuTimeMs?: number })[] = [() => backend.stop()];
  if (backend.stopSync) stops.push(() => backend.stopSync!());
  for (const stop of stops) {
    await backend.start({ intervalMs: 1 });
    const rec = await stop();
    // Nothing ran in between: what is left is the engine's own threads for a moment.
    assert.ok(rec.cpuTimeMs !== undefined && rec.cpuTimeMs < 10, `${rec.cpuTimeMs} ms`);
  }
});

test("loadBackend() refuses a backend of another runtime", async () => {
  const other = runtime === "node" ? "bun" : "node";
  await assert.rejects(loadBackend(other), (e: unknown) => e instanceof TsprofError && e.code === "UNSUPPORTED_RUNTIME");
});
