// Two builds of tsprof side by side on one real workload (bench/real/run.mjs),
// interleaved: the wall ms from the program's last statement (which the
// workload prints) to the report's first line, and to the command's exit.
// The entries are a build's dist/cli.js (Node, Bun) or a checkout's mod.ts (Deno).
// Usage: node bench/ab_after_end.mjs <runtime exe> <entry A> <entry B> [--runs 10] [--workload typescript] [--scale 1]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [exe, a, b, ...rest] = process.argv.slice(2);
const opt = (name, fallback) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : fallback);
if (!exe || !a || !b) {
  console.error("usage: node bench/ab_after_end.mjs <runtime exe> <entry A> <entry B> [--runs N] [--workload W] [--scale S]");
  process.exit(2);
}
const runs = Number(opt("--runs", "10"));
const workload = opt("--workload", "typescript");
const scale = opt("--scale", "1");
const deno = /deno(\.exe)?$/.test(exe);
const scratch = mkdtempSync(join(tmpdir(), "tsprof-ab-"));

/** One run: ms from the program's end to the report's first line and to the exit. */
function once(entry) {
  return new Promise((resolve, reject) => {
    const argv = [...(deno ? ["run", "-A"] : []), entry, join(root, "bench/real/run.mjs"), workload, scale];
    // Each run keeps a session: a data directory of its own, deleted after.
    const env = { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: join(scratch, "data") };
    const child = spawn(exe, argv, { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let printed;
    const take = (chunk) => {
      const text = chunk.toString();
      out += text;
      if (printed === undefined && /Samples: /.test(text)) printed = performance.timeOrigin + performance.now();
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("exit", (code) => {
      const exit = performance.timeOrigin + performance.now();
      const end = Number(/"endMs":([0-9.]+)/.exec(out)?.[1]);
      if (code !== 0 || !Number.isFinite(end) || printed === undefined) reject(new Error(`${entry}: exit ${code}, no report or no end mark\n${out.slice(-500)}`));
      else resolve({ printed: printed - end, exit: exit - end });
    });
  });
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
try {
  const results = { A: [], B: [] };
  for (let i = 0; i < runs; i++) {
    for (const k of i % 2 === 0 ? ["A", "B"] : ["B", "A"]) results[k].push(await once(k === "A" ? a : b));
  }
  console.log(`${workload} ${scale}, ${runs} interleaved runs, ms after the program's end (median):`);
  for (const [k, entry] of [["A", a], ["B", b]]) {
    const r = results[k];
    console.log(`${k} ${entry}: report ${median(r.map((x) => x.printed)).toFixed(0)}, exit ${median(r.map((x) => x.exit)).toFixed(0)}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
