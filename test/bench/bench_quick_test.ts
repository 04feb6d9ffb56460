import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { test } from "../harness.ts";
import { ROOT, run } from "../_cli.ts";

// The benchmarks are not tests, but their --quick modes run here so the
// bench code cannot rot. The overhead bench drives all four runtimes itself,
// so it runs from one of them only.
const onNode20 = process.env.TSPROF_TEST_RUNTIME === "node20";

test("bench/processing.ts --quick runs and writes its table", () => {
  const r = run([process.execPath, "--import", "tsx", "bench/processing.ts", "--quick"]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(ROOT, "bench/out/RESULTS-processing-quick.md"), "utf8");
  assert.match(table, /\| 20,000 \|/);
}, { skip: onNode20 ? false : "runs on node20 only" });

test("bench/overhead.mjs --quick runs every runtime and variant", () => {
  const r = run([process.execPath, "bench/overhead.mjs", "--quick", "--rounds", "1"]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(ROOT, "bench/out/RESULTS-quick.md"), "utf8");
  for (const rt of ["node20", "node24", "deno", "bun"]) assert.match(table, new RegExp(`\\| ${rt} \\| recursion \\| tsprof \\|`));
  assert.match(table, /\| bun \| recursion \| bun-jsc \|/);
  // The fixed costs: one row per runtime and variant, a number of ms per workload, startup first.
  for (const rt of ["node20", "node24", "deno", "bun"]) assert.match(table, new RegExp(`\\| ${rt} \\| tsprof \\| -?\\d+ \\| -?\\d+ \\| -?\\d+ \\| -?\\d+ \\|`));
}, { skip: onNode20 ? false : "runs on node20 only", timeoutMs: 180_000 });

test("bench/real_overhead.mjs --quick runs real workloads and says where tsprof's time after the end goes", () => {
  const r = run([process.execPath, "bench/real_overhead.mjs", "--quick", "--rounds", "1", "--runtimes", "node20", "--workloads", "empty,markdown"]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(ROOT, "bench/out/RESULTS-real-quick.md"), "utf8");
  assert.match(table, /\| node20 \| tsprof \| \d+\.\d\d \| \d+\.\d\d \|/);
  assert.match(table, /\| node20 \| markdown \| \d+ \| [\d.]+ \/ [\d.]+ \| [\d.]+ \/ [\d.]+ \| -?\d+ \/ -?\d+ \/ -?\d+ \|/);
  // tsprof's phases: the child's and the CLI's, up to the printed report.
  assert.match(table, /\| node20 \| markdown \| .*child\.stop \d+.*cli\.printed \d+/);
}, { skip: onNode20 ? false : "runs on node20 only", timeoutMs: 180_000 });

test("bench/awaits.mjs --quick compares await attribution on and off, and checks the known waits", () => {
  const r = run([process.execPath, "bench/awaits.mjs", "--quick", "--runtimes", "node20"]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(ROOT, "bench/out/RESULTS-awaits-quick.md"), "utf8");
  for (const w of ["await_http", "await_heavy", "lib_cpu", "recursion"]) assert.match(table, new RegExp(`\\| node20 \\| ${w} \\| \\d* \\| [\\d.]+ \\([\\d.]+–[\\d.]+\\) \\| [\\d.]+ `));
  assert.match(table, /\| node20 \| `timer > \[await\] sleep` \| 300 \| [\d.]+ \| [\d.]+ /);
}, { skip: onNode20 ? false : "runs on node20 only", timeoutMs: 180_000 });

test("bench/awaits.mjs --workloads runs the workloads named, --control beside a second --no-async, and names a workload it does not know", () => {
  const out = join(ROOT, "bench/out/RESULTS-awaits-workloads-quick.md");
  const r = run([process.execPath, "bench/awaits.mjs", "--quick", "--runtimes", "node24", "--workloads", "await_heavy", "--control", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(out, "utf8");
  assert.match(table, /--workloads await_heavy --control`/);
  // … in-script ms, the share of waiting charged to an await, the control.
  assert.match(table, /\| node24 \| await_heavy \| \d+ \| [\d.]+ \([\d.]+–[\d.]+\) \| [\d.]+ \([\d.]+–[\d.]+\) \| [\d.]+–[\d.]+ \| \d+ \| [01]\.\d\d \| [\d.]+ \([\d.]+–[\d.]+\) \|/);
  assert.doesNotMatch(table, /await_http|lib_cpu/);
  const bad = run([process.execPath, "bench/awaits.mjs", "--quick", "--workloads", "await_nope"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^bench\/awaits\.mjs: no workload await_nope \(await_files, /);
}, { skip: onNode20 ? false : "runs on node20 only", timeoutMs: 180_000 });

test("bench/await_marks_cost.mjs --quick times each marked loop beside the unmarked one on every runtime", () => {
  const r = run([process.execPath, "bench/await_marks_cost.mjs", "--quick"]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(ROOT, "bench/out/RESULTS-await-marks-cost-quick.md"), "utf8");
  for (const rt of ["node20", "node24", "deno", "bun"]) for (const loop of ["await_heavy", "buffered"]) assert.match(table, new RegExp(`\\| ${rt} \\| ${loop} \\| \\d+ \\| [\\d.]+ \\([\\d.]+–[\\d.]+\\) \\| -?\\d+ \\| -?[\\d.]+% \\| -?[\\d.]+% \\|`));
}, { skip: onNode20 ? false : "runs on node20 only", timeoutMs: 120_000 });

test("bench/await_io_cost.mjs --quick times Node's I/O workloads as written, as marked and as written again, in one process", () => {
  const r = run([process.execPath, "bench/await_io_cost.mjs", "--quick", "--items", "0,10"]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(ROOT, "bench/out/RESULTS-await-io-cost-quick.md"), "utf8");
  const ratio = "[\\d.]+ \\([\\d.]+–[\\d.]+\\)";
  for (const rt of ["node20", "node24"]) for (const w of ["await_http", "await_http, 10 items", "await_files"]) assert.match(table, new RegExp(`\\| ${rt} \\| ${w} \\| \\d+ \\| \\d+ \\| ${ratio} \\| ${ratio} \\| [\\d.]+–[\\d.]+ \\| ${ratio} \\| -?\\d+ \\| [1-9]\\d* \\|`));
  const bad = run([process.execPath, "bench/await_io_cost.mjs", "--quick", "--workloads", "await_nope"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^bench\/await_io_cost\.mjs: no workload await_nope \(await_http, /);
  const badItems = run([process.execPath, "bench/await_io_cost.mjs", "--quick", "--items", "many"]);
  assert.equal(badItems.status, 2);
  assert.match(badItems.stderr, /^bench\/await_io_cost\.mjs: --items: many is not a count/);
}, { skip: onNode20 ? false : "runs on node20 only", timeoutMs: 120_000 });

test("bench/stack_capture.mjs --quick times a stack taken in a loop, once a turn and cold, on every runtime", () => {
  const r = run([process.execPath, "bench/stack_capture.mjs", "--quick"]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(join(ROOT, "bench/out/RESULTS-stack-capture-quick.md"), "utf8");
  for (const rt of ["node20", "node24", "deno", "bun"]) assert.match(table, new RegExp(`\\| ${rt} \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\|\n`));
  const bad = run([process.execPath, "bench/stack_capture.mjs", "--quick", "--runtimes", "node99"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^bench\/stack_capture\.mjs: no runtime node99 \(node20, /);
}, { skip: onNode20 ? false : "runs on node20 only", timeoutMs: 120_000 });

test("bench/ab_awaits.mjs runs builds side by side over --no-async and writes its table, a column each", () => {
  const out = join(ROOT, "bench/out/RESULTS-awaits-ab-quick.md");
  const r = run([process.execPath, "bench/ab_awaits.mjs", ROOT, ROOT, ROOT, "--rounds", "1", "--runtimes", "node24", "--workloads", "await_heavy", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(out, "utf8"), /\| node24 \| await_heavy \| \d+ \| [\d.]+ \/ [\d.]+ \| [\d.]+ \/ [\d.]+ \| [\d.]+ \/ [\d.]+ \|\n/);
}, { skip: onNode20 ? false : "runs on node20 only" });

test("bench/promise_hooks.mjs runs each variant of the hooks on Node 20 and 24", () => {
  const out = join(ROOT, "bench/out/RESULTS-promise-hooks-quick.md");
  const r = run([process.execPath, "bench/promise_hooks.mjs", "--rounds", "1", "--awaits", "20000", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  const table = readFileSync(out, "utf8");
  for (const rt of ["node20", "node24"]) assert.match(table, new RegExp(`\\| ${rt} \\| \\d+ \\(1\\.00x\\) \\| \\d+ \\([\\d.]+x\\) \\| \\d+ \\([\\d.]+x\\) \\| \\d+ \\([\\d.]+x\\) \\|`));
}, { skip: onNode20 ? false : "runs on node20 only" });

test("bench/awaits.mjs and bench/await_io_cost.mjs refuse an option they do not know, or one without its value, in one line, before running anything", () => {
  for (const bench of ["bench/awaits.mjs", "bench/await_io_cost.mjs"]) {
    const results = join(ROOT, bench === "bench/awaits.mjs" ? "bench/RESULTS-awaits.md" : "bench/RESULTS-await-io-cost.md");
    const before = readFileSync(results, "utf8");
    for (const argv of [["--help"], ["--rounds"]]) {
      const r = run([process.execPath, bench, ...argv]);
      assert.equal(r.status, 2, `${bench} ${argv.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^${bench}: .*--rounds`));
    }
    assert.equal(readFileSync(results, "utf8"), before, "its results file as it was");
  }
}, { skip: onNode20 ? false : "runs on node20 only" });
