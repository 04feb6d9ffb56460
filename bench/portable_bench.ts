/**
 * Overhead of the portable backend on call-heavy code, against no profiling
 * and the runtime's engine backend: pyinstrument's own overhead benchmark
 * (`fib(25)`, 200,000 tiny method calls, 30,000 JSON round trips), in JS.
 *
 * Every variant runs the same source compiled the same way (`new Function`),
 * plain or instrumented by the portable backend's transform; the timed
 * region is start + workload + stop, as in pyinstrument's bench. The minimum
 * of the repetitions is reported (the machine is shared and noisy).
 *
 * Usage: node --import tsx bench/portable_bench.ts [--quick] [--write]
 *        bun bench/portable_bench.ts      deno run -A bench/portable_bench.ts
 * --quick: tiny workload, one repetition, checks that every variant works
 * (the test suite runs this so the bench cannot rot). --write: also writes
 * the table into bench/RESULTS-portable.md.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import process from "node:process";
import { detectRuntime, loadBackend } from "../runtimes/auto.ts";
import { portableBackend } from "../runtimes/portable/mod.ts";
import { getRecorder } from "../runtimes/portable/recorder.ts";
import type { TickerFactory } from "../runtimes/portable/ticker.ts";
import { instrumentSource } from "../runtimes/portable/transform.ts";
import type { Backend } from "../src/backend.ts";

const quick = process.argv.includes("--quick");
const write = process.argv.includes("--write");
const scale = quick ? 0.05 : 8;
const reps = quick ? 1 : 9;

const WORKLOAD = `
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
class Node { constructor(v) { this.v = v; } val() { return this.v; } }
function objs(n) { let s = 0; for (let i = 0; i < n; i++) s += new Node(i).val(); return s; }
function jsonwork(n) { let s = 0; for (let i = 0; i < n; i++) s += Object.keys(JSON.parse(JSON.stringify({ a: i, b: [i, i, i, i, i] }))).length; return s; }
exports.workload = function workload(scale) { return fib(Math.round(25 + Math.log2(scale))) + objs(200000 * scale) + jsonwork(30000 * scale); };
`;

type Workload = (scale: number) => number;

function compile(code: string): Workload {
  const exports: { workload?: Workload } = {};
  new Function("exports", code)(exports);
  return exports.workload!;
}

const plain = compile(WORKLOAD);
const instrumentedCode = instrumentSource(WORKLOAD, { file: "/bench/workload.js", sourceType: "script", runtime: "global" }).code;
getRecorder();
const instrumented = compile(instrumentedCode);

async function nodeTicker(): Promise<TickerFactory | undefined> {
  if (detectRuntime() !== "node") return undefined;
  return (await import("../runtimes/portable/node_ticker.ts")).nodeWorkerTicker;
}

interface Variant {
  readonly name: string;
  readonly fn: Workload;
  readonly backend?: Backend;
}

/** [start + workload + stop, workload alone] in ms. */
async function timed(v: Variant): Promise<[number, number]> {
  const t0 = performance.now();
  if (v.backend) await v.backend.start({ intervalMs: 1 });
  const t1 = performance.now();
  const r = v.fn(scale);
  const t2 = performance.now();
  if (v.backend) {
    const rec = await v.backend.stop();
    // An engine's sampler may take none in --quick's few milliseconds; the
    // portable backend always charges the time up to stop().
    if (rec.profile.samples.length === 0 && v.backend.name === "portable") throw new Error("portable: no samples");
  }
  if (!(r > 0)) throw new Error("workload returned nothing");
  return [performance.now() - t0, t2 - t1];
}

const ticker = await nodeTicker();
const runtime = detectRuntime();
const variants: Variant[] = [
  { name: "no profiling", fn: plain },
  { name: "instrumented, not recording", fn: instrumented },
  { name: `${runtime} engine backend`, fn: plain, backend: await loadBackend("auto") },
  { name: "portable backend, ticker worker", fn: instrumented, backend: portableBackend(ticker ? { ticker } : {}) },
  { name: "portable backend, clock per event", fn: instrumented, backend: portableBackend({ ticker: false }) },
];

// Warm up every variant, then interleave repetitions so drift hits all alike.
for (const v of variants) await timed(v);
const best = new Map<string, [number, number]>(variants.map((v) => [v.name, [Infinity, Infinity]]));
for (let i = 0; i < reps; i++) {
  for (const v of variants) {
    const [whole, work] = await timed(v);
    const b = best.get(v.name)!;
    best.set(v.name, [Math.min(b[0], whole), Math.min(b[1], work)]);
  }
}

const [base, baseWork] = best.get("no profiling")!;
const version = (globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } }).Deno?.version.deno ??
  (globalThis as { Bun?: { version: string } }).Bun?.version ?? process.versions.node;
const lines = [
  `### ${runtime} ${version}${quick ? " (quick)" : ""}`,
  "",
  "| variant (1 ms interval) | start+work+stop, min ms | slowdown | work alone, min ms | slowdown |",
  "|---|---:|---:|---:|---:|",
  ...variants.map((v) => {
    const [whole, work] = best.get(v.name)!;
    return `| ${v.name} | ${whole.toFixed(1)} | ${(whole / base).toFixed(2)}x | ${work.toFixed(1)} | ${(work / baseWork).toFixed(2)}x |`;
  }),
  "",
];
console.log(lines.join("\n"));
if (write && !quick) {
  const file = new URL("./RESULTS-portable.md", import.meta.url);
  let text = "";
  try {
    text = (await import("node:fs")).readFileSync(file, "utf8");
  } catch {
    text = "";
  }
  const marker = `<!-- ${runtime} ${version.split(".")[0]} -->`;
  const section = `${marker}\n${lines.join("\n")}${marker}`;
  const re = new RegExp(`${marker}[\\s\\S]*?${marker}`);
  writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
}
