// Await-heavy as a program that works with files is: walks a real folder
// (the repository's node_modules, sorted, so every run reads the same files),
// awaiting each readdir, stat and read, eight files at a time, and counts the
// lines that declare functions. Thousands of awaits a second, each waiting on
// real I/O; `limit` files in all, walking the folder again as often as that
// takes. Prints its own elapsed milliseconds and how many awaits ran.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";

const limit = Number(process.argv[2] ?? 2000);
const root = process.argv[3] ?? join(import.meta.dirname ?? ".", "../../node_modules");
let awaits = 0;
let files = 0;
let functions = 0;
const FUNCTION = /\bfunction\b|=>/g;

async function countFile(path: string): Promise<void> {
  const info = await stat(path);
  awaits++;
  if (info.size > 256 * 1024) return;
  const text = await readFile(path, "utf8");
  awaits++;
  functions += text.match(FUNCTION)?.length ?? 0;
  files++;
}

async function walk(dir: string): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  awaits++;
  const batch: Promise<void>[] = [];
  for (const e of entries) {
    if (files >= limit) break;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      await Promise.all(batch.splice(0));
      awaits++;
      await walk(path);
      awaits++;
    } else if (/\.(?:js|mjs|cjs|json|ts)$/.test(e.name)) {
      batch.push(countFile(path));
      if (batch.length === 8) {
        await Promise.all(batch.splice(0));
        awaits++;
      }
    }
  }
  await Promise.all(batch);
  awaits++;
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
// Past the folder's last file, the walk starts again: a run long enough that one slow moment weighs little.
for (let before = -1; files < limit && files > before; ) {
  before = files;
  await walk(root);
}
const workMs = performance.now() - t0;
const { user, system } = process.cpuUsage(cpu0);
console.log(JSON.stringify({ cpuMs: (user + system) / 1000, workMs, files, functions, awaits, awaitsPerSecond: Math.round(awaits / (workMs / 1000)) }));
