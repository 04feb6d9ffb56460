import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadBackend } from "../../runtimes/auto.ts";
import { portableBackend, profiled, profiledBlock } from "../../runtimes/portable/mod.ts";
import { profileTotal } from "../../src/format/types.ts";
import { buildCallTree, walk } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { backendContract } from "../_backend_contract.ts";
import { fakeClock } from "./_portable.ts";

function spin(ms: number): void {
  const t = performance.now();
  while (performance.now() - t < ms);
}

function timeIn(profile: Parameters<typeof buildCallTree>[0], name: string): number {
  let t = 0;
  walk(buildCallTree(profile), (n) => {
    if (n.frame.name === name) t = Math.max(t, n.time);
  });
  return t;
}

test("loadBackend('portable') records wrapped functions with real time, and the weights add up to the wall time", async () => {
  const backend = await loadBackend("portable");
  assert.equal(backend.name, "portable");
  const inner = profiled("portableInner", () => spin(40));
  const outer = profiled("portableOuter", () => {
    inner();
    spin(20);
  });
  await backend.start({ intervalMs: 1 });
  outer();
  profiledBlock("portableBlock", () => spin(20));
  await new Promise((r) => setTimeout(r, 60));
  const rec = await backend.stop();
  const total = profileTotal(rec.profile);
  assert.ok(Math.abs(total - rec.durationMs) <= Math.max(2, 0.02 * rec.durationMs), `total ${total} vs duration ${rec.durationMs}`);
  // Wide margins: the machine is shared; what matters is where time went.
  assert.ok(timeIn(rec.profile, "portableOuter") >= 55, `outer ${timeIn(rec.profile, "portableOuter")}`);
  assert.ok(timeIn(rec.profile, "portableInner") >= 38, `inner ${timeIn(rec.profile, "portableInner")}`);
  assert.ok(timeIn(rec.profile, "portableInner") < timeIn(rec.profile, "portableOuter"));
  assert.ok(timeIn(rec.profile, "portableBlock") >= 18);
  // The wait is idle, or, when the process had other work then (a shared
  // process on a loaded machine), uninstrumented code: never the functions'.
  const waited = timeIn(rec.profile, "(idle)") + timeIn(rec.profile, "(uninstrumented code)");
  assert.ok(waited >= 40, `idle and uninstrumented ${waited}`);
  const frame = rec.profile.frames.find((f) => f.name === "portableOuter")!;
  assert.ok(frame.file?.endsWith("backend_test.ts"), `the frame names where it was made: ${frame.file}`);
});

test("portableBackend() with a fake clock and no ticker is deterministic", async () => {
  const clock = fakeClock();
  const backend = portableBackend({ clock: clock.now, ticker: false, idleTimerMs: false });
  const work = profiled("fakeWork", () => clock.tick(7), { file: "/app/work.ts", line: 3 });
  await backend.start({ intervalMs: 1 });
  clock.tick(2);
  work();
  clock.tick(1);
  const rec = backend.stopSync();
  assert.equal(rec.durationMs, 10);
  assert.equal(timeIn(rec.profile, "fakeWork"), 7);
  assert.equal(timeIn(rec.profile, "(idle)"), 3);
  assert.deepEqual(rec.profile.frames.find((f) => f.name === "fakeWork"), { name: "fakeWork", kind: "js", file: "/app/work.ts", line: 3 });
});

backendContract("portable", () => loadBackend("portable"));

test("profiled() and profiledBlock() return what the function returns and check their arguments", () => {
  const add = profiled("add", (a: number, b: number) => a + b);
  assert.equal(add(2, 3), 5);
  assert.equal(profiledBlock("block", () => "value"), "value");
  assert.throws(() => profiled("x", 5 as never), TypeError);
  assert.throws(() => profiledBlock("", () => 1), (e: unknown) => e instanceof TypeError && /name/.test(e.message));
  const err = new Error("from block");
  assert.throws(() => profiledBlock("throws", () => { throw err; }), (e: unknown) => e === err);
});

test("the portable runtime core imports no runtime module, so it runs in browsers and workers", () => {
  const core = ["mod.ts", "recorder.ts", "ticker.ts", "transform.ts", "filter.ts"];
  for (const file of core) {
    const code = readFileSync(new URL(`../../runtimes/portable/${file}`, import.meta.url), "utf8");
    assert.ok(!/from\s+["'](node:|bun:)/.test(code) && !/import\(\s*["'](node:|bun:)/.test(code), `${file} imports a runtime module`);
  }
});
