import assert from "node:assert/strict";
import { transformSync } from "esbuild";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { Recorder } from "../../runtimes/portable/recorder.ts";
import { instrumentCode, instrumentSource, type RawSourceMap, takeInlineSourceMap } from "../../runtimes/portable/transform.ts";
import { shouldInstrument } from "../../runtimes/portable/filter.ts";
import { test } from "../harness.ts";
import { fakeClock, loadInstrumented } from "./_portable.ts";

/** The frames a module registers, as `name line:col`. */
function framesOf(source: string, options: { inputMap?: RawSourceMap; sourceType?: "module" | "script" } = {}): string[] {
  const r = new Recorder();
  const { code } = instrumentSource(source, { file: "/app/t.js", sourceType: options.sourceType ?? "script", runtime: "global", ...(options.inputMap ? { inputMap: options.inputMap } : {}) });
  const spec = /registerFrames\("[^"]*", (\[.*?\])\);/.exec(code)![1]!;
  r.registerFrames("/app/t.js", JSON.parse(spec));
  return r.frames.slice(1).map((f) => `${f.name} ${f.line ?? 0}:${f.col ?? 0}`);
}

test("instrumentSource() names functions as the engines do, at the name they are declared or bound with", () => {
  const src = [
    "function decl() {}",
    "const arrow = () => 1;",
    "let fnExpr = function () {};",
    "obj.deep.prop = function () {};",
    "class Shape extends Base {",
    "  constructor() { super(); }",
    "  area() { return 0; }",
    "  get size() { return 1; }",
    "  static make() {}",
    "  #hidden() {}",
    "  field = () => 2;",
    "}",
    "const o = { method() {}, key: () => 3, 'quoted'() {} };",
    "[1].map((x) => x);",
    "function outer({ opt = () => 4 } = {}) {}",
    // esbuild's keepNames (tsx runs with it) names functions at run time.
    "const kept = /* @__PURE__ */ __name((ms) => ms, \"kept\"), o2 = { k: __name(function () {}, \"k\") };",
  ].join("\n");
  assert.deepEqual(framesOf(src), [
    "(module) 1:1",
    "decl 1:10",
    "arrow 2:7",
    "fnExpr 3:5",
    "obj.deep.prop 4:10",
    "Shape 6:3",
    "area 7:3",
    "get size 8:7",
    "make 9:10",
    "#hidden 10:3",
    "field 11:3",
    "method 13:13",
    "key 13:26",
    "quoted 13:40",
    "(anonymous) 14:9",
    "outer 15:10",
    "opt 15:18",
    "kept 16:7",
    "k 16:65",
  ]);
});

test("instrumentSource() adds no line, so line numbers stay true without a source map", () => {
  const src = "'use strict';\nfunction a() {\n  return 1;\n}\nconst b = async () => {\n  await a();\n};\n";
  const { code } = instrumentSource(src, { file: "/app/t.js", sourceType: "script" });
  // The module's own exit goes after the last line.
  assert.equal(code.split("\n").length, src.split("\n").length + 1);
  assert.ok(code.startsWith("'use strict';"), "the directive stays first");
  for (const [i, line] of src.split("\n").entries()) {
    if (line.trim() === "") continue;
    const words = line.replace(/[^A-Za-z0-9]+/g, " ").trim().split(" ");
    for (const w of words) assert.ok(code.split("\n")[i]!.includes(w), `line ${i + 1} lost "${w}"`);
  }
  assert.ok(instrumentSource("#!/usr/bin/env node\nf();", { file: "/a.js" }).code.startsWith("#!/usr/bin/env node\n"));
});

test("instrumentCode() maps positions back through the TypeScript it was stripped from", () => {
  const ts = [
    "interface Point {",
    "  x: number;",
    "}",
    "",
    "export function norm(p: Point): number {",
    "  return Math.abs(p.x);",
    "}",
    "",
    "export const twice = (n: number): number => {",
    "  throw new Error(`boom ${n}`);",
    "};",
  ].join("\n");
  const js = transformSync(ts, { loader: "ts", sourcemap: "external", sourcefile: "/app/geo.ts" });
  const out = instrumentCode(js.code, { file: "/app/geo.ts", format: "esm", recorderSpecifier: "/tsprof/portable.js", inputMap: JSON.parse(js.map) })!;
  assert.match(out, /^\/\*tsprof:instrumented\*\/import \{ recorder as __tsprof \} from "\/tsprof\/portable\.js";/);
  assert.deepEqual(framesOf(js.code, { inputMap: JSON.parse(js.map), sourceType: "module" }), ["(module) 1:1", "norm 5:17", "twice 9:14"]);
  // The composed map sends the instrumented `throw` back to line 10 of the TypeScript.
  const { code, map } = takeInlineSourceMap(out);
  const lines = code.split("\n");
  const line = lines.findIndex((l) => l.includes("throw new Error"));
  const column = lines[line]!.indexOf("throw");
  const pos = originalPositionFor(new TraceMap(map as never), { line: line + 1, column });
  assert.equal(pos.source, "/app/geo.ts");
  assert.equal(pos.line, 10);
  assert.equal(pos.column, 2);
});

test("instrumentCode() leaves instrumented code and code that does not parse alone", () => {
  const once = instrumentCode("function f() {}", { file: "/a.js", format: "cjs" })!;
  assert.equal(instrumentCode(once, { file: "/a.js", format: "cjs" }), undefined);
  assert.equal(instrumentCode("function (", { file: "/a.js", format: "detect" }), undefined);
  // detect: top-level await makes a module; require() without imports a script.
  assert.match(instrumentCode("await f();", { file: "/a.js", format: "detect", recorderSpecifier: "/r.js", cjs: "require" })!, /import \{ recorder/);
  assert.match(instrumentCode("return require('x');", { file: "/a.js", format: "detect", recorderSpecifier: "/r.js", cjs: "require" })!, /require\("\/r\.js"\)\.recorder/);
});

test("instrumented code computes what the original computes", async () => {
  const src = `
    "use strict";
    function Counter(start) { this.n = start; }
    Counter.prototype.inc = function () { return ++this.n; };
    class Base { constructor(v) { this.v = v; } get double() { return this.v * 2; } static of(v) { return new this(v); } }
    class Derived extends Base { constructor(v) { const w = v + 1; super(w); } get double() { return super.double + 1; } }
    function sum() { let s = 0; for (const a of arguments) s += a; return s; }
    function* fib() { let [a, b] = [0, 1]; for (;;) { const r = yield a; if (r) return r; [a, b] = [b, a + b]; } }
    function early(x) { if (x) return "early"; label: for (;;) { for (;;) { break label; } } return "late"; }
    function finallyWins() { try { return 1; } finally { return 2; } }
    const obj = { x: 5, get() { return () => this.x; } };
    const exprArrow = (a) => ({ a });
    const nested = () => () => () => 7;
    async function asyncFlow(xs) {
      let out = [];
      for await (const x of xs) out.push(await Promise.resolve(x * 2));
      try { await Promise.reject(new Error("r")); } catch (e) { out.push(e.message); }
      return out;
    }
    async function* agen() { yield 1; await null; yield* [2, 3]; }
    exports.run = async () => {
      const c = new Counter(1); c.inc();
      const g = fib(); const f = [g.next().value, g.next().value, g.next().value, g.next().value, g.next(99).value];
      const collected = []; for await (const v of agen()) collected.push(v);
      return [c.n, Derived.of(1).double, sum(1, 2, 3), f, early(true), early(false), finallyWins(), obj.get()(), exprArrow(1), nested()()(),
        await asyncFlow([1, Promise.resolve(2)]), collected, typeof exports.run, Derived.name, sum.length];
    };
  `;
  const plain: Record<string, () => Promise<unknown>> = {};
  new Function("exports", src)(plain);
  const clock = fakeClock();
  const r = new Recorder();
  const instrumented = loadInstrumented(src, r, clock) as unknown as Record<string, () => Promise<unknown>>;
  assert.deepEqual(await instrumented.run!(), await plain.run!());
  assert.equal(r.depth, 0, "the shadow stack is balanced afterwards");
});

test("shouldInstrument() skips node_modules (unless asked), tsprof's own files and declarations", () => {
  const filter = { toolPaths: ["/opt/tsprof/dist/"] };
  assert.equal(shouldInstrument("/app/src/main.ts", filter), true);
  assert.equal(shouldInstrument("/app/src/view.tsx", filter), true);
  assert.equal(shouldInstrument("/app/node_modules/lib/index.js", filter), false);
  assert.equal(shouldInstrument("/app/node_modules/lib/index.js", { ...filter, includeNodeModules: true }), true);
  assert.equal(shouldInstrument("/opt/tsprof/dist/portable.js", filter), false);
  assert.equal(shouldInstrument("/app/types.d.ts", filter), false);
  assert.equal(shouldInstrument("/app/data.json", filter), false);
});
