/**
 * How fast source mapping is on a large bundle: the TypeScript compiler,
 * bundled and minified by esbuild with a linked map, profiled with
 * `node --cpu-prof` while it compiles a file, then mapped the way
 * `tsprof view x.cpuprofile` does (maps read from disk, parsed once per file).
 *
 *   node --import tsx bench/sourcemap.ts        # results: bench/RESULTS-sourcemap.md
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodedMappings, TraceMap } from "@jridgewell/trace-mapping";
import { importV8CpuProfile, type V8CpuProfile } from "../src/import/v8_cpuprofile.ts";
import { mapsFromFiles } from "../src/sourcemap/map_source.ts";
import { remapProfile, SourceMapCache } from "../src/sourcemap/remap.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "bench/out/sourcemap");
mkdirSync(out, { recursive: true });

// esbuild comes with tsx.
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild") as typeof import("esbuild");
const entry = join(out, "entry.mjs");
writeFileSync(entry, `import ts from "typescript";
const source = ${JSON.stringify(readFileSync(join(root, "src/tree/processors.ts"), "utf8"))};
const end = performance.now() + 1500;
let n = 0;
while (performance.now() < end) n += ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2020 } }).outputText.length;
console.log(n);
`);
const bundle = join(out, "tsc-bundle.cjs");
await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, sourcemap: "linked", platform: "node", format: "cjs", outfile: bundle, logLevel: "warning", nodePaths: [join(root, "node_modules")] });

const profDir = join(out, "prof");
mkdirSync(profDir, { recursive: true });
for (const f of readdirSync(profDir)) if (f.endsWith(".cpuprofile")) writeFileSync(join(profDir, f), "");
const ran = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profDir}`, "--cpu-prof-interval=250", bundle], { encoding: "utf8" });
if (ran.status !== 0) throw new Error(ran.stderr.slice(-2000));
const file = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile") && statSync(join(profDir, f)).size > 0).sort().pop()!;
const cpu = JSON.parse(readFileSync(join(profDir, file), "utf8")) as V8CpuProfile;
const profile = importV8CpuProfile(cpu, "main");

const readText = (p: string) => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
};
let fetches = 0;
const fetch = mapsFromFiles(readText);
const rows: string[] = [];
const times: number[] = [];
let cache = new SourceMapCache(() => undefined);
let mapped = profile;
for (let i = 0; i < 5; i++) {
  cache = new SourceMapCache((f) => {
    fetches++;
    return fetch(f);
  });
  const t0 = performance.now();
  mapped = remapProfile(profile, cache);
  times.push(performance.now() - t0);
}
const t1 = performance.now();
remapProfile(profile, cache);
const warm = performance.now() - t1;

// Where a cold run's time goes: reading, JSON.parse, decoding the mappings.
const tRead = performance.now();
const mapText = readFileSync(`${bundle}.map`, "utf8");
const tParse = performance.now();
const mapJson = JSON.parse(mapText);
const tDecode = performance.now();
decodedMappings(new TraceMap(mapJson, `${bundle}.map`));
const tEnd = performance.now();

const inBundle = profile.frames.filter((f) => f.file === bundle).length;
const toOriginal = mapped.frames.filter((f) => f.file?.includes("/typescript/lib/")).length;
const lineTicks = [...(profile.lines?.values() ?? [])].reduce((n, m) => n + m.size, 0);
const median = times.slice().sort((a, b) => a - b)[2]!;
rows.push(
  `# Source mapping: a large bundle`,
  ``,
  `\`node --import tsx bench/sourcemap.ts\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${process.platform}/${process.arch}, 2 shared cores.`,
  ``,
  `The TypeScript compiler bundled and minified by esbuild (\`bench/out/sourcemap/tsc-bundle.cjs\`, ${(statSync(bundle).size / 1e6).toFixed(1)} MB, map ${(statSync(`${bundle}.map`).size / 1e6).toFixed(1)} MB),`,
  `profiled with \`node --cpu-prof --cpu-prof-interval=250\` while it transpiles a file for 1.5 s: ${profile.frames.length} frames (${inBundle} in the bundle), ${profile.stacks.length} stacks, ${profile.samples.length} samples, ${lineTicks} line ticks.`,
  ``,
  `| what | time |`,
  `| --- | --- |`,
  `| map the profile, cold: read the bundle and its map, parse, decode, map every frame and line tick (median of 5) | ${median.toFixed(0)} ms |`,
  `| the same, each run | ${times.map((t) => t.toFixed(0)).join(", ")} ms |`,
  `| map again with the same cache (map already parsed) | ${warm.toFixed(1)} ms |`,
  `| of a cold run: read the map / JSON.parse / decode its mappings | ${(tParse - tRead).toFixed(0)} / ${(tDecode - tParse).toFixed(0)} / ${(tEnd - tDecode).toFixed(0)} ms |`,
  ``,
  `Maps fetched: ${fetches / 5} per run for ${new Set(profile.frames.map((f) => f.file)).size} distinct files (each file once). Frames that landed in TypeScript's own files: ${toOriginal}.`,
);
writeFileSync(join(root, "bench/RESULTS-sourcemap.md"), `${rows.join("\n")}\n`);
console.log(rows.join("\n"));
