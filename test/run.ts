/**
 * Runs every `*_test.ts` under test/ (or those whose path contains one of the
 * arguments) on the runtime it is started with, and prints
 * `N passed, N failed` last.
 *
 * @module
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { registry, runtimeLabel, teardowns } from "./harness.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
const filters = process.argv.slice(2);

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === "fixtures" || name === "node_modules") continue;
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith("_test.ts")) out.push(path);
  }
  return out;
}

const files = findTests(root).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const label = runtimeLabel();
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

for (const file of files) {
  const start = registry.length;
  const firstTeardown = teardowns.length;
  await import(pathToFileURL(file).href);
  const rel = relative(root, file);
  for (const t of registry.slice(start)) {
    const name = `${rel} > ${t.name}`;
    if (t.options.skip) {
      skipped++;
      console.log(`skip  [${label}] ${name} (${t.options.skip})`);
      continue;
    }
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeoutMs = t.options.timeoutMs ?? 60_000;
      await Promise.race([
        Promise.resolve().then(t.fn),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      passed++;
      console.log(`ok    [${label}] ${name} (${Math.round(performance.now() - t0)} ms)`);
    } catch (e) {
      failed++;
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      failures.push(`[${label}] ${name}\n${msg}`);
      console.log(`FAIL  [${label}] ${name}\n${msg.replace(/^/gm, "      ")}`);
    } finally {
      clearTimeout(timer);
    }
  }
  for (const teardown of teardowns.slice(firstTeardown)) {
    try {
      await teardown();
    } catch (e) {
      failed++;
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      failures.push(`[${label}] ${relative(root, file)} > teardown\n${msg}`);
      console.log(`FAIL  [${label}] ${relative(root, file)} > teardown\n${msg.replace(/^/gm, "      ")}`);
    }
  }
}

if (failures.length > 0) console.log(`\nFailures on ${label}:\n${failures.join("\n\n")}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
