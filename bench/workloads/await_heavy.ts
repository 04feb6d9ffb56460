// Await-heavy: async functions three deep, each step awaiting resolved
// promises (microtasks) and, every step, a real turn of the event loop
// (setImmediate), with a little JSON work between. Prints its own elapsed
// milliseconds and how many awaits ran.
import process from "node:process";
const rounds = Number(process.argv[2] ?? 20000);
let awaits = 0;

async function leaf(i: number): Promise<number> {
  await null;
  awaits++;
  await new Promise((r) => setImmediate(r));
  awaits++;
  return JSON.parse(JSON.stringify({ i, s: "x".repeat(i % 64) })).i as number;
}
async function middle(i: number): Promise<number> {
  const a = await leaf(i);
  awaits++;
  const b = await Promise.resolve(a + 1);
  awaits++;
  return b;
}
async function top(i: number): Promise<number> {
  const r = await middle(i);
  awaits++;
  return r;
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
let sum = 0;
for (let i = 0; i < rounds; i++) {
  sum += await top(i);
  awaits++;
}
const workMs = performance.now() - t0;
const { user, system } = process.cpuUsage(cpu0);
console.log(JSON.stringify({ cpuMs: (user + system) / 1000, workMs, sum, awaits, awaitsPerSecond: Math.round(awaits / (workMs / 1000)) }));
