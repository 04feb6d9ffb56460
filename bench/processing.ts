/**
 * Processing speed and memory on synthetic profiles of 10^4 … 3.6×10^6
 * samples (an hour at 1 ms) with realistic depth (~40) and 20,000 distinct
 * functions (bench/synthetic_profile.ts): time to load a saved tsprof JSON file, build and
 * process the tree, and render each format; the ratio against a bare
 * JSON.parse of the same file; memory retained per sample by the loaded
 * profile. Results go to bench/RESULTS-processing.md.
 *
 * Usage (any runtime): node --import tsx bench/processing.ts [--quick]
 *   deno run -A bench/processing.ts   bun bench/processing.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { sessionFromJson, sessionToJson } from "../src/format/session_json.ts";
import { RENDERERS } from "../src/render/registry.ts";
import { processProfile } from "../src/tree/processors.ts";
import { syntheticSession } from "./synthetic_profile.ts";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const quick = process.argv.includes("--quick");
const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : quick ? [2_000, 20_000] : [10_000, 100_000, 1_000_000, 3_600_000];
const outFile = quick ? join(root, "bench/out/RESULTS-processing-quick.md") : join(root, "bench/RESULTS-processing.md");

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

function memory(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * The whole command a user runs, `tsprof --load <file>` to the console: its
 * wall time (process start and module loading included) and its peak
 * resident memory, which the command reports at exit through a one-line
 * `--import`. Node only (the npm build): elsewhere the columns say n/a.
 */
function cliRun(file: string): { ms: number; peakMB: number } | undefined {
  const cli = join(root, "dist/cli.js");
  const isNode = !(globalThis as { Deno?: unknown }).Deno && !(globalThis as { Bun?: unknown }).Bun;
  if (!isNode || !existsSync(cli)) return undefined;
  const peak = "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS+'\\n'))";
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", peak, cli, "--load", file, "--no-color"], { encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`tsprof --load failed: ${r.stderr}`);
  const kb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]);
  return { ms, peakMB: kb / 1024 };
}

const runtime = (globalThis as { Deno?: unknown }).Deno ? "deno" : (globalThis as { Bun?: unknown }).Bun ? "bun" : `node ${process.versions.node}`;
const rows: string[] = [];
const dir = join(tmpdir(), `tsprof-processing-${process.pid}`);
mkdirSync(dir, { recursive: true });
try {
  for (const n of sizes) {
    const file = join(dir, `p${n}.json`);
    writeFileSync(file, sessionToJson(syntheticSession({ samples: n })));
    // First, while this process holds little and its GC is quiet: the median of three.
    const clis = [cliRun(file), cliRun(file), cliRun(file)];
    const cli = clis[0] === undefined ? undefined : (clis as { ms: number; peakMB: number }[]).sort((a, b) => a.ms - b.ms)[1]!;
    let text: string | undefined = readFileSync(file, "utf8");
    const size = text.length;
    const [, parseMs] = time(() => JSON.parse(text!));
    text = undefined;
    const before = memory();
    const [session, loadMs] = time(() => sessionFromJson(JSON.parse(readFileSync(file, "utf8"))));
    const retained = memory() - before;
    const p0 = session.profiles[0]!;
    const arrays = p0.samples.byteLength + p0.weights.byteLength + p0.stacks.frame.byteLength + p0.stacks.parent.byteLength;
    const [tree, treeMs] = time(() => processProfile(session.profiles[0]!, { selfNodes: true }));
    void tree;
    const renders: string[] = [];
    let consoleEnd = loadMs + treeMs;
    for (const r of RENDERERS) {
      try {
        const [, ms] = time(() => r.render(session, { version: "bench", color: false }));
        renders.push(`${r.name} ${ms.toFixed(0)}`);
        if (r.name === "console") consoleEnd = loadMs + ms;
      } catch (e) {
        // Said plainly in the table rather than hidden: this size is beyond the format here.
        renders.push(`${r.name} FAILED (${(e as Error).message})`);
      }
    }
    const perSec = n / (consoleEnd / 1000);
    const cliCell = cli === undefined ? "n/a | n/a" : `${cli.ms.toFixed(0)} (${(n / (cli.ms / 1000) / 1e6).toFixed(2)} M/s) | ${cli.peakMB.toFixed(0)}`;
    rows.push(
      `| ${n.toLocaleString("en")} | ${(size / 1e6).toFixed(1)} | ${parseMs.toFixed(0)} | ${loadMs.toFixed(0)} (${(loadMs / parseMs).toFixed(2)}×) | ${treeMs.toFixed(0)} | ${renders.join(", ")} | ${consoleEnd.toFixed(0)} | ${(perSec / 1e6).toFixed(2)} | ${cliCell} | ${(arrays / n).toFixed(1)} (${(p0.stacks.length / n).toFixed(2)} stacks/sample) | ${(retained / n).toFixed(1)} |`,
    );
    process.stderr.write(`${n} done\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const lines = [
  `# tsprof processing speed (${runtime})`,
  "",
  `Measured ${new Date().toISOString()} by \`bench/processing.ts${quick ? " --quick" : ""}\` on ${runtime}. Times in ms; the file is tsprof JSON.`,
  "Goals: at least 1 million samples per second end to end for the console (load + render, the render including its own tree building and processing; and the whole \`tsprof --load <file>\` command, process start included); retained memory under 32 bytes per sample. *Profile arrays*: the loaded profile's typed arrays (sample stack ids and weights, 12 B a sample, plus the stack table, which grows with distinct stacks); *heap delta*: everything the load kept (frames too), measured with the GC forced, noisy at small sizes.",
  "",
  "| samples | file MB | JSON.parse | load (× JSON.parse) | tree + process | render each format | console end to end | M samples/s | \`tsprof --load\` wall | its peak RSS MB | profile arrays B/sample | heap delta B/sample |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
];
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
