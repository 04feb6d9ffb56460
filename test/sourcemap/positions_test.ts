// Every frame points at the original source, down to the line, on every
// runtime, through the CLI. The expected positions below are written by
// hand; each fixture marks them with a "line N: what" comment, and the
// first test checks that the two agree.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime } from "../../runtimes/auto.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import type { Frame, Session } from "../../src/format/types.ts";
import { ROOT, tsprof } from "../_cli.ts";
import { test } from "../harness.ts";

const runtime = detectRuntime();
const DIR = join(ROOT, "test/fixtures/sourcemap");

/** `[file under DIR, line, column]` of a function's name in the original source. */
type Where = readonly [string, number, number?];

interface Case {
  /** What the fixture stands for. */
  readonly what: string;
  /** The script to profile, under DIR. */
  readonly script: string;
  /** Where each function must be. */
  readonly frames: Readonly<Record<string, Where>>;
  /** The line each function spends most of its time on (its hot loop). */
  readonly hot: Readonly<Record<string, number>>;
  /** A warning the session must carry. */
  readonly warning?: RegExp;
}

const CASES: readonly Case[] = [
  {
    what: "a .ts script with interfaces, multi-line generics and type aliases, an enum, a decorator and blank lines",
    script: "shapes.ts",
    frames: { spin: ["shapes.ts", 31, 3], pairUp: ["shapes.ts", 41, 10], main: ["shapes.ts", 53, 16] },
    hot: { spin: 35, pairUp: 48 },
  },
  {
    what: "a bundle with its map in a file next to it",
    script: "bundle/dist/app.js",
    frames: { checksum: ["bundle/src/math.ts", 9, 17], tally: ["bundle/src/main.ts", 6, 10] },
    hot: { checksum: 13, tally: 10 },
  },
  {
    // Minified: the whole bundle is one line, so line ticks say nothing
    // within it; functions (and their minified names) are still mapped.
    what: "a minified bundle with an inline map",
    script: "bundle/dist/app.min.js",
    frames: { checksum: ["bundle/src/math.ts", 9, 17], tally: ["bundle/src/main.ts", 6, 10] },
    hot: {},
  },
  {
    what: "a package in node_modules that ships compiled code and its map",
    script: "uses_lib.ts",
    frames: { run: ["uses_lib.ts", 8, 10], weigh: ["node_modules/fake-lib/src/index.ts", 9, 17] },
    hot: { weigh: 13 },
  },
  {
    // Columns of unmapped code are the engine's own (V8: the parameter list).
    what: "a script whose map is broken",
    script: "broken/broken.js",
    frames: { grind: ["broken/broken.js", 4] },
    hot: { grind: 8 },
    warning: /the source map of ".*broken\/broken\.js" cannot be used \(.+\): its frames keep the positions of the code that ran/,
  },
];

/** The original sources each case names, for the marker check. */
function markers(file: string): Map<number, string> {
  const out = new Map<number, string>();
  readFileSync(join(DIR, file), "utf8").split("\n").forEach((text, i) => {
    const m = /\/\/ line (\d+): (?:hot line of )?(\w+)/.exec(text);
    if (m) out.set(i + 1, `${m[1]} ${m[2]}`);
  });
  return out;
}

test("the hand-written positions agree with the fixtures' \"line N\" comments", () => {
  for (const c of CASES) {
    for (const [name, [file, line]] of Object.entries(c.frames)) {
      assert.equal(markers(file).get(line), `${line} ${name}`, `${c.script}: ${name} at ${file}:${line}`);
    }
    for (const [name, line] of Object.entries(c.hot)) {
      const file = c.frames[name]![0];
      assert.equal(markers(file).get(line), `${line} ${name}`, `${c.script}: hot line of ${name} at ${file}:${line}`);
    }
  }
});

function profileOnce(script: string, extra: string[] = []): { session: Session; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-sourcemap-"));
  try {
    const out = join(dir, "out.json");
    const r = tsprof(["-o", out, ...extra, join(DIR, script)]);
    assert.equal(r.status, 0, r.stderr);
    return { session: sessionFromJson(JSON.parse(readFileSync(out, "utf8"))), stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fixtures' frames called `name` (not the runtime's), with their time on lines. */
function framesNamed(session: Session, name: string): { frame: Frame; lines: Map<number, number> }[] {
  const p = session.profiles[0]!;
  const out: { frame: Frame; lines: Map<number, number> }[] = [];
  p.frames.forEach((frame, i) => {
    if (frame.name === name && frame.kind === "js" && frame.file?.startsWith(DIR)) out.push({ frame, lines: new Map(p.lines?.get(i) ?? []) });
  });
  return out;
}

for (const c of CASES) {
  test(`tsprof points every frame at the original source: ${c.what}`, () => {
    const { session } = profileOnce(c.script);
    for (const [name, [file, line, col]] of Object.entries(c.frames)) {
      const found = framesNamed(session, name);
      const shown = found.map((f) => `${f.frame.file}:${f.frame.line}:${f.frame.col}`).join(", ");
      assert.equal(found.length, 1, `one frame for ${name}, found: ${shown || "none"}`);
      const frame = found[0]!.frame;
      assert.equal(frame.file, join(DIR, file), `${name}: ${shown}`);
      assert.equal(frame.line, line, `${name}: ${shown}`);
      if (col !== undefined) assert.equal(frame.col, col, `${name}: ${shown}`);
    }
    for (const [name, line] of Object.entries(c.hot)) {
      const lines = framesNamed(session, name)[0]!.lines;
      const hottest = [...lines].sort((a, b) => b[1] - a[1])[0];
      const shown = JSON.stringify([...lines]);
      assert.ok(hottest, `${name} has line times`);
      // JavaScriptCore charges a tight inner loop to the line of the loop
      // around it; V8 to the line itself.
      const expected = runtime === "bun" ? [line, line - 1] : [line];
      assert.ok(expected.includes(hottest[0]), `hottest line of ${name}: ${hottest[0]}, expected ${expected.join(" or ")}: ${shown}`);
      for (const l of lines.keys()) assert.ok(l >= c.frames[name]![1] && l <= line + 3, `${name}'s lines lie in its body: ${shown}`);
    }
    // Source-map warnings only: a loaded machine may add a note on Bun's time estimate.
    const warnings = (session.meta.warnings ?? []).filter((w) => /source map/.test(w));
    if (c.warning) assert.ok(warnings.some((w) => c.warning!.test(w)), `warnings: ${JSON.stringify(warnings)}`);
    else assert.deepEqual(warnings, []);
  });
}

test("tsprof --lines shows the hottest lines of the hottest functions in the original source", () => {
  const r = tsprof(["--lines", "--no-color", join(DIR, "shapes.ts")]);
  assert.equal(r.status, 0, r.stderr);
  const section = r.stderr.slice(r.stderr.indexOf("Hottest lines"));
  assert.ok(section.startsWith("Hottest lines\n"), r.stderr);
  assert.match(section, /^\d\.\d{3} spin {2}test\/fixtures\/sourcemap\/shapes\.ts:31$/m);
  assert.match(section, /^\d\.\d{3} pairUp {2}test\/fixtures\/sourcemap\/shapes\.ts:41$/m);
  const hot = runtime === "bun" ? /^ {3}\d\.\d{3} {2}3[45] {2}(for \(let i = 0; i < 20000|while \(performance)/m : /^ {3}\d\.\d{3} {2}35 {2}for \(let i = 0; i < 20000; i\+\+\) acc = /m;
  assert.match(section, hot);
});

test("tsprof --lines lists the program's functions only, not the transpiler's wait as the module loaded", () => {
  // New content each run, so that whatever compiles TypeScript (tsx on Node 20) cannot take it
  // from its cache: its wait for its worker is sampled, and labelled `(module loading)` in the tree.
  const dir = mkdtempSync(join(tmpdir(), "tsprof-lines-"));
  try {
    const file = join(dir, "busy.ts");
    // Its time in its own lines: the clock is read once in 100,000 steps (on Deno, `performance.now()` is a call of its own).
    const spin = "function spin(ms: number): number {\n  let n = 0;\n  const end = Date.now() + ms;\n  while (Date.now() < end) for (let i = 0; i < 1e5; i++) n += i % 7;\n  return n;\n}\n";
    writeFileSync(file, `${spin}interface Shape { n: number }\nconst s: Shape = { n: spin(60) };\nconsole.log(s.n > 0, ${JSON.stringify(String(Math.random()))});\n`);
    const r = tsprof(["--lines", "--no-color", file], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const section = r.stderr.slice(r.stderr.indexOf("Hottest lines"));
    const listed = [...section.matchAll(/^\d\.\d{3} (\S+) {2}(\S+):\d+$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.ok(listed.some((f) => f.startsWith("spin ")), section);
    assert.ok(listed.every((f) => f.endsWith(" busy.ts")), section);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tsprof view maps a foreign .cpuprofile whose code has maps on disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-sourcemap-"));
  try {
    // What `node --cpu-prof` writes for the bundle: 0-based positions in app.js.
    const app = `file://${join(DIR, "bundle/dist/app.js")}`;
    const cf = (functionName: string, lineNumber: number, columnNumber: number) => ({ functionName, scriptId: "7", url: app, lineNumber, columnNumber });
    const cpu = {
      startTime: 0,
      endTime: 20_000,
      nodes: [
        { id: 1, callFrame: { functionName: "(root)", scriptId: "0", url: "", lineNumber: -1, columnNumber: -1 }, children: [2] },
        { id: 2, callFrame: cf("", 0, 0), children: [3, 4] },
        { id: 3, callFrame: cf("checksum", 1, 17), positionTicks: [{ line: 6, ticks: 9 }] },
        { id: 4, callFrame: cf("tally", 11, 14), positionTicks: [{ line: 16, ticks: 9 }] },
      ],
      samples: [3, 4],
      timeDeltas: [0, 10_000],
    };
    const file = join(dir, "app.cpuprofile");
    writeFileSync(file, JSON.stringify(cpu));
    const r = tsprof(["view", file, "-r", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const session = sessionFromJson(JSON.parse(r.stdout));
    const checksum = framesNamed(session, "checksum");
    assert.deepEqual(checksum.map((f) => [f.frame.file, f.frame.line, f.frame.col, [...f.lines.keys()]]), [[join(DIR, "bundle/src/math.ts"), 9, 17, [13]]]);
    const tally = framesNamed(session, "tally");
    assert.deepEqual(tally.map((f) => [f.frame.file, f.frame.line, f.frame.col, [...f.lines.keys()]]), [[join(DIR, "bundle/src/main.ts"), 6, 10, [10]]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a helper the compiler adds to the program's code (tsx's __name for a named arrow) is no place in the source", () => {
  const { session } = profileOnce("named_arrows.ts");
  const script = join(DIR, "named_arrows.ts");
  const lines = readFileSync(script, "utf8").split("\n");
  // Under tsx (Node 20) the loop's time is mostly __name's; it showed at its place in the generated code.
  const inFile = session.profiles[0]!.frames.filter((f) => f.file === script && f.line !== undefined);
  const misplaced = inFile.filter((f) => /^[\w$]+$/.test(f.name) && !lines[f.line! - 1]!.includes(f.name));
  assert.deepEqual(misplaced.map((f) => `${f.name} ${f.line}:${f.col}`), [], "functions at lines that do not hold them");
  assert.ok(inFile.some((f) => f.name === "hot"), "hot is placed");
});
