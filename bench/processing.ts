/**
 * Processing speed and memory on synthetic profiles of 10^4 … 3.6×10^6
 * samples (an hour at 1 ms) with realistic depth (~40) and tens of thousands
 * of distinct frames: time to load a saved tsprof JSON file, build and
 * process the tree, and render each format; the ratio against a bare
 * JSON.parse of the same file; memory retained per sample by the loaded
 * profile. Results go to bench/RESULTS-processing.md.
 *
 * Usage (any runtime): node --import tsx bench/processing.ts [--quick]
 *   deno run -A bench/processing.ts   bun bench/processing.ts
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { ProfileBuilder } from "../src/format/builder.ts";
import { sessionFromJson, sessionToJson } from "../src/format/session_json.ts";
import type { Frame, Session } from "../src/format/types.ts";
import { RENDERERS } from "../src/render/registry.ts";
import { buildCallTree } from "../src/tree/call_tree.ts";
import { processTree } from "../src/tree/processors.ts";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const quick = process.argv.includes("--quick");
const sizes = quick ? [2_000, 20_000] : [10_000, 100_000, 1_000_000, 3_600_000];
const outFile = quick ? join(root, "bench/out/RESULTS-processing-quick.md") : join(root, "bench/RESULTS-processing.md");

/** A deterministic PRNG, so every run profiles the same synthetic program. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic program: 30,000 functions in 600 files (a third in
 * node_modules), call paths that share prefixes the way real ones do.
 */
function synthetic(samples: number): Session {
  const rand = prng(42);
  const frames: Frame[] = [];
  for (let i = 0; i < 30_000; i++) {
    const file = i % 3 === 0 ? `/app/node_modules/lib${i % 97}/dist/m${i % 200}.js` : `/app/src/mod${i % 400}.ts`;
    frames.push({ name: `fn${i}`, file, line: 1 + (i % 900), col: 1 + (i % 40), kind: "js" });
  }
  const b = new ProfileBuilder("main");
  // A pool of "hot paths" sampled with a skewed distribution, each mutated at its tail.
  const paths: number[][] = [];
  for (let p = 0; p < 2_000; p++) {
    const depth = 30 + Math.floor(rand() * 20);
    const path: number[] = [];
    const base = p % 50;
    for (let d = 0; d < depth; d++) path.push(d < 8 ? base * 8 + d : Math.floor(rand() * frames.length));
    paths.push(path);
  }
  const ids = frames.map((f) => b.internFrame(f));
  for (let i = 0; i < samples; i++) {
    const path = paths[Math.floor(paths.length * rand() ** 3)]!;
    const cut = path.length - Math.floor(rand() * 6);
    let s = -1;
    for (let d = 0; d < cut; d++) s = b.internStack(s, ids[path[d]!]!);
    b.addStackSample(s, 0.9 + rand() * 0.2);
  }
  const profile = b.build();
  return { version: 1, meta: { runtime: "synthetic", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: samples }, profiles: [profile] };
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

function memory(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const runtime = (globalThis as { Deno?: unknown }).Deno ? "deno" : (globalThis as { Bun?: unknown }).Bun ? "bun" : `node ${process.versions.node}`;
const rows: string[] = [];
const dir = join(tmpdir(), `tsprof-processing-${process.pid}`);
mkdirSync(dir, { recursive: true });
try {
  for (const n of sizes) {
    const file = join(dir, `p${n}.json`);
    writeFileSync(file, sessionToJson(synthetic(n)));
    const text = readFileSync(file, "utf8");
    const [, parseMs] = time(() => JSON.parse(text));
    const before = memory();
    const [session, loadMs] = time(() => sessionFromJson(JSON.parse(readFileSync(file, "utf8"))));
    const retained = memory() - before;
    const [tree, treeMs] = time(() => processTree(buildCallTree(session.profiles[0]!), {}));
    void tree;
    const renders: string[] = [];
    let consoleEnd = loadMs + treeMs;
    for (const r of RENDERERS) {
      const [, ms] = time(() => r.render(session, { version: "bench", color: false }));
      renders.push(`${r.name} ${ms.toFixed(0)}`);
      if (r.name === "console") consoleEnd = loadMs + ms;
    }
    const perSec = n / (consoleEnd / 1000);
    rows.push(
      `| ${n.toLocaleString("en")} | ${(text.length / 1e6).toFixed(1)} | ${parseMs.toFixed(0)} | ${loadMs.toFixed(0)} (${(loadMs / parseMs).toFixed(2)}×) | ${treeMs.toFixed(0)} | ${renders.join(", ")} | ${consoleEnd.toFixed(0)} | ${(perSec / 1e6).toFixed(2)} | ${(retained / n).toFixed(1)} |`,
    );
    process.stderr.write(`${n} done\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const lines = [
  `# tsprof processing speed (${runtime})`,
  "",
  `Measured ${new Date().toISOString()} by \`bench/processing.ts${quick ? " --quick" : ""}\` on ${runtime}. Times in ms; the file is tsprof JSON.`,
  "Goals: at least 1 million samples per second end to end for the console (load + render, the render including its own tree building and processing); retained memory under 32 bytes per sample.",
  "",
  "| samples | file MB | JSON.parse | load (× JSON.parse) | tree + process | render each format | console end to end | M samples/s | retained B/sample |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
];
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
