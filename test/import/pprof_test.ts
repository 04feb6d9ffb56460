/**
 * pprof in and out, beyond the corpus: a function is one frame whatever
 * line it was sampled on (the lines become line times), threads survive the
 * round trip as labels, idle time stays idle, and a profile of memory is
 * refused rather than shown as time.
 */
import assert from "node:assert/strict";
import { Profile as PprofProfile, StringTable } from "pprof-format";
import { gzipSync } from "fflate";
import { loadProfileFile } from "../../src/import/load.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { IDLE_FRAME, profileTotal, type Session } from "../../src/format/types.ts";
import { renderPprof } from "../../src/render/pprof.ts";
import { test } from "../harness.ts";
import { corpusBytes } from "../_corpus.ts";

test("a Go CPU profile: each function is one frame, and the sampled lines are its line times", () => {
  const s = loadProfileFile(corpusBytes("go-pprof-sample.pb.gz"), "go-pprof-sample.pb.gz");
  const p = s.profiles[0]!;
  const names = p.frames.map((f) => `${f.name} ${f.file}`);
  assert.equal(new Set(names).size, names.length, "no function twice");
  const busy = p.frames.findIndex((f) => f.name === "main.busyLoop");
  const lines = p.lines?.get(busy);
  assert.ok(lines && lines.size > 0, "line times for main.busyLoop");
});

test("renderPprof() keeps threads apart by label, idle as idle, and the start and duration", () => {
  const main = new ProfileBuilder("main");
  main.addSample([{ name: "run", file: "/app/a.ts", line: 3, kind: "js" }, { name: "work", file: "/app/a.ts", line: 9, kind: "js" }], 4.5);
  main.addSample([IDLE_FRAME], 2);
  const worker = new ProfileBuilder("worker 1");
  worker.addSample([{ name: "crunch", file: "/app/w.ts", line: 1, kind: "js" }], 3.25);
  const session: Session = {
    version: 1,
    meta: { runtime: "node", runtimeVersion: "20.20.2", intervalMs: 1, startTime: 1_700_000_000_000, durationMs: 6.5 },
    profiles: [main.build(), worker.build()],
  };
  const back = loadProfileFile(renderPprof(session), "x.pb.gz");
  assert.deepEqual(back.profiles.map((p) => [p.name, profileTotal(p)]), [["main", 6.5], ["worker 1", 3.25]]);
  assert.ok(back.profiles[0]!.frames.some((f) => f === IDLE_FRAME || (f.kind === "idle" && f.name === "(idle)")));
  assert.deepEqual([back.meta.runtime, back.meta.runtimeVersion, back.meta.startTime, back.meta.durationMs, back.meta.intervalMs], ["node", "20.20.2", 1_700_000_000_000, 6.5, 1]);
  const work = back.profiles[0]!.frames.find((f) => f.name === "work")!;
  assert.deepEqual([work.file, work.line], ["/app/a.ts", 9]);
});

test("renderPprof() and back keep a sample given no time (Bun's, in a gap its thread was idle through): as many samples, the same total", () => {
  const main = new ProfileBuilder("main");
  main.addSample([{ name: "run", file: "/app/a.ts", line: 3, kind: "js" }], 4);
  main.addSample([{ name: "run", file: "/app/a.ts", line: 3, kind: "js" }, { name: "resumed", file: "/app/a.ts", line: 7, kind: "js" }], 0);
  main.addSample([IDLE_FRAME], 96);
  const session: Session = { version: 1, meta: { runtime: "bun", runtimeVersion: "1.4.5", intervalMs: 1, startTime: 0, durationMs: 100 }, profiles: [main.build()] };
  const back = loadProfileFile(renderPprof(session), "x.pb.gz").profiles[0]!;
  assert.equal(back.samples.length, 3);
  assert.equal(profileTotal(back), 100);
  assert.ok(back.frames.some((f) => f.name === "resumed"));
});

test("a pprof profile of memory is refused in one line, not shown as time", () => {
  const strings = new StringTable();
  const p = new PprofProfile({
    sampleType: [{ type: strings.dedup("alloc_space"), unit: strings.dedup("bytes") }],
    function: [{ id: 1, name: strings.dedup("main"), filename: strings.dedup("/app/main.go") }],
    location: [{ id: 1, line: [{ functionId: 1, line: 3 }] }],
    sample: [{ locationId: [1], value: [4096] }],
    stringTable: strings,
  });
  assert.throws(() => loadProfileFile(gzipSync(p.encode()), "heap.pb.gz"), /heap\.pb\.gz: a pprof profile with no sample type in units of time \(its types: alloc_space\/bytes\): tsprof reads time profiles, not memory or counts/);
});
