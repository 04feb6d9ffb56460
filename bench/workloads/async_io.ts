// Async I/O: timers, file writes and reads, JSON. Prints its own elapsed milliseconds.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const rounds = Number(process.argv[2] ?? 60);
const dir = await mkdtemp(join(tmpdir(), "tsprof-bench-"));
const t0 = performance.now();
let bytes = 0;
for (let i = 0; i < rounds; i++) {
  const data = { i, items: Array.from({ length: 2000 }, (_, k) => ({ k, s: `item-${k}` })) };
  const file = join(dir, `f${i % 4}.json`);
  await writeFile(file, JSON.stringify(data));
  bytes += (JSON.parse(await readFile(file, "utf8")) as { items: unknown[] }).items.length;
  await new Promise((r) => setTimeout(r, 2));
}
await rm(dir, { recursive: true, force: true });
console.log(JSON.stringify({ workMs: performance.now() - t0, bytes }));
