// One runtime's side of bench/await_marks_cost.mjs: the await-heavy loop of
// bench/workloads/await_heavy.ts, loaded twice in this process, as written
// and with its `await`s marked by the edit this runtime gets under tsprof
// (acorn's on Node and Deno, Bun's own on Bun), the recorder registered as
// the CLI registers it. The two run in turn, the order reversed every other
// round, so that the process's own drift (JIT, GC, the machine) hits both.
// Prints one JSON line: median ms of each, and the awaits a run makes.
// Usage: <runtime> bench/await_marks_cost_run.ts [rounds] [steps]
import { createRequire } from "node:module";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";
import { markAwaitsInCode } from "../src/async/await_edits_js.ts";
import { markAwaitsInSource } from "../src/async/await_edits.ts";
import { requireMarkLibraries } from "../src/async/mark_libraries.ts";
import { trackMarkedAwaits } from "../src/async/marked_awaits.ts";
import { afterTurn } from "../runtimes/_soon.ts";
import { registerAwaitMarks } from "../src/async/await_point_names.ts";

const rounds = Number(process.argv[2] ?? 15);
const steps = Number(process.argv[3] ?? 20000);
const bun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

// await_heavy.ts's loop, as a module of plain JavaScript: six awaits a step,
// one of them a real turn of the event loop.
const AWAIT_HEAVY = `
async function leaf(i) {
  await null;
  await new Promise((r) => setImmediate(r));
  return JSON.parse(JSON.stringify({ i, s: "x".repeat(i % 64) })).i;
}
async function middle(i) {
  const a = await leaf(i);
  const b = await Promise.resolve(a + 1);
  return b;
}
async function top(i) {
  const r = await middle(i);
  return r;
}
export async function run(steps) {
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += await top(i);
  return sum;
}
export const AWAITS_PER_STEP = 6;
`;

// A `for await` over values that are there already, 400 of them a turn of the
// event loop, as a loop over a stream's buffered lines awaits: the marks tell the
// turn there rather than read the clock at every `await`.
const BUFFERED = `
async function* values(steps) {
  for (let i = 0; i < steps; i++) {
    yield "a,b," + i;
    if (i % 400 === 399) await new Promise((r) => setImmediate(r));
  }
}
export async function run(steps) {
  let sum = 0;
  for await (const line of values(steps * 6)) sum += Number(line.split(",")[2]) & 1;
  return sum;
}
export const AWAITS_PER_STEP = 6;
`;
const WORKLOAD = process.argv[4] === "buffered" ? BUFFERED : AWAIT_HEAVY;

const dir = mkdtempSync(join(tmpdir(), "tsprof-marks-cost-"));
try {
  const edited = join(dir, "edited.mjs");
  const code = bun
    ? markAwaitsInSource(WORKLOAD, { file: edited, typescript: false, jsx: false })?.code
    : markAwaitsInCode(WORKLOAD, { libs: requireMarkLibraries(createRequire(import.meta.url)), file: edited, format: "esm" })?.code;
  if (code === undefined) throw new Error("the workload was not marked");
  writeFileSync(edited, code);
  writeFileSync(join(dir, "plain.mjs"), WORKLOAD);
  // As the CLI's recorders make it on each runtime (`runtimes/_soon.ts`).
  const tracker = trackMarkedAwaits({ minMs: 0.25, jsc: bun, afterTurn });
  registerAwaitMarks(tracker.marks);
  type Workload = { run(steps: number): Promise<number>; AWAITS_PER_STEP: number };
  const plain = (await import(pathToFileURL(join(dir, "plain.mjs")).href)) as Workload;
  const marked = (await import(pathToFileURL(edited).href)) as Workload;
  const times = { plain: [] as number[], marked: [] as number[] };
  // Warm-up: both compiled and optimized before anything is timed.
  await plain.run(steps / 4);
  await marked.run(steps / 4);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? (["marked", "plain"] as const) : (["plain", "marked"] as const);
    for (const k of order) {
      const t0 = performance.now();
      await (k === "plain" ? plain : marked).run(steps);
      times[k].push(performance.now() - t0);
    }
  }
  tracker.stop();
  const ratios = times.marked.map((t, i) => t / times.plain[i]!);
  console.log(JSON.stringify({ ...times, ratios, awaits: steps * plain.AWAITS_PER_STEP, waitsKept: tracker.waits().length }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
