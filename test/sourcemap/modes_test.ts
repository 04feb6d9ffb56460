// The same function at the same `file:line:col` in every mode and on every
// runtime: one fixture project (test/fixtures/positions: TypeScript run as
// it is or through tsx, compiled by tsc with maps beside the code, bundled
// by esbuild, a package in node_modules shipping compiled code and its map,
// a CommonJS file without a map, a vitest test) profiled by a direct run,
// `tsprof -- <command>`, the library and the HTTP integration. The column is
// where the function's name starts, as an editor shows it.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import type { Session } from "../../src/format/types.ts";
import { ROOT, run, tsprof } from "../_cli.ts";
import { test } from "../harness.ts";

const runtime = detectRuntime();
const DIR = join(ROOT, "test/fixtures/positions");
const ENV = { POSITIONS_MS: "150" };

/** Where each function's name is, in the sources (checked against their "line N" comments below). */
const EXPECTED: Readonly<Record<string, string>> = {
  crunch: "src/work.ts:11:17",
  settle: "src/work.ts:21:23",
  weigh: "node_modules/pos-lib/src/index.ts:7:17",
  knead: "src/legacy.cjs:3:10",
  // Unnamed functions bound to a name: named and placed by it.
  stir: "src/work.ts:28:14",
  blend: "src/work.ts:34:3",
};

/** Where the one unnamed function of src/work.ts starts: its parameter list, as V8 reports it. */
const CALLBACK = "src/work.ts:29:28";

/** `file:line:col` of every frame of the fixture's functions, by name, paths relative to the fixture. */
function positions(session: Session): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of session.profiles) {
    for (const f of p.frames) {
      const callback = f.name === "(anonymous)" && f.file === join(DIR, "src/work.ts");
      if (!(f.name in EXPECTED || callback) || !f.file?.startsWith(`${DIR}/`)) continue;
      let set = out.get(f.name);
      if (!set) out.set(f.name, (set = new Set()));
      set.add(`${f.file.slice(DIR.length + 1)}:${f.line}:${f.col}`);
    }
  }
  return out;
}

/**
 * Asserts that each of `names` the profile sampled has exactly its expected
 * position (`legacy`: where the CommonJS file ran from), and that `crunch`,
 * which runs longest, was sampled, and under its name each bound function
 * of `names` that calls it for a while: on a loaded machine a sampler may
 * miss a short function, never place it elsewhere.
 */
function assertPositions(session: Session, names: readonly string[], legacy = "src/legacy.cjs"): void {
  const found = positions(session);
  const shown = JSON.stringify(Object.fromEntries([...found].map(([k, v]) => [k, [...v]])));
  for (const name of ["crunch", ...BOUND.filter((n) => names.includes(n))]) assert.ok(found.has(name), `${name} was sampled: ${shown}`);
  for (const name of names) {
    const expected = EXPECTED[name]!.replace("src/legacy.cjs", legacy);
    if (found.has(name)) assert.deepEqual([...found.get(name)!], [expected], `${name}: ${shown}`);
  }
  // Bun has no frame for it: JavaScriptCore's proper tail call replaces it with crunch.
  if (names.includes("stir") && found.has("(anonymous)")) assert.deepEqual([...found.get("(anonymous)")!], [CALLBACK], `(anonymous): ${shown}`);
}

const BOUND = ["stir", "blend"];
const ALL = ["crunch", "settle", "weigh", "knead", ...BOUND];

test("the fixture's expected positions agree with its \"line N\" comments and the names' columns", () => {
  for (const [name, where] of Object.entries(EXPECTED)) {
    const [file, line, col] = where.split(":") as [string, string, string];
    const text = readFileSync(join(DIR, file), "utf8").split("\n")[Number(line) - 1]!;
    assert.match(text, new RegExp(`// line ${line}: ${name}$`), where);
    assert.ok(text.startsWith(name, Number(col) - 1), `${where}: ${text}`);
  }
  const [, line, col] = CALLBACK.split(":");
  const text = readFileSync(join(DIR, "src/work.ts"), "utf8").split("\n")[Number(line) - 1]!;
  assert.ok(text.endsWith(`// line ${line}: (anonymous)`) && text.startsWith("(b: Budget) =>", Number(col) - 1), `${CALLBACK}: ${text}`);
});

/** Runs tsprof with `-o` in the fixture and reads the session it wrote. */
function profiled(args: readonly string[]): Session {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-positions-"));
  try {
    const out = join(dir, "out.json");
    const r = tsprof(["-o", out, ...args], { cwd: DIR, env: ENV });
    assert.equal(r.status, 0, r.stderr);
    return sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `argv` (the fixture's `embedded` script) in the fixture and reads the session it wrote. */
function embedded(argv: readonly string[], mode: "library" | "http"): Session {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-positions-"));
  try {
    const out = join(dir, "out.json");
    // Node 20 runs no TypeScript: the npm build there, the source elsewhere.
    const module = runtime === "node" ? join(ROOT, "dist/mod.js") : join(ROOT, "mod.ts");
    const r = run([...argv, mode, out], { cwd: DIR, env: { ...ENV, TSPROF_MODULE: module } });
    assert.equal(r.status, 0, r.stderr);
    return sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const exec = process.execPath;
/** How this runtime runs the fixture's TypeScript entry directly. */
const runTs: readonly string[] = runtime === "deno" ? [exec, "run", "-A"] : runtime === "bun" ? [exec] : [exec, "--import", "tsx"];
/** How this runtime runs JavaScript. */
const runJs: readonly string[] = runtime === "deno" ? [exec, "run", "-A"] : [exec];

interface Program {
  readonly what: string;
  /** The entry, relative to the fixture, and the argv that runs it directly. */
  readonly script: string;
  readonly argv: readonly string[];
  /** Where the CommonJS file ran from. */
  readonly legacy?: string;
}

const PROGRAMS: readonly Program[] = [
  { what: "TypeScript", script: "src/main.ts", argv: runTs },
  { what: "tsc's output with maps beside it", script: "out/main.js", argv: runJs, legacy: "out/legacy.cjs" },
  { what: "an esbuild bundle with its map", script: "dist/app.js", argv: runJs },
];

for (const p of PROGRAMS) {
  test(`tsprof <script> places each function at its name in the source: ${p.what}`, () => {
    assertPositions(profiled([p.script]), ALL, p.legacy);
  });
  test(`tsprof -- <command> places each function at its name in the source: ${p.what}`, () => {
    assertPositions(profiled(["--", ...p.argv, p.script]), ALL, p.legacy);
  });
}

const nativeTs = runtime === "node" && (process.features as { typescript?: unknown }).typescript !== undefined && (process.features as { typescript?: unknown }).typescript !== false;
test("tsprof -- node <file.ts> places each function at its name where Node strips types itself", () => {
  assertPositions(profiled(["--", exec, "src/main.ts"]), ALL);
}, { skip: nativeTs ? false : "this runtime does not run TypeScript itself under node" });

const EMBEDDED: readonly Program[] = [
  { what: "TypeScript", script: "src/embedded.ts", argv: runTs },
  { what: "tsc's output with maps beside it", script: "out/embedded.js", argv: runJs, legacy: "out/legacy.cjs" },
];

for (const p of EMBEDDED) {
  for (const mode of ["library", "http"] as const) {
    const how = mode === "library" ? "profile()" : "profileNodeHandler() (?profile=json)";
    test(`${how} places each function at its name in the source: ${p.what}`, () => {
      const session = embedded([...p.argv, p.script], mode);
      assertPositions(session, ALL, p.legacy);
      // The module's top level, resumed after its top-level await, keeps its place too.
      const entry = session.profiles[0]!.frames.filter((f) => f.file === join(DIR, p.script) && (f.name === "(module)" || f.name === "(anonymous)"));
      for (const f of entry) assert.ok(f.line !== undefined, `the module frame has a position: ${JSON.stringify(entry)}`);
    });
  }
}

// vitest runs its tests on Node (Vite's transform, evaluated through `vm`);
// under Deno and Bun it is still Node that runs them.
test("tsprof -- vitest run places the tested function and the test at their lines in the source", () => {
  const session = profiled(["--", exec, join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--reporter=dot"]);
  assertPositions(session, ["crunch"]);
  // The test's callback: `test("crunch spins", () => {` on line 4 of a 5-line file.
  const lines = new Set(session.profiles.flatMap((p) => p.frames.filter((f) => f.file === join(DIR, "test/work.test.ts")).map((f) => f.line)));
  assert.ok(lines.has(4), `test/work.test.ts lines: ${[...lines].join(", ")}`);
  for (const l of lines) assert.ok(l !== undefined && l <= 5, `test/work.test.ts lines: ${[...lines].join(", ")}`);
}, { skip: runtime === "node" ? false : "vitest runs on Node" });

test("tsprof view <file.cpuprofile> shows positions in the source, relative to the working directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-positions-"));
  try {
    const recorded = run([exec, "--cpu-prof", `--cpu-prof-dir=${dir}`, "out/main.js"], { cwd: DIR, env: ENV });
    assert.equal(recorded.status, 0, recorded.stderr);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
    const r = tsprof(["view", join(dir, file), "--no-color"], { cwd: DIR });
    assert.equal(r.status, 0, r.stderr);
    const text = r.stdout + r.stderr;
    assert.match(text, /crunch {2}src\/work\.ts:11:17$/m, text);
    assert.ok(!text.includes(`${DIR}/`), text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: runtime === "node" ? false : "node --cpu-prof writes the profile" });

test("tsprof on a CommonJS TypeScript program calls its functions from its (module): no frame for the wrapper tsx runs it in", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-cjs-"));
  try {
    const out = join(dir, "out.json");
    const script = join(ROOT, "test/fixtures/portable/cjs/main.ts");
    const r = tsprof(["-o", out, script]);
    assert.equal(r.status, 0, r.stderr);
    const p = (sessionFromJson(JSON.parse(readFileSync(out, "utf8"))) as Session).profiles[0]!;
    let seen = 0;
    for (let s = 0; s < p.stacks.length; s++) {
      if (p.frames[p.stacks.frame[s]!]!.name !== "main") continue;
      seen++;
      const parent = p.stacks.parent[s]!;
      const caller = parent === -1 ? undefined : p.frames[p.stacks.frame[parent]!]!;
      assert.equal(`${caller?.name} ${caller?.file}`, `(module) ${script}`, "main is called by its module's top level");
    }
    assert.ok(seen > 0, "main was sampled");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
