import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "fflate";
import type { Profile } from "../../src/format/types.ts";
import { buildCallTree, walk } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { FIXTURES, FORMATS, fixtureBytes, functionTotals, idleTotal, loadFixture, total } from "../_formats.ts";

// What work.mjs does, read from the script itself: spinA spins 80 ms, main
// awaits 60 ms, spinB spins 40 ms.
const source = readFileSync(join(FORMATS, "work.mjs"), "utf8").split("\n");
const spun = (fn: string) => Number(new RegExp(`${fn}\\((\\d+)\\)`).exec(source.join("\n"))![1]);
const sleep = Number(/setTimeout\(resolve, (\d+)\)/.exec(source.join("\n"))![1]);
/** 1-based line and column where V8 places a function: its parameter list. */
function definition(fn: string): { line: number; col: number } {
  const i = source.findIndex((l) => l.includes(`function ${fn}(`));
  return { line: i + 1, col: source[i]!.indexOf("(") + 1 };
}
/** 1-based lines of a function's body. */
function body(fn: string): [number, number] {
  const start = source.findIndex((l) => l.includes(`function ${fn}(`));
  const end = source.findIndex((l, i) => i > start && l === "}");
  return [start + 1, end + 1];
}

/** The total a file's own data gives: end - start for V8 profiles, the weights or events otherwise. */
function ownTotal(file: string): number {
  const raw = file.endsWith(".gz") ? gunzipSync(fixtureBytes(file)) : fixtureBytes(file);
  if (file.endsWith(".tsprof")) return ownTotalJson(JSON.parse(new TextDecoder().decode(gunzipSync(raw))));
  return ownTotalJson(JSON.parse(new TextDecoder().decode(raw)));
}
function ownTotalJson(json: Record<string, any>): number {
  // A Chrome trace: the time deltas of its profile's chunks, in µs.
  if (json.traceEvents) {
    const chunks = json.traceEvents.filter((e: Record<string, any>) => e.name === "ProfileChunk");
    return chunks.flatMap((e: Record<string, any>) => e.args.data.timeDeltas ?? []).reduce((a: number, b: number) => a + b, 0) / 1000;
  }
  if (json.nodes) return (json.endTime - json.startTime) / 1000;
  if (json.format === "tsprof") return json.profiles[0].weights.reduce((a: number, b: number) => a + b, 0);
  const p = json.profiles[0];
  const scale = p.unit === "microseconds" ? 1e-3 : 1;
  if (p.type === "sampled") return Math.max(p.endValue - p.startValue, p.weights.reduce((a: number, b: number) => a + b, 0)) * scale;
  return (p.endValue - p.startValue) * scale;
}

for (const [tool, file] of Object.entries(FIXTURES)) {
  test(`loadProfileFile() reads a file from ${tool}: total, idle and hot functions`, () => {
    const session = loadFixture(file);
    assert.ok(session.profiles.length >= 1);
    const p: Profile = session.profiles[0]!;
    assert.ok(Math.abs(total(p) - ownTotal(file)) < 0.01, `total ${total(p)} ms, the file says ${ownTotal(file)} ms`);
    const fn = functionTotals(p);
    const a = fn.get("spinA") ?? 0;
    const b = fn.get("spinB") ?? 0;
    // Wide margins: the fixtures were sampled every 2 ms on a shared machine.
    assert.ok(a >= 0.6 * spun("spinA") && a <= 1.5 * spun("spinA"), `spinA ${a} ms`);
    assert.ok(b >= 0.6 * spun("spinB") && b <= 1.5 * spun("spinB"), `spinB ${b} ms`);
    assert.ok(fn.get("main")! >= a + b - 1e-6, "main holds both spins");
    // speedscope's Chrome importer turns idle into gaps; everything else names it.
    const idle = idleTotal(p);
    assert.ok(idle >= 0.6 * sleep, `idle ${idle} ms`);
    if (!file.startsWith("speedscope")) assert.ok(p.frames.some((f) => f.kind === "idle"), "an (idle) frame");
    // The two hottest functions below main are spinA, then spinB (or a builtin they call).
    const hot = [...fn].filter(([n]) => n.startsWith("spin")).sort((x, y) => y[1] - x[1]).map(([n]) => n);
    assert.deepEqual(hot, ["spinA", "spinB"]);
  });

  test(`loadProfileFile() gives 1-based definition positions for a file from ${tool}`, () => {
    const p = loadFixture(file).profiles[0]!;
    for (const fn of ["spinA", "spinB", "main"]) {
      const frames = p.frames.filter((f) => f.name === fn);
      assert.equal(frames.length, 1, `${fn} is one frame: ${JSON.stringify(frames)}`);
      const { line, col } = definition(fn);
      assert.equal(frames[0]!.line, line, `${fn} line`);
      // speedscope's importer keeps columns too, all 1-based.
      assert.equal(frames[0]!.col, col, `${fn} column`);
      assert.match(frames[0]!.file!, /work\.mjs$/);
      assert.equal(frames[0]!.kind, "js");
    }
  });

  test(`a file from ${tool} builds a call tree where main calls spinA and spinB`, () => {
    const p = loadFixture(file).profiles[0]!;
    const parents = new Map<string, Set<string>>();
    const tree = buildCallTree(p);
    walk(tree, (n) => {
      for (const c of n.children) {
        const set = parents.get(c.frame.name) ?? new Set();
        set.add(n.frame.name);
        parents.set(c.frame.name, set);
      }
    });
    assert.deepEqual([...parents.get("spinA")!], ["main"]);
    assert.deepEqual([...parents.get("spinB")!], ["main"]);
  });
}

for (const file of ["node20.cpuprofile", "node24.cpuprofile", "bun.cpuprofile", "chrome.cpuprofile", "tsprof.json"]) {
  test(`loadProfileFile() keeps line ticks of ${file}, inside the function's body`, () => {
    const p = loadFixture(file).profiles[0]!;
    const spinA = p.frames.findIndex((f) => f.name === "spinA");
    const lines = p.lines?.get(spinA);
    assert.ok(lines && lines.size > 0, "spinA has line ticks");
    // V8 also books lines of inlined builtins (performance.now) to the caller, so
    // ask only that the loop's line has time, and more than any other line of the body.
    const [first, last] = body("spinA");
    const loop = source.findIndex((l, i) => i >= first && l.includes("while (")) + 1;
    const inBody = [...lines].filter(([l]) => l > first && l < last).sort((x, y) => y[1] - x[1]);
    assert.equal(inBody[0]?.[0], loop, `the loop (line ${loop}) is spinA's hottest line: ${JSON.stringify(inBody)}`);
  });
}

test("loadProfileFile() merges Bun's async function wrapper and body into one frame", () => {
  const raw = JSON.parse(new TextDecoder().decode(fixtureBytes("bun.cpuprofile")));
  const mains = raw.nodes.filter((n: { callFrame: { functionName: string } }) => n.callFrame.functionName === "main");
  assert.ok(new Set(mains.map((n: { callFrame: { columnNumber: number } }) => n.callFrame.columnNumber)).size > 1, "the fixture has main at two columns");
  const p = loadFixture("bun.cpuprofile").profiles[0]!;
  const tree = buildCallTree(p);
  walk(tree, (n) => {
    if (n.frame.name === "main") assert.ok(n.children.every((c) => c.frame.name !== "main"), "no main directly under main");
  });
});

test("loadProfileFile() names the runtime that wrote a .cpuprofile", () => {
  assert.equal(loadFixture("node20.cpuprofile").meta.runtime, "node");
  assert.equal(loadFixture("deno.cpuprofile").meta.runtime, "deno");
  assert.equal(loadFixture("bun.cpuprofile").meta.runtime, "bun");
  assert.equal(loadFixture("chrome.cpuprofile").meta.runtime, "chrome");
  assert.equal(loadFixture("speedscope-evented.speedscope.json").meta.runtime, "speedscope");
  assert.equal(loadFixture("tsprof.json").meta.runtime, "node");
});
