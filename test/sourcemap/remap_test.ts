// Unit tests of src/sourcemap on the fixtures' real maps (built by esbuild,
// see test/fixtures/sourcemap/build.mjs) and hand-built profiles.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { type Frame, type Profile, profileTotal } from "../../src/format/types.ts";
import { importV8CpuProfile, type V8CpuProfile } from "../../src/import/v8_cpuprofile.ts";
import { hotLines } from "../../src/render/console_lines.ts";
import { mergeAsyncPairs } from "../../src/sourcemap/async_pairs.ts";
import { findDefinition, placeAtDefinitions, placeAtNames } from "../../src/sourcemap/definitions.ts";
import { fileLineReader, linesOfText, type OpenFile, textLineReader } from "../../src/sourcemap/source_lines.ts";
import { arrowBodyName, boundName, nameStartBefore, paramListStart, passedAsArgument } from "../../src/sourcemap/name_column.ts";
import { decodeDataUrl, mapOfCode, mapsFromFiles, sourceMappingUrl } from "../../src/sourcemap/map_source.ts";
import { originalPosition, remapProfile, remapSession, SourceMapCache } from "../../src/sourcemap/remap.ts";
import { diskMaps } from "../../src/cli/source_maps.ts";
import { premappedOrigins } from "../../src/sourcemap/v8_scripts.ts";
import { ROOT } from "../_cli.ts";
import { sessionOf } from "../_helpers.ts";
import { test } from "../harness.ts";

const DIR = join(ROOT, "test/fixtures/sourcemap");
const APP = join(DIR, "bundle/dist/app.js");
const MIN = join(DIR, "bundle/dist/app.min.js");
const MATH = join(DIR, "bundle/src/math.ts");
const MAIN = join(DIR, "bundle/src/main.ts");

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

const js = (name: string, file: string, line?: number, col?: number): Frame =>
  line === undefined ? { name, file, kind: "js" } : { name, file, line, ...(col !== undefined ? { col } : {}), kind: "js" };

/** The app.js bundle as V8 reports it (positions at each function's parameter list). */
function bundleProfile(): Profile {
  const b = new ProfileBuilder("main");
  const top = js("(module)", APP, 1, 1);
  const checksum = js("checksum", APP, 2, 18);
  const tally = js("tally", APP, 12, 15);
  const now: Frame = { name: "now", kind: "native" };
  b.addSample([top, checksum], 10);
  b.addSample([top, checksum, now], 2);
  b.addSample([top, tally], 5);
  b.addLineTime(b.internFrame(checksum), 6, 9);
  b.addLineTime(b.internFrame(checksum), 5, 1);
  b.addLineTime(b.internFrame(tally), 16, 5);
  return b.build();
}

const byName = (p: Profile, name: string) => p.frames.findIndex((f) => f.name === name);

test("sourceMappingUrl() finds the comment at the end of the code only", () => {
  assert.equal(sourceMappingUrl("f();\n//# sourceMappingURL=app.js.map\n"), "app.js.map");
  assert.equal(sourceMappingUrl("f();\n//@ sourceMappingURL=data:application/json;base64,e30=\n\n"), "data:application/json;base64,e30=");
  assert.equal(sourceMappingUrl('const s = "//# sourceMappingURL=x.map";\nf();\n'), undefined);
  assert.equal(sourceMappingUrl("f();"), undefined);
});

test("decodeDataUrl() reads base64 and percent-encoded maps and rejects broken ones", () => {
  assert.equal(decodeDataUrl("data:application/json;base64,eyJhIjoiw6kifQ=="), '{"a":"é"}');
  assert.equal(decodeDataUrl("data:application/json,%7B%7D"), "{}");
  assert.equal(decodeDataUrl("app.js.map"), undefined);
  assert.throws(() => decodeDataUrl("data:application/json;base64,@@@"), TypeError);
});

test("mapOfCode() reads linked and inline maps, and names a missing map file", () => {
  const linked = mapOfCode(readText(APP)!, APP, readText)!;
  assert.equal(linked.url, `${APP}.map`);
  assert.deepEqual(JSON.parse(linked.map as string).sources, ["../src/math.ts", "../src/main.ts"]);
  const inline = mapOfCode(readText(MIN)!, MIN, readText)!;
  assert.equal(inline.url, MIN);
  assert.equal(JSON.parse(inline.map as string).version, 3);
  assert.throws(() => mapOfCode("f();\n//# sourceMappingURL=gone.js.map\n", "/nowhere/a.js", readText), /"\/nowhere\/gone\.js\.map" does not exist/);
});

test("remapProfile() maps frames and line ticks of a bundle into its original files, keeping every sample", () => {
  const before = bundleProfile();
  const after = remapProfile(before, new SourceMapCache(mapsFromFiles(readText)));
  assert.deepEqual(after.frames[byName(after, "checksum")], js("checksum", MATH, 9, 17));
  assert.deepEqual(after.frames[byName(after, "tally")], js("tally", MAIN, 6, 10));
  // A bundle's top level is no function of any one original file.
  assert.deepEqual(after.frames[byName(after, "(module)")], js("(module)", APP, 1, 1));
  assert.deepEqual(after.frames[byName(after, "now")], { name: "now", kind: "native" });
  assert.deepEqual([...after.lines!.get(byName(after, "checksum"))!], [[13, 9], [12, 1]]);
  assert.deepEqual([...after.lines!.get(byName(after, "tally"))!], [[10, 5]]);
  assert.equal(after.samples.length, before.samples.length);
  assert.equal(profileTotal(after), profileTotal(before));
});

test("remapProfile() gives minified functions their original names and positions", () => {
  const b = new ProfileBuilder("main");
  b.addSample([js("c", MIN, 1, 11)], 3);
  b.addSample([js("s", MIN, 1, 135)], 4);
  const after = remapProfile(b.build(), new SourceMapCache(mapsFromFiles(readText)));
  assert.deepEqual(after.frames, [js("checksum", MATH, 9, 17), js("tally", MAIN, 6, 10)]);
});

test("remapProfile() merges frames that map to one function, and their stacks", () => {
  // Two positions inside checksum's name token and parameter list.
  const b = new ProfileBuilder("main");
  b.addSample([js("checksum", APP, 2, 18)], 1);
  b.addSample([js("checksum", APP, 2, 10)], 2);
  const after = remapProfile(b.build(), new SourceMapCache(mapsFromFiles(readText)));
  assert.equal(after.frames.length, 1);
  assert.equal(after.stacks.length, 1);
  assert.deepEqual([...after.samples], [0, 0]);
});

test("remapSession() keeps generated positions and warns once per file when a map is broken or unreadable", () => {
  const broken = join(DIR, "broken/broken.js");
  const session = sessionOf(
    (() => {
      const b = new ProfileBuilder("main");
      b.addSample([js("grind", broken, 4, 15)], 1);
      b.addSample([js("grind", broken, 4, 15), js("other", "/nowhere/x.js", 1, 5)], 1);
      b.addSample([js("thrower", "/throws/y.js", 2, 3)], 1);
      return b.build();
    })(),
  );
  const fetch = mapsFromFiles(readText);
  const after = remapSession(session, (file) => {
    if (file.startsWith("/throws/")) throw new Error("the inspector is gone");
    return fetch(file);
  });
  assert.deepEqual(after.profiles[0]!.frames, session.profiles[0]!.frames);
  const warnings = after.meta.warnings ?? [];
  assert.equal(warnings.length, 2, JSON.stringify(warnings));
  assert.match(warnings[0]!, /^the source map of ".*broken\/broken\.js" cannot be used \(.*JSON.*\): its frames keep the positions of the code that ran$/);
  assert.match(warnings[1]!, /"\/throws\/y\.js" cannot be used \(the inspector is gone\)/);
});

test("remapSession() warns of a missing map file for the program's code, not for a package's (which names a map it does not ship)", () => {
  // The package's own sourceMappingURL comment names a map its tarball lacks, as typescript's does.
  const code = "function f() {}\n//# sourceMappingURL=index.js.map\n";
  const lib = "/app/node_modules/pkg/index.js";
  const app = "/app/out/index.js";
  const b = new ProfileBuilder("main");
  b.addSample([js("f", lib, 1, 1)], 1);
  b.addSample([js("g", app, 1, 1)], 1);
  const after = remapSession(sessionOf(b.build()), mapsFromFiles((path) => (path === lib || path === app ? code : undefined)));
  const warnings = after.meta.warnings ?? [];
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0]!, /^the source map of "\/app\/out\/index\.js" cannot be used \("\/app\/out\/index\.js\.map" does not exist\)/);
});

test("remapSession() leaves a session without maps as it is", () => {
  const session = sessionOf(bundleProfile());
  assert.equal(remapSession(session, () => undefined), session);
});

test("SourceMapCache fetches and parses each file's map once", () => {
  let calls = 0;
  const fetch = mapsFromFiles(readText);
  const cache = new SourceMapCache((file) => {
    calls++;
    return fetch(file);
  });
  remapProfile(bundleProfile(), cache);
  remapProfile(bundleProfile(), cache);
  assert.equal(calls, 1);
});

test("findDefinition() finds functions, methods, arrows and classes above the line that ran", () => {
  const src = linesOfText([
    "export async function fetchAll<", // 1
    "  T,", // 2
    ">(urls: T[]) {", // 3
    "  return urls;", // 4
    "}", // 5
    "class Box {", // 6
    "  static async *items(): AsyncGenerator<number> {", // 7
    "    yield 1;", // 8
    "  }", // 9
    "  get size(): number {", // 10
    "    return 1;", // 11
    "  }", // 12
    "}", // 13
    "const add = (a: number, b: number): number =>", // 14
    "  a + b;", // 15
    "const obj = { mul: function (a) { return a; }, #x: 1 };", // 16
  ].join("\n"));
  assert.deepEqual(findDefinition(src, "fetchAll", 4), { line: 1, col: 23 });
  assert.deepEqual(findDefinition(src, "items", 8), { line: 7, col: 17 });
  assert.deepEqual(findDefinition(src, "size", 11), { line: 10, col: 7 });
  assert.deepEqual(findDefinition(src, "Box", 8), { line: 6, col: 7 });
  assert.deepEqual(findDefinition(src, "add", 15), { line: 14, col: 7 });
  assert.deepEqual(findDefinition(src, "mul", 16), { line: 16, col: 15 });
  assert.equal(findDefinition(src, "missing", 16), undefined);
  assert.equal(findDefinition(src, "(anonymous)", 16), undefined);
  // Minified code: the nearest definition before the column that ran.
  const min = linesOfText("function c(e){return e}function s(e){return c(e)}function c(t){return t*2}");
  assert.deepEqual(findDefinition(min, "c", 1, 40), { line: 1, col: 10 });
  assert.deepEqual(findDefinition(min, "c", 1, 70), { line: 1, col: 59 });
  // JavaScriptCore reports an arrow assigned to its name where the arrow starts: the name is before it.
  const arrow = linesOfText("async function main() {\n  const time = async (name: string) => {\n    await run(name);\n  };\n}");
  assert.deepEqual(findDefinition(arrow, "time", 2, 16), { line: 2, col: 9 });
  assert.equal(findDefinition(arrow, "time", 2, 8), undefined, "a name after the column reported is not the function's");
  // The name in a longer name, in a call, in a string: not a definition; the definition before them on the line is.
  const uses = linesOfText("function run(){ return runAll(run(1), 'run') } const runner = 1; function runAll(){}");
  assert.deepEqual(findDefinition(uses, "run", 1), { line: 1, col: 10 });
  assert.deepEqual(findDefinition(uses, "runAll", 1), { line: 1, col: 75 });
  assert.equal(findDefinition(linesOfText("  x.run(1);\n  run = 2;"), "run", 2), undefined, "an assignment of a value defines no function");
  // Modifiers and stars before a method, and what only looks like them.
  const methods = linesOfText("  static async *walk() {}\n  async* bad() {}\n  xstatic odd() {}\n  *\tgen() {}");
  assert.deepEqual(findDefinition(methods, "walk", 1), { line: 1, col: 17 });
  assert.equal(findDefinition(methods, "bad", 2), undefined, "a modifier is followed by a space");
  assert.equal(findDefinition(methods, "odd", 3), undefined);
  assert.deepEqual(findDefinition(methods, "gen", 4), { line: 4, col: 5 });
});

test("placeAtDefinitions() moves frames to their definitions and a module's frame to 1:1", () => {
  const b = new ProfileBuilder("main");
  b.addSample([js("(module)", "/app/a.ts", 7, 3), js("work", "/app/a.ts", 4, 5)], 2);
  b.addSample([js("(module)", "/app/a.ts", 7, 3), js("work", "/app/a.ts", 3, 24)], 1);
  const source = "// a\ninterface I {}\nfunction work(): void {\n  run();\n}\nwork();\nwork();\n";
  const after = placeAtDefinitions(b.build(), textLineReader(() => source));
  assert.deepEqual(after.frames, [js("(module)", "/app/a.ts", 1, 1), js("work", "/app/a.ts", 3, 10)]);
  assert.equal(after.stacks.length, 2, "the two `work` frames (code blocks) became one");
});

test("nameStartBefore() walks back from V8's column (the parameter list) to the function's name", () => {
  // V8 reports the `(` (1-based column 15 here); the name starts at 10.
  assert.equal(nameStartBefore("function knead(ms) {", "knead", 15), 10);
  assert.equal(nameStartBefore("export async function crunch (x) {", "crunch", 30), 23);
  // Type parameters left in place by type stripping, and an arrow assigned to its name.
  assert.equal(nameStartBefore("function pick<T extends { a: number }>(xs: T[]) {", "pick", 39), 10);
  assert.equal(nameStartBefore("const twice = (n) => n * 2;", "twice", 15), 7);
  // Not the name: a longer identifier, a comparison, another name.
  assert.equal(nameStartBefore("function reknead(ms) {", "knead", 17), undefined);
  assert.equal(nameStartBefore("if (a == (b)) {", "a", 10), undefined);
  assert.equal(nameStartBefore("run(() => 1)", "work", 5), undefined);
  // Bound through an object literal's key, a function expression, an async arrow, a member chain.
  assert.equal(nameStartBefore("const o = { knead: (ms) => 1 };", "knead", 20), 13);
  assert.equal(nameStartBefore("const expr = function (ms) {", "expr", 23), 7);
  assert.equal(nameStartBefore("  gen: async function* (x) {", "gen", 24), 3);
  assert.equal(nameStartBefore("const g = async (x) => 1", "g", 17), 7);
  assert.equal(nameStartBefore("exports.parse = function (x) {", "parse", 26), 9);
});

test("boundName() names an unnamed function by the name it is bound to, as the engines do, and no other", () => {
  const cases: [string, number, { name: string; col: number } | undefined][] = [
    // At V8's column (the parameter list), one past it (tsx's maps), at the keyword that starts it.
    ["const arrow = (ms: number) => spin(ms);", 15, { name: "arrow", col: 7 }],
    ["const arrow = (ms: number) => spin(ms);", 16, { name: "arrow", col: 7 }],
    ["const expr = function (ms) {", 23, { name: "expr", col: 7 }],
    ["const expr = function (ms) {", 14, { name: "expr", col: 7 }],
    ["const g = async (x) => 1", 11, { name: "g", col: 7 }],
    ["const h = x => 1", 11, { name: "h", col: 7 }],
    ["class Box { field = (ms) => 1; }", 21, { name: "field", col: 13 }],
    ["const obj = { prop: (ms) => 1 };", 21, { name: "prop", col: 15 }],
    ["  key: async function () {", 8, { name: "key", col: 3 }],
    ["later = (ms) => 1;", 9, { name: "later", col: 1 }],
    ["this.onData = function* (x) {}", 15, { name: "this.onData", col: 6 }],
    // An argument, a type annotation's name, a ternary's branch, a comparison, a curried arrow: none.
    ["xs.map((n) => n * 2);", 8, undefined],
    ["xs.map(x => x * 2)", 8, undefined],
    ["const f: Handler = (x) => 1", 20, undefined],
    ["a ? b : (x) => 1", 9, undefined],
    ["if (a == (b)) {", 10, undefined],
    ["const k = (x) => (y) => 1", 18, undefined],
    ["total += (() => 1)();", 11, undefined],
  ];
  for (const [text, col, expected] of cases) assert.deepEqual(boundName(text, col), expected, `${text} at ${col}`);
});

test("paramListStart() finds the parenthesis of a parameter list a column is just inside, and not a call's", () => {
  assert.equal(paramListStart("xs.map((n: number) => n * 2);", 9), 8);
  assert.equal(paramListStart("xs.map((a, b) => a + b);", 9), 8);
  assert.equal(paramListStart("run(() => 1);", 6), 5);
  assert.equal(paramListStart("xs.map(n => n * 2);", 8), undefined);
  assert.equal(paramListStart("xs.map((n) => n * 2);", 8), undefined);
  assert.equal(paramListStart("f(a, b);", 3), undefined);
  assert.equal(paramListStart("const g = async (x): Promise<void> => {", 18), 17);
});

test("arrowBodyName() names an async arrow's body, at its `{` (JavaScriptCore's), by the arrow's binding", () => {
  assert.deepEqual(arrowBodyName("const fetchUser = async (id: number): Promise<number> => {", 58), { name: "fetchUser", col: 7 });
  assert.deepEqual(arrowBodyName("const f = async x => {", 22), { name: "f", col: 7 });
  // A return type with parentheses of its own.
  assert.deepEqual(arrowBodyName("  key: async (a: (b: number) => void): Promise<(c: string) => void> => {", 72), { name: "key", col: 3 });
  // A callback's body, not a `{`, an arrow with no binding: none.
  assert.equal(arrowBodyName("xs.map(async (x) => {", 21), undefined);
  assert.equal(arrowBodyName("function f() {", 14), undefined);
  assert.equal(arrowBodyName("const f = async (x) => x;", 24), undefined);
});

test("placeAtNames() gives an unnamed frame the name its function is bound to, at that name", () => {
  const source = "const parse = (text: string) => {\n  return [1].map((x) => x);\n};\n";
  const b = new ProfileBuilder("main");
  b.addSample([js("(anonymous)", "/app/a.ts", 1, 15), js("(anonymous)", "/app/a.ts", 2, 18)], 1);
  // The callback as tsx's maps place it: one past its parenthesis.
  b.addSample([js("(anonymous)", "/app/a.ts", 1, 16), js("(anonymous)", "/app/a.ts", 2, 19)], 1);
  const after = placeAtNames(b.build(), textLineReader(() => source));
  assert.deepEqual(after.frames, [js("parse", "/app/a.ts", 1, 7), js("(anonymous)", "/app/a.ts", 2, 18)]);
  assert.equal(after.stacks.length, 2, "one stack each");
});

test("passedAsArgument() tells a function passed to a call from one bound to a name", () => {
  const cases: [string, number, string | undefined, boolean][] = [
    [`el.addEventListener("load", () => {}, { once: true });`, 29, undefined, true],
    [`test("t", async (t) => {}, { timeout: 5 });`, 11, undefined, true],
    [`test("t", async (t) => {}, { timeout: 5 });`, 17, undefined, true],
    [`wrap(function (a) {}, { k: 1 });`, 15, undefined, true],
    // tsx's maps: one past the parenthesis.
    [`run(x, (a: number) => a, { k: 1 });`, 9, undefined, true],
    [`  (req, res) => {`, 3, `app.get("/users",`, true],
    ["obj.method = function () {};", 23, undefined, false],
    ["module.exports.handler = async (event) => {", 32, undefined, false],
    ["const o = { load: (id) => id };", 19, undefined, false],
    [`  (req, res) => {`, 3, "const handler =", false],
  ];
  for (const [text, col, above, expected] of cases) assert.equal(passedAsArgument(text, col, () => above), expected, `${text} at ${col}`);
});

test("placeAtNames() drops V8's name inferred for a function passed as an argument (from the call and an object after it), keeps a bound one", () => {
  const source = `el.addEventListener("load", () => {}, { once: true });\nobj.method = function () {};\nrun(\n  (x) => x,\n  { k: 1 },\n);\n`;
  const b = new ProfileBuilder("main");
  b.addSample([js("el.addEventListener.once", "/app/a.ts", 1, 29), js("obj.method", "/app/a.ts", 2, 23), js("run.k", "/app/a.ts", 4, 3)], 1);
  const after = placeAtNames(b.build(), textLineReader(() => source));
  assert.deepEqual(after.frames, [js("(anonymous)", "/app/a.ts", 1, 29), js("obj.method", "/app/a.ts", 2, 5), js("(anonymous)", "/app/a.ts", 4, 3)]);
});

test("placeAtDefinitions() and placeAtNames() read each file's reported lines in one pass, not a read a frame", () => {
  // Forty one-line functions: each frame's definition is on the line reported.
  const source = Array.from({ length: 40 }, (_, i) => `function f${i}() { return ${i}; }`).join("\n");
  const bytes = new TextEncoder().encode(source);
  let opens = 0;
  const open: OpenFile = (_path, use) => {
    opens++;
    return use((into, at) => {
      const part = bytes.subarray(at, at + into.length);
      into.set(part);
      return part.length;
    });
  };
  const b = new ProfileBuilder("main");
  for (let i = 0; i < 40; i++) b.addSample([{ name: `f${i}`, file: "/app/a.js", line: i + 1, col: 15, kind: "js" }], 1);
  const placed = placeAtDefinitions(b.build(), fileLineReader(open));
  assert.deepEqual(placed.frames.map((f) => f.col), Array.from({ length: 40 }, () => 10));
  assert.equal(opens, 2, "the scan, then one read of the forty lines");
  opens = 0;
  const v8 = new ProfileBuilder("main");
  // V8 reports a function at its parameter list.
  for (let i = 0; i < 40; i++) v8.addSample([{ name: `f${i}`, file: "/app/a.js", line: i + 1, col: 10 + `f${i}`.length, kind: "js" }], 1);
  assert.deepEqual(placeAtNames(v8.build(), fileLineReader(open)).frames.map((f) => f.col), Array.from({ length: 40 }, () => 10));
  assert.equal(opens, 2, "the scan, then one read of the forty lines");
});

test("placeAtNames() moves V8 frames to their names, keeps frames already there, and places a resumed module at 1:1", () => {
  const source = "// a\nfunction work(): void {\n  run();\n}\nclass A {\n  method() {}\n}\n";
  const b = new ProfileBuilder("main");
  b.addSample([js("(anonymous)", "/app/a.ts"), js("work", "/app/a.ts", 2, 14)], 1);
  b.addSample([js("(module)", "/app/a.ts", 1, 1), js("work", "/app/a.ts", 2, 10), js("A.method", "/app/a.ts", 6, 9)], 1);
  const after = placeAtNames(b.build(), textLineReader(() => source));
  assert.deepEqual(after.frames, [js("(module)", "/app/a.ts", 1, 1), js("work", "/app/a.ts", 2, 10), js("A.method", "/app/a.ts", 6, 3)]);
  assert.equal(after.stacks.length, 3, "the frames that became equal merged");
  const unchanged = new ProfileBuilder("main");
  unchanged.addSample([js("work", "/app/a.ts", 2, 10)], 1);
  const p = unchanged.build();
  assert.equal(placeAtNames(p, textLineReader(() => source)), p, "a profile already at its names is returned as it is");
});

test("placeAtNames() moves a function a stack trace placed at its first token (an await's, on Node) to its name, as a sampled one", () => {
  const source = "async function timer(): Promise<void> {\n  await sleep(300);\n}\nclass A {\n  static async *gen() {}\n  get value() { return 1; }\n}\nasync function timerX() {}\n";
  const b = new ProfileBuilder("main");
  b.addSample([js("timer", "/app/a.ts", 1, 1), js("A.gen", "/app/a.ts", 5, 3), js("A.value", "/app/a.ts", 6, 3)], 1);
  // The sampled frame of the same function: both become one.
  b.addSample([js("timer", "/app/a.ts", 1, 21)], 1);
  // Not its name after the keywords: left where it is.
  b.addSample([js("timer", "/app/a.ts", 8, 1)], 1);
  const after = placeAtNames(b.build(), textLineReader(() => source));
  assert.deepEqual(after.frames, [js("timer", "/app/a.ts", 1, 16), js("A.gen", "/app/a.ts", 5, 17), js("A.value", "/app/a.ts", 6, 7), js("timer", "/app/a.ts", 8, 1)]);
});

test("placeAtNames() places a named function expression at its own name, from its first token as from V8's column, not at the binding of the same name before it", () => {
  // CommonJS writes it so: the binding `exports.work` comes first on the line.
  const source = "exports.work = async function work() {\n  await nap(100);\n};\n";
  for (const col of [16, 35]) {
    const b = new ProfileBuilder("main");
    b.addSample([js("work", "/app/b.cjs", 1, col)], 1);
    assert.deepEqual(placeAtNames(b.build(), textLineReader(() => source)).frames, [js("work", "/app/b.cjs", 1, 31)], `from column ${col}`);
  }
});

test("placeAtNames() drops the line of a tick past the end of the function's file (V8's, from code inlined from another script)", () => {
  const source = "function grind() {\n  spin();\n}\n";
  const b = new ProfileBuilder("main");
  const grind = js("grind", "/app/g.js", 1, 15);
  b.addSample([grind], 3);
  const id = b.internFrame(grind);
  b.addLineTime(id, 2, 2);
  b.addLineTime(id, 548, 1);
  const after = placeAtNames(b.build(), textLineReader(() => source));
  assert.deepEqual([...after.lines!.get(after.frames.findIndex((f) => f.name === "grind"))!], [[2, 2]]);
  assert.equal(profileTotal(after), 3, "the time stays");
});

test("premappedOrigins() maps the line ticks of a profile whose functions the runtime placed already (Deno)", () => {
  const cf = (functionName: string, url: string, lineNumber: number, columnNumber: number) => ({ functionName, url, lineNumber, columnNumber, scriptId: "50" });
  // As Deno's --cpu-prof writes a bundle's profile: positions in the
  // original files, ticks in the bundle's lines, one scriptId.
  const cpu: V8CpuProfile = {
    startTime: 0,
    endTime: 30_000,
    nodes: [
      { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1, columnNumber: -1 }, children: [2] },
      { id: 2, callFrame: cf("", `file://${APP}`, 0, 0), children: [3, 4] },
      { id: 3, callFrame: cf("checksum", `file://${MATH}`, 8, 16), positionTicks: [{ line: 6, ticks: 3 }, { line: 5, ticks: 1 }] },
      { id: 4, callFrame: cf("tally", `file://${MAIN}`, 5, 9), positionTicks: [{ line: 16, ticks: 2 }] },
    ],
    samples: [3, 3, 3, 3, 4, 4],
    timeDeltas: [0, 5000, 5000, 5000, 5000, 5000],
  };
  const cache = new SourceMapCache(mapsFromFiles(readText));
  const premapped = premappedOrigins(cpu, cache);
  const profile = remapProfile(importV8CpuProfile(premapped.cpu, "main"), cache, { origin: premapped.origin });
  const checksum = byName(profile, "checksum");
  assert.deepEqual(profile.frames[checksum], js("checksum", MATH, 9, 17), "positions are left as the runtime mapped them");
  assert.deepEqual([...profile.lines!.get(checksum)!.keys()], [13, 12]);
  assert.deepEqual([...profile.lines!.get(byName(profile, "tally"))!.keys()], [10]);
  assert.deepEqual(premapped.unmapped, []);

  // Without any map for the script, its TypeScript lines cannot be trusted: dropped.
  const none = premappedOrigins(cpu, new SourceMapCache(() => undefined));
  assert.equal(none.cpu.nodes.find((n) => n.id === 3)!.positionTicks, undefined);
  assert.deepEqual([...none.unmapped].sort(), [MAIN, MATH]);
});

test("hotLines() lists the functions with the most time on lines, each with its hottest lines", () => {
  const b = new ProfileBuilder("main");
  const a = b.internFrame(js("a", "/app/a.ts", 1, 1));
  const c = b.internFrame(js("c", "/app/a.ts", 9, 1));
  const rt = b.internFrame(js("internal", "node:internal/x", 1, 1));
  b.addStackSample(b.internStack(-1, a), 10);
  b.addStackSample(b.internStack(-1, c), 8);
  b.addStackSample(b.internStack(-1, rt), 50);
  b.addLineTime(a, 2, 1);
  b.addLineTime(a, 3, 4);
  b.addLineTime(c, 10, 8);
  b.addLineTime(rt, 5, 50);
  const hot = hotLines(b.build());
  assert.deepEqual(hot.map((h) => [h.frame, h.time, h.lines]), [[c, 8, [[10, 8]]], [a, 5, [[3, 4], [2, 1]]]]);
  assert.equal(hotLines(b.build(), { showAll: true })[0]!.frame, rt);
});

test("mergeAsyncPairs() drops an async function's wrapper frame but keeps recursion", () => {
  const b = new ProfileBuilder("main");
  const mod = js("(module)", "/app/a.ts", 1, 1);
  const wrapper = js("main", "/app/a.ts", 3, 20);
  const body = js("main", "/app/a.ts", 3, 38);
  const fib = js("fib", "/app/a.ts", 9, 10);
  b.addSample([mod, wrapper, body, fib, fib], 2); // first call: through the wrapper
  b.addSample([body, fib], 3); // after an await: the body alone
  b.addLineTime(b.internFrame(body), 4, 5);
  const after = mergeAsyncPairs(b.build());
  const stacks = [...after.samples].map((s) => stackFrames(after, s).map((f) => `${f.name}:${f.col}`).join(" > "));
  assert.deepEqual(stacks, ["(module):1 > main:38 > fib:10 > fib:10", "main:38 > fib:10"]);
  assert.deepEqual([...after.weights], [2, 3]);
  assert.deepEqual([...after.lines!.get(after.frames.indexOf(after.frames.find((f) => f.name === "main" && f.col === 38)!))!], [[4, 5]]);
});

test("placeAtDefinitions() names an async arrow's unnamed body (JavaScriptCore's, at its `{`) after the arrow, one frame with its wrapper; a callback's body goes where V8 places the arrow", () => {
  const source = "const spin = (ms) => ms;\nconst load = async (id: number): Promise<number> => {\n  return spin(id);\n};\nxs.map(async (x) => {\n});\n";
  const b = new ProfileBuilder("main");
  const mod = js("(module)", "/app/a.ts", 1, 1);
  const wrapper = js("load", "/app/a.ts", 2, 14);
  const body = js("(anonymous)", "/app/a.ts", 2, 53);
  const spin = js("spin", "/app/a.ts", 1, 14);
  // A callback's body: no name to take, but V8's place, its `async`.
  const callback = js("(anonymous)", "/app/a.ts", 5, 21);
  b.addSample([mod, wrapper, body, spin], 2);
  b.addSample([body, spin], 3);
  b.addSample([mod, callback], 1);
  const after = placeAtDefinitions(b.build(), textLineReader(() => source));
  const stacks = [...after.samples].map((s) => stackFrames(after, s).map((f) => `${f.name}:${f.line}:${f.col}`).join(" > "));
  assert.deepEqual(stacks, ["(module):1:1 > load:2:7 > spin:1:7", "load:2:7 > spin:1:7", "(module):1:1 > (anonymous):5:8"]);
});

test("remapProfile() folds the function tsx wraps a CommonJS module in into the module's top level, and keeps the helpers functions call as native code, with no place in the source", async () => {
  // tsx's CommonJS output: a first line of its own, `__filename=...;(()=>{`, then esbuild's code,
  // whose map is shifted down a line.
  const { transformSync } = await import("esbuild");
  const file = "/app/src/app.ts";
  const source = "const md: string = 'x';\nfunction render(n: number): number {\n  return n * 2;\n}\nconsole.log(render(2));\n";
  const out = transformSync(source, { loader: "ts", format: "cjs", sourcemap: "external", sourcefile: file });
  const map = JSON.parse(out.map) as { mappings: string; sources: string[] };
  map.mappings = `;${map.mappings}`;
  map.sources = [file];
  const code = `__filename=${JSON.stringify(file)};(()=>{\n${out.code}})()`;
  const renderAt = code.split("\n").findIndex((l) => l.includes("function render"));
  const module: Frame = js("(module)", file, 1, 1);
  const wrapper: Frame = js("(anonymous)", file, 1, code.indexOf("(()=>") + 2);
  const render: Frame = js("render", file, renderAt + 1, code.split("\n")[renderAt]!.indexOf("render") + 1);
  const b = new ProfileBuilder("main");
  b.addSample([module, wrapper], 3);
  b.addSample([module, wrapper, render], 5);
  // A helper the transformer added (on its own line too), called from a function: its place in the
  // generated code is no place in the source (line 1 of app.ts holds no __name).
  const helper: Frame = js("__name", file, 1, 2);
  b.addSample([module, wrapper, render, helper], 2);
  const before = b.build();
  const after = remapProfile(before, new SourceMapCache(() => ({ map, url: `${file}.map` })));
  const paths = new Map<string, number>();
  for (let i = 0; i < after.samples.length; i++) {
    const key = stackFrames(after, after.samples[i]!).map((f) => (f.line === undefined ? `${f.name} ${f.kind}${f.file ?? ""}` : `${f.name}@${f.line}:${f.col}`)).join(" > ");
    paths.set(key, (paths.get(key) ?? 0) + after.weights[i]!);
  }
  assert.deepEqual(Object.fromEntries(paths), {
    "(module)@1:1": 3,
    "(module)@1:1 > render@2:10": 5,
    "(module)@1:1 > render@2:10 > __name native": 2,
  });
  assert.equal(profileTotal(after), profileTotal(before));
});

test("originalPosition(): a column in a line's indentation, before its first mapping, goes to the line's first code (tsc's output, as Bun's wait calls land there)", () => {
  const out = join(ROOT, "test/fixtures/positions/out/work.js");
  const cache = new SourceMapCache(diskMaps);
  // `    await Promise.resolve();` in settle: line 13 of the output, line 22 of src/work.ts.
  const lines = readFileSync(out, "utf8").split("\n");
  const line = lines.findIndex((l) => l.includes("await Promise.resolve()")) + 1;
  const indent = lines[line - 1]!.indexOf("await") + 1;
  const atAwait = originalPosition(cache, out, line, indent);
  assert.ok(atAwait && atAwait.file.endsWith("src/work.ts"), JSON.stringify(atAwait));
  assert.deepEqual(originalPosition(cache, out, line, indent - 1), atAwait, "the indentation");
  assert.deepEqual(originalPosition(cache, out, line, 1), atAwait);
});
