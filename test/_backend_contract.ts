/**
 * What every backend promises, as tests any backend's suite registers:
 * stable error codes for misuse, restartability, and recordings whose
 * weights add up to the time they cover.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Backend } from "../src/backend.ts";
import { TsprofError } from "../src/errors.ts";
import { profileTotal } from "../src/format/types.ts";
import { test } from "./harness.ts";

const code = (c: string) => (e: unknown) => e instanceof TsprofError && e.code === c;

/** Registers the backend contract for the backend `load` gives, named `label` in the tests' names. */
export function backendContract(label: string, load: () => Promise<Backend>): void {
  test(`${label} backend refuses to start twice or stop when idle, with stable codes, and restarts`, async () => {
    const backend = await load();
    await assert.rejects(backend.stop(), code("PROFILER_NOT_RUNNING"));
    await backend.start();
    await assert.rejects(Promise.resolve().then(() => backend.start()), code("PROFILER_ALREADY_RUNNING"));
    await backend.stop();
    await backend.start();
    await backend.stop();
  });

  test(`${label} backend gives a consistent recording even when stopped at once`, async () => {
    const backend = await load();
    await backend.start({ intervalMs: 1 });
    const rec = await backend.stop();
    const p = rec.profile;
    assert.equal(p.samples.length, p.weights.length);
    assert.ok(rec.durationMs >= 0 && Number.isFinite(rec.durationMs), `duration ${rec.durationMs}`);
    for (const s of p.samples) assert.ok(s >= -1 && s < p.stacks.length, `sample of stack ${s} of ${p.stacks.length}`);
    assert.ok(Math.abs(profileTotal(p) - rec.durationMs) <= Math.max(2, 0.02 * rec.durationMs), `total ${profileTotal(p)} vs duration ${rec.durationMs}`);
  });
}
