import assert from "node:assert/strict";
import { loadProfileFile } from "../../src/import/load.ts";
import { renderCpuProfile } from "../../src/render/cpuprofile.ts";
import { rendererByName, rendererForFile } from "../../src/render/registry.ts";
import { test } from "../harness.ts";
import { assertSameTree, bytes, FIXTURES, fixtureBytes, loadFixture, total } from "../_formats.ts";
import { profileOf, sessionOf } from "../_helpers.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { type Frame, MODULE_FRAME_NAME, MODULE_LOADING_FRAME, type Session } from "../../src/format/types.ts";

interface Cpu {
  nodes: { id: number; callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number }; hitCount: number; children?: number[]; positionTicks?: { line: number; ticks: number }[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** What Chrome DevTools and speedscope's importer rely on in a .cpuprofile. */
function assertValidCpuProfile(cpu: Cpu): void {
  const ids = new Set(cpu.nodes.map((n) => n.id));
  assert.equal(ids.size, cpu.nodes.length, "node ids are unique");
  assert.equal(cpu.nodes[0]!.callFrame.functionName, "(root)");
  const seen = new Set<number>();
  for (const n of cpu.nodes) {
    assert.ok(Number.isInteger(n.id) && n.id > 0);
    assert.equal(typeof n.callFrame.functionName, "string");
    assert.equal(typeof n.callFrame.scriptId, "string");
    assert.equal(typeof n.callFrame.url, "string");
    assert.ok(Number.isInteger(n.callFrame.lineNumber) && n.callFrame.lineNumber >= -1);
    assert.ok(Number.isInteger(n.callFrame.columnNumber) && n.callFrame.columnNumber >= -1);
    assert.ok(Number.isInteger(n.hitCount) && n.hitCount >= 0);
    for (const c of n.children ?? []) {
      assert.ok(ids.has(c), `child ${c} exists`);
      assert.ok(!seen.has(c), `child ${c} has one parent`);
      seen.add(c);
    }
    for (const t of n.positionTicks ?? []) assert.ok(Number.isInteger(t.line) && t.line >= 1 && Number.isInteger(t.ticks) && t.ticks > 0);
  }
  assert.equal(cpu.samples.length, cpu.timeDeltas.length);
  const hits = new Map<number, number>();
  for (const s of cpu.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  for (const n of cpu.nodes) assert.equal(n.hitCount, hits.get(n.id) ?? 0, `hitCount of node ${n.id}`);
  for (const d of cpu.timeDeltas) assert.ok(Number.isInteger(d) && d >= 0, `delta ${d}`);
  assert.ok(cpu.endTime >= cpu.startTime + cpu.timeDeltas.reduce((a, b) => a + b, 0));
}

const session = sessionOf(profileOf([
  ["main@/app/a b.ts:3;work@/app/a b.ts:10", 2.5],
  ["(idle)", 3],
  ["main@/app/a b.ts:3;(anonymous)@/app/a b.ts:20", 1.25],
  ["main@/app/a b.ts:3;readFile@node:fs:100", 0.5],
  ["", 0.75],
  ["main@/app/a b.ts:3;work@/app/a b.ts:10", 2],
]));

test("renderCpuProfile() writes a valid V8 profile: 0-based positions, file URLs, V8 names", () => {
  const cpu = JSON.parse(renderCpuProfile(session)) as Cpu;
  assertValidCpuProfile(cpu);
  const work = cpu.nodes.find((n) => n.callFrame.functionName === "work")!;
  assert.deepEqual({ ...work.callFrame, scriptId: "" }, { functionName: "work", scriptId: "", url: "file:///app/a%20b.ts", lineNumber: 9, columnNumber: 0 });
  assert.equal(work.hitCount, 2);
  assert.ok(cpu.nodes.some((n) => n.callFrame.functionName === "" && n.callFrame.lineNumber === 19), "(anonymous) is V8's empty name");
  assert.ok(cpu.nodes.some((n) => n.callFrame.functionName === "(idle)" && n.callFrame.url === ""));
  assert.equal(cpu.nodes.find((n) => n.callFrame.functionName === "readFile")!.callFrame.url, "node:fs");
  assert.equal(cpu.endTime - cpu.startTime, Math.round(total(session.profiles[0]!) * 1000));
});

test("renderCpuProfile() output loads back with the same tree, kinds and totals", () => {
  const again = loadProfileFile(bytes(renderCpuProfile(session)), "x.cpuprofile");
  assertSameTree(again.profiles[0]!, session.profiles[0]!, 1e-9);
  assert.equal(again.profiles[0]!.frames.find((fr) => fr.name === "(idle)")?.kind, "idle");
});

test("a Bun run's .cpuprofile loads back as written: its long samples are not taken for Bun's idle gaps", () => {
  // What a Bun run gives: (module) frames with a file and no V8 pseudo-frame, which is how Bun's own files look.
  const b = new ProfileBuilder("main");
  const mod: Frame = { name: MODULE_FRAME_NAME, file: "/app/cpu.ts", line: 1, col: 1, kind: "js" };
  const work: Frame = { name: "work", file: "/app/cpu.ts", line: 1, col: 10, kind: "js" };
  b.addSample([MODULE_LOADING_FRAME], 16.5);
  for (let i = 0; i < 80; i++) b.addSample([mod, work], 1);
  b.addSample([mod], 7);
  const run: Session = { ...sessionOf(b.build()), meta: { ...sessionOf(b.build()).meta, runtime: "bun", runtimeVersion: "1.4.5" } };
  const again = loadProfileFile(bytes(renderCpuProfile(run)), "x.cpuprofile");
  assertSameTree(again.profiles[0]!, run.profiles[0]!, 1e-9);
  assert.equal(again.meta.runtime, "bun");
  assert.equal(again.meta.runtimeVersion, "1.4.5");
  assert.equal(again.meta.intervalMs, 1);
  // The same file without tsprof's note reads as Bun's own: gaps become (idle), which is what the note prevents.
  const bare = JSON.parse(renderCpuProfile(run)) as Record<string, unknown>;
  delete bare.tsprof;
  const asBuns = loadProfileFile(bytes(JSON.stringify(bare)), "x.cpuprofile");
  assert.ok(asBuns.profiles[0]!.frames.some((f) => f.kind === "idle"), "without the note, Bun's gaps are partly idle");
});

test("renderCpuProfile() rounds times on the running sum, so totals do not drift", () => {
  const many = sessionOf(profileOf(Array.from({ length: 3000 }, (_, i) => [i % 2 ? "a" : "b", 0.3333] as [string, number])));
  const cpu = JSON.parse(renderCpuProfile(many)) as Cpu;
  assert.equal(cpu.endTime - cpu.startTime, Math.round(3000 * 0.3333 * 1000));
  const again = loadProfileFile(bytes(JSON.stringify(cpu)), "x.cpuprofile");
  assert.ok(Math.abs(total(again.profiles[0]!) - 3000 * 0.3333) < 1e-6);
});

test("renderCpuProfile() writes line ticks as whole ticks adding up to each node's hits", () => {
  const s = loadFixture("node24.cpuprofile");
  const cpu = JSON.parse(renderCpuProfile(s)) as Cpu;
  assertValidCpuProfile(cpu);
  const withTicks = cpu.nodes.filter((n) => n.positionTicks);
  assert.ok(withTicks.length > 0);
  for (const n of withTicks) assert.equal(n.positionTicks!.reduce((a, t) => a + t.ticks, 0), n.hitCount);
});

for (const [tool, file] of Object.entries(FIXTURES).filter(([, file]) => file.endsWith(".cpuprofile"))) {
  test(`a .cpuprofile from ${tool} goes through tsprof and back to .cpuprofile with the same tree and total`, () => {
    const first = loadFixture(file);
    const out = renderCpuProfile(first);
    assertValidCpuProfile(JSON.parse(out));
    const again = loadProfileFile(bytes(out), "again.cpuprofile");
    const p = first.profiles[0]!;
    // Whole microseconds: each sample may move by half of one.
    assertSameTree(again.profiles[0]!, p, 1e-3 * p.samples.length);
    assert.ok(Math.abs(total(again.profiles[0]!) - total(p)) <= 1e-3);
    const raw = JSON.parse(new TextDecoder().decode(fixtureBytes(file)));
    assert.ok(Math.abs((JSON.parse(out).endTime - JSON.parse(out).startTime) - (raw.endTime - raw.startTime)) <= 1);
    // The line ticks survive too: spinA's hottest line is the same.
    const top = (prof: typeof p) => {
      const lines = prof.lines?.get(prof.frames.findIndex((fr) => fr.name === "spinA"));
      return lines ? [...lines].sort((x, y) => y[1] - x[1])[0]![0] : undefined;
    };
    assert.equal(top(again.profiles[0]!), top(p));
  });
}

test("the registry picks cpuprofile and collapsed by name and by file ending", () => {
  assert.equal(rendererByName("cpuprofile")?.extensions[0], ".cpuprofile");
  assert.equal(rendererForFile("out/run.cpuprofile")?.name, "cpuprofile");
  assert.equal(rendererForFile("run.collapsed")?.name, "collapsed");
  assert.equal(rendererForFile("run.folded")?.name, "collapsed");
  assert.equal(rendererForFile("run.speedscope.json")?.name, "speedscope");
  assert.equal(rendererForFile("run.json")?.name, "json");
});

test("renderCpuProfile() writes the main profile only and an empty session as an empty profile", () => {
  const two = sessionOf(profileOf([["a", 1]], "main"), profileOf([["b", 5]], "worker"));
  const cpu = JSON.parse(renderCpuProfile(two)) as Cpu;
  assert.equal(cpu.endTime - cpu.startTime, 1000);
  assert.ok(!cpu.nodes.some((n) => n.callFrame.functionName === "b"));
  const empty = JSON.parse(renderCpuProfile({ ...two, profiles: [] })) as Cpu;
  assert.deepEqual(empty.samples, []);
});
