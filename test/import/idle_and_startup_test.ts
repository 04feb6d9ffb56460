import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { busySpans, estimateNote, waitingInSpans } from "../../src/import/gap_weights.ts";
import { firstSampleIn, type V8CpuProfile } from "../../src/import/v8_cpuprofile.ts";
import { busyAfter, parseThreadStats, threadBusyMs } from "../../src/import/thread_busy.ts";
import { relabelSpan, relabelStartup } from "../../src/import/startup.ts";
import { MODULE_LOADING_FRAME, TSPROF_STARTUP_FRAME } from "../../src/format/types.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { IDLE_FRAME } from "../../src/format/types.ts";

test("busySpans() with the busy time known gives every sample the same cap, adding up to it", () => {
  // A burst every 10 ms, one sample each; the thread was busy 30 ms of 100.
  const spans = Array.from({ length: 10 }, () => 10_000);
  assert.deepEqual(busySpans(spans, 1, 30), Array.from({ length: 10 }, () => 3000));
  // Short spans keep what they have; the long ones share the rest.
  assert.deepEqual(busySpans([1000, 1000, 20_000, 20_000], 1, 12), [1000, 1000, 5000, 5000]);
  // Busy all along (CPU-bound, the sampler late under load): every span is busy.
  assert.deepEqual(busySpans([1000, 8000, 1000, 3000], 1, 13), [1000, 8000, 1000, 3000]);
  assert.deepEqual(busySpans([1000, 8000], 1, 50), [1000, 8000]);
});

test("busySpans() gives the start-up's sparse samples their busy time first, not the samples before the program's waits", () => {
  // Lead-in, three start-up samples 30 ms apart, then the program's samples before two 300 ms waits; 60 ms busy.
  const spans = [2000, 30_000, 30_000, 30_000, 300_000, 300_000];
  const spread = busySpans(spans, 1, 60, true);
  assert.ok(spread[4]! > 5000, `without the start-up known, the waits take a share: ${spread}`);
  const first = busySpans(spans, 1, 60, true, 4);
  assert.equal(Math.round(first.slice(0, 4).reduce((a, b) => a + b)), 60_000, `${first}`);
  assert.ok(first[4]! < 1 && first[5]! < 1, `${first}`);
});

test("busySpans() keeps the sampler's rhythm whole: a thread blocked in a synchronous call is the code's time, and a spin beside it keeps its time", () => {
  // 150 ms spinning and 190 ms blocked in spawnSync, sampled every ms; the scheduler counts 150 ms busy.
  const spans = [...Array.from({ length: 150 }, () => 1000), ...Array.from({ length: 190 }, () => 1000), 40_000];
  const busy = busySpans(spans, 1, 150);
  assert.equal(busy.slice(0, 340).reduce((a, b) => a + b, 0), 340_000);
  // The long gap after it gets what busy time the short spans leave: none.
  assert.equal(busy[340], 0);
  // A loaded CPU-bound run: the sampler ran late (long spans), the busy time covers them.
  assert.deepEqual(busySpans([1000, 6000, 1000, 9000], 1, 17), [1000, 6000, 1000, 9000]);
});

test("busySpans() leaves idle the part of a long span an await that began in it waited, whatever the busy time", () => {
  // Start-up spans, the sample before a 100 ms await (tsprof's marking of it), then the work after it;
  // 60 ms busy that the samples do not hold (the runtime's own work, native code).
  const spans = [1000, 1000, 101_000, 1000, 1000, 20_000];
  const without = busySpans(spans, 1, 64);
  assert.ok(without[2]! > 30_000, `without the await known, the one long span before it takes the busy time: ${without}`);
  const waiting = waitingInSpans(spans, 0, [[3000, 103_000]]);
  assert.deepEqual(waiting, [0, 0, 100_000, 0, 0, 0]);
  const busy = busySpans(spans, 1, 64, false, 0, waiting);
  assert.equal(busy[2], 1000, `the await's span keeps what came before it: ${busy}`);
  assert.equal(busy[5], 20_000, `the other long span is busy: ${busy}`);
  // Counted in the span it began in only: an outer await still pending while its callee's code runs
  // again (sampled late, a loaded machine) leaves that code's span to the busy time.
  assert.deepEqual(waitingInSpans([1000, 50_000, 30_000], 0, [[1000, 40_000], [1500, 81_000]]), [0, 50_000, 0]);
});

test("busySpans() without the busy time: short spans and a late sampler in busy code are busy, a lone sample one interval", () => {
  assert.deepEqual(busySpans([1000, 1500, 4000, 1000, 30_000, 1000], 1), [1000, 1500, 4000, 1000, 1000, 1000]);
  // A long lead-in (before the first sample) is waiting.
  assert.deepEqual(busySpans([9000, 1000], 1, undefined, true), [0, 1000]);
});

test("estimateNote() leaves out the start-up: a program that only waits after it gets no note, one that wakes in bursts does", () => {
  // Start-up sampled sparsely (30 ms gaps), then one sample of the program before a 300 ms wait.
  const spans = [5000, 30_000, 30_000, 30_000, 1000, 300_000];
  assert.match(estimateNote(spans, 1, 40) ?? "", /is estimated/);
  assert.equal(estimateNote(spans, 1, 40, 4), undefined);
  // Bursts of 1 ms every 10 ms after the start-up are still estimated.
  const bursts = [...spans.slice(0, 5), ...Array.from({ length: 20 }, () => 10_000)];
  assert.match(estimateNote(bursts, 1, 200, 4) ?? "", /is estimated/);
});

test("firstSampleIn() finds the first sample with a frame of the program's anywhere on its stack", () => {
  const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
  const cpu: V8CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), children: [2, 4] },
      { id: 2, callFrame: frame("loader", "node:internal/loader"), children: [3] },
      { id: 3, callFrame: frame("parse", "/opt/tsprof/dist/preload.js") },
      { id: 4, callFrame: frame("main", "/app/main.ts"), children: [5] },
      { id: 5, callFrame: frame("lib", "/app/node_modules/lib/index.js") },
    ],
    startTime: 0,
    endTime: 10,
    samples: [3, 2, 5, 4],
    timeDeltas: [1, 1, 1, 1],
  };
  const program = (url: string) => url.startsWith("/app/") && !url.includes("/node_modules/");
  assert.equal(firstSampleIn(cpu, program), 2, "a library called by the program is the program's time");
  assert.equal(firstSampleIn(cpu, () => false), 4);
});

test("threadBusyMs() counts time on a CPU and the wait after preemptions, not after wake-ups", () => {
  const before = parseThreadStats("1000000 0 1", "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n")!;
  const after = parseThreadStats("101000000 60000000 40", "voluntary_ctxt_switches:\t20\nnonvoluntary_ctxt_switches:\t10\n")!;
  assert.equal(threadBusyMs(after, before), 100 + 60 * (10 / 30));
  assert.equal(parseThreadStats("garbage", ""), undefined);
});

test("busyAfter() leaves out the busy time before a profile's start, counting the stretch up to the reading busy", () => {
  // 9 ms busy by a reading 4 ms after the profile began: 5 ms were before it.
  assert.equal(busyAfter(30, 1000, { atMs: 1004, busyMs: 9 }), 25);
  // The reading holds no more than the stretch since the start: nothing is left out.
  assert.equal(busyAfter(30, 1000, { atMs: 1010, busyMs: 9 }), 30);
  assert.equal(busyAfter(30, 1000), 30);
  assert.equal(busyAfter(3, 1000, { atMs: 1000, busyMs: 9 }), 0);
});

test("relabelStartup() labels what ran before the program's first sample: tsprof's start, module loading; nothing after", () => {
  const b = new ProfileBuilder("main");
  const app = { name: "main", kind: "js" as const, file: "/app/a.ts", line: 1, col: 1 };
  b.addSample([{ name: "start", kind: "js", file: "/tsprof/preload.js" }, { name: "post", kind: "js", file: "node:inspector" }], 40);
  b.addSample([IDLE_FRAME], 20);
  b.addSample([{ name: "load", kind: "js", file: "node:internal/loader" }], 3);
  b.addSample([app], 5);
  b.addSample([IDLE_FRAME], 7);
  b.addSample([{ name: "load", kind: "js", file: "node:internal/loader" }], 2);
  const labels = { isProgram: (f: string) => f.startsWith("/app/"), isTool: (f: string) => f.startsWith("/tsprof/"), startup: MODULE_LOADING_FRAME };
  const p = relabelStartup(b.build(), labels);
  const names = Array.from(p.samples, (s) => p.frames[p.stacks.frame[s]!]!.name);
  assert.deepEqual(names, ["(tsprof start-up)", "(module loading)", "(module loading)", "main", "(idle)", "load"]);
  assert.deepEqual(Array.from(p.weights), [40, 20, 3, 5, 7, 2]);
});

test("relabelStartup(): tsx transpiling the program's modules before it runs is module loading, tsprof loading tsx is tsprof's start-up", () => {
  // The CLI passes tsprof's own files as tools, not tsx's (run_report.ts: ownPaths()).
  const preload = { name: "start", kind: "js" as const, file: "/opt/tsprof/dist/preload.js" };
  const tsx = { name: "transform", kind: "js" as const, file: "/app/node_modules/tsx/dist/register.mjs" };
  const b = new ProfileBuilder("main");
  b.addSample([preload, tsx], 10); // tsprof's preload importing tsx
  b.addSample([tsx], 30); // tsx's hook transpiling the program's modules
  b.addSample([{ name: "main", kind: "js", file: "/app/a.ts", line: 1, col: 1 }], 5);
  const labels = { isProgram: (f: string) => f.startsWith("/app/") && !f.includes("/node_modules/"), isTool: (f: string) => f.startsWith("/opt/tsprof/"), startup: MODULE_LOADING_FRAME };
  const p = relabelStartup(b.build(), labels);
  assert.deepEqual(Array.from(p.samples, (s) => p.frames[p.stacks.frame[s]!]!.name), ["(tsprof start-up)", "(module loading)", "main"]);
});

test("relabelStartup() with keepIdle leaves the idle samples for the waits, and a second pass keeps tsprof's start", () => {
  // Bun's profile: start-up is labelled before mapping, its idle time after the waits are charged.
  const b = new ProfileBuilder("main");
  const app = { name: "main", kind: "js" as const, file: "/app/a.ts", line: 1, col: 1 };
  b.addSample([{ name: "start", kind: "js", file: "/tsprof/preload.js" }, { name: "parse", kind: "js", file: "/deps/parser.js" }], 40);
  b.addSample([{ name: "(module)", kind: "js", file: "/deps/parser.js", line: 1, col: 1 }], 10);
  b.addSample([IDLE_FRAME], 20);
  b.addSample([app], 5);
  const labels = { isProgram: (f: string) => f.startsWith("/app/"), isTool: (f: string) => f.startsWith("/tsprof/"), startup: MODULE_LOADING_FRAME };
  const names = (p: ReturnType<typeof b.build>) => Array.from(p.samples, (s) => p.frames[p.stacks.frame[s]!]!.name);
  const first = relabelStartup(b.build(), { ...labels, keepIdle: true });
  assert.deepEqual(names(first), ["(tsprof start-up)", "(module loading)", "(idle)", "main"]);
  assert.deepEqual(names(relabelStartup(first, labels)), ["(tsprof start-up)", "(module loading)", "(module loading)", "main"]);
});

test("relabelSpan() labels the samples that began in the span, and only those", () => {
  const b = new ProfileBuilder("main");
  const parse = { name: "parse", kind: "js" as const, file: "/x/node_modules/@babel/parser/lib/index.js" };
  const main = { name: "main", kind: "js" as const, file: "/app/a.ts" };
  b.addSample([IDLE_FRAME], 2); // 0-2: before the span
  b.addSample([parse], 3); // 2-5
  b.addSample([parse], 3); // 5-8
  b.addSample([main], 4); // 8-12: begins at the span's end
  const p = relabelSpan(b.build(), 2, 8, TSPROF_STARTUP_FRAME);
  const names = [...p.samples].map((s) => p.frames[p.stacks.frame[s]!]!.name);
  assert.deepEqual(names, ["(idle)", "(tsprof start-up)", "(tsprof start-up)", "main"]);
  assert.deepEqual([...p.weights], [2, 3, 3, 4], "the time stays as it was");
  const untouched = b.build();
  assert.equal(relabelSpan(untouched, 20, 30, TSPROF_STARTUP_FRAME), untouched, "no sample began in the span");
});

test("relabelStartup() with endsAtIdleMs: a long wait before the program's first sample ends the start-up; with no such sample, an idle end of the profile does not", () => {
  const labels = { isProgram: (f: string) => f.startsWith("/app/") && !f.includes("/node_modules/"), isTool: () => false, startup: MODULE_LOADING_FRAME, endsAtIdleMs: 50 };
  const lib = { name: "parse", kind: "js" as const, file: "/app/node_modules/acorn/dist/acorn.js", line: 1, col: 1 };
  const names = (p: ReturnType<ProfileBuilder["build"]>) => Array.from(p.samples, (s) => p.frames[p.stacks.frame[s]!]!.name);
  // A program whose top level was not sampled: loading, its first wait, a little work (Bun's sampler missed the top level).
  const waits = new ProfileBuilder("main");
  waits.addSample([{ name: "load", kind: "js", file: "/bun/internal.js" }], 30);
  waits.addSample([IDLE_FRAME], 80);
  waits.addSample([lib], 3);
  assert.deepEqual(names(relabelStartup(waits.build(), labels)), ["(module loading)", "(idle)", "parse"]);
  // A package's own program (none of the user's code): its work, then the runtime's unsampled exit as idle.
  const own = new ProfileBuilder("main");
  own.addSample([lib], 300);
  own.addSample([IDLE_FRAME], 60);
  assert.deepEqual(names(relabelStartup(own.build(), labels)), ["parse", "(idle)"]);
});
