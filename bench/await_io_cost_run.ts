// One runtime's side of bench/await_io_cost.mjs: an I/O workload of
// bench/workloads/ (await_http, await_files), loaded as written and with its
// `await`s marked as the CLI marks them on Node or Bun, the recorder registered as
// the CLI registers it, in one process. Each round imports each anew (a copy
// of the file, so that the module's top level runs again: a server, its
// requests, or the walk), and the module as written once more (a control), the order
// reversed every other round, so that the process's
// drift and the machine's hit both. Run by the driver under V8's sampler
// (`--cpu-prof`), as tsprof runs a program.
// Prints one JSON line: each run's own wall and CPU ms, as the workload prints
// them, and the awaits a run makes.
// Usage: node --import tsx bench/await_io_cost_run.ts <workload> <size> <rounds> [items] (or bun bench/await_io_cost_run.ts ...)
// (items: what await_http's server renders into each answer)
import { createRequire } from "node:module";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import process from "node:process";
import { markAwaitsInCode } from "../src/async/await_edits_js.ts";
import { markAwaitsInSource } from "../src/async/await_edits.ts";
import { requireMarkLibraries } from "../src/async/mark_libraries.ts";
import { trackMarkedAwaits } from "../src/async/marked_awaits.ts";
import { afterTurn } from "../runtimes/_soon.ts";
import { registerAwaitMarks } from "../src/async/await_point_names.ts";

const [workload = "await_http", size = "4000", roundsArg = "15", items = "0"] = process.argv.slice(2);
const rounds = Number(roundsArg);
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

type Measured = { workMs: number; cpuMs: number; awaits: number };

const dir = mkdtempSync(join(tmpdir(), "tsprof-io-cost-"));
try {
  // On Node, as tsx hands Node the module, then as tsprof's hooks edit it; on Bun, the source as its plugin edits it.
  const source = readFileSync(join(root, "bench/workloads", `${workload}.ts`), "utf8");
  const ext = bun ? "ts" : "mjs";
  const edited = join(dir, `edited.${ext}`);
  const js = bun ? source : (await import("esbuild")).transformSync(source, { loader: "ts", format: "esm" }).code;
  const code = bun
    ? markAwaitsInSource(source, { file: edited, typescript: true, jsx: false })?.code
    : markAwaitsInCode(js, { libs: requireMarkLibraries(createRequire(import.meta.url)), file: edited, format: "esm" })?.code;
  if (code === undefined) throw new Error(`${workload}: not marked`);
  writeFileSync(edited, code);
  const plain = join(dir, `plain.${ext}`);
  writeFileSync(plain, js);
  // As the CLI's recorders (runtimes/node/awaits.ts, src/cli/child/bun_awaits.ts), the sampling interval a quarter of a millisecond's wait.
  const tracker = trackMarkedAwaits({ minMs: 0.25, jsc: bun, afterTurn });
  registerAwaitMarks(tracker.marks);

  // The workloads read their size (and the walk its folder, the server its items) from argv, and print what they measured.
  process.argv.splice(2, process.argv.length, size, workload === "await_files" ? join(root, "node_modules") : items);
  let runs = 0;
  const once = async (file: string): Promise<Measured> => {
    const log = console.log;
    let line = "";
    console.log = (text: string) => void (line = text);
    try {
      // A copy each run: Bun runs a module once whatever its URL's query.
      const copy = join(dir, `run${runs++}-${basename(file)}`);
      copyFileSync(file, copy);
      await import(pathToFileURL(copy).href);
    } finally {
      console.log = log;
    }
    return JSON.parse(line) as Measured;
  };
  // `control` runs the module as written again: a ratio with no cost behind it, the rounds' noise.
  const arms = [["plain", plain], ["marked", edited], ["control", plain]] as const;
  const times = { plain: [] as Measured[], marked: [] as Measured[], control: [] as Measured[] };
  // Warm-up: both compiled and optimized, the files in the page cache, before anything is timed.
  await once(plain);
  await once(edited);
  for (let r = 0; r < rounds; r++) {
    for (const [name, file] of r % 2 ? [...arms].reverse() : arms) times[name].push(await once(file));
  }
  tracker.stop();
  console.log(JSON.stringify({ ...times, waitsKept: tracker.waits().length }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
