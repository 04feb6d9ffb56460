// Runs one workload of workloads.mjs (or "mixed": each in turn until the
// given seconds have passed) and prints, as its last line, the work's time
// and the wall clock at its end, so that the bench can tell what happens
// after the program ends. Usage: run.mjs <workload> <scale>
import { workloads } from "./workloads.mjs";

const [name, arg] = process.argv.slice(2);
const t0 = performance.now();
let result = 0;
if (name === "mixed") {
  // Several libraries one after another, until `arg` seconds have passed.
  while (performance.now() - t0 < Number(arg) * 1000) {
    for (const w of ["typescript", "prettier", "terser", "parse", "markdown"]) result += await workloads[w](1);
  }
} else if (name === "empty") {
  // Nothing: what a variant adds around a script.
} else {
  const work = workloads[name];
  if (!work) throw new Error(`no workload "${name}"`);
  result = await work(Number(arg ?? 1));
}
const workMs = performance.now() - t0;
console.log(JSON.stringify({ workMs, result, endMs: performance.timeOrigin + performance.now() }));
