import assert from "node:assert/strict";
import { parse } from "@babel/parser";
import { instrumentAwaits } from "../../src/async/await_edits.ts";
import { AWAIT_POINT_CALLEE, AWAIT_POINTS_KEY } from "../../src/async/await_point_names.ts";
import { trackAwaitPoints } from "../../src/async/await_points.ts";
import { STACK_BURST } from "../../src/async/stack_budget.ts";
import type { AwaitWait } from "../../src/async/charge_awaits.ts";
import { completeCutStacks } from "../../src/async/cut_stacks.ts";
import { foldAwaitPoints } from "../../src/async/fold_points.ts";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { profileTotal } from "../../src/format/types.ts";
import { namedFunctionSpans } from "../../src/async/source_functions.ts";
import { placeWaitsAtDefinitions } from "../../src/async/wait_definitions.ts";
import type { Frame } from "../../src/format/types.ts";
import { textLineReader } from "../../src/sourcemap/source_lines.ts";
import { turnEnd } from "../../runtimes/_soon.ts";
import { test } from "../harness.ts";

/** `text` with each `__tsprof$w((` as the edit writes it: the call guarded. */
const marked = (text: string) => text.replaceAll("__tsprof$w((", `${AWAIT_POINT_CALLEE}((`);

const TS = { file: "/app/a.ts", typescript: true, jsx: false } as const;
const JS = { file: "/app/a.js", typescript: false, jsx: false } as const;
const AsyncFunction = (async () => {}).constructor as new (body: string) => () => Promise<unknown>;

test("instrumentAwaits() marks each await with its position, nested ones too, and keeps every line", () => {
  const source = [
    "import { g } from './g.ts';", // 1
    "export async function f(a: Promise<number>): Promise<number> {", // 2
    "  const v = await (a as Promise<number>);", // 3
    "  return await g(await h(), (await k) as number, v);", // 4
    "}", // 5
    "await f(Promise.resolve(1));", // 6
    "await obj.load()!;", // 7
    "const r = await new Promise((res) => setTimeout(res, 1));", // 8
    "await obj['m']();", // 9
  ].join("\n");
  const code = instrumentAwaits(source, TS)!;
  const lines = code.split("\n");
  // Where V8 places each await (node:v8 promise hooks' stacks): at the call it awaits, else at the await.
  assert.equal(lines[2], marked("  const v = await (__tsprof$w((a as Promise<number>), 3, 13));"));
  assert.equal(lines[3], marked("  return await __tsprof$w((g(await __tsprof$w((h()), 4, 24), (await __tsprof$w((k), 4, 30)) as number, v)), 4, 16);"));
  assert.equal(lines[5], marked("await __tsprof$w((f(Promise.resolve(1))), 6, 7);"));
  assert.equal(lines[6], marked("await __tsprof$w((obj.load()!), 7, 11);"), "a method call at its name");
  assert.equal(lines[7], marked("const r = await __tsprof$w((new Promise((res) => setTimeout(res, 1))), 8, 17);"), "new at new");
  assert.equal(lines[8], marked("await __tsprof$w((obj['m']()), 9, 1);"), "a computed callee at the await");
  assert.deepEqual(lines.slice(0, 9).map((l) => l.replaceAll(`${AWAIT_POINT_CALLEE}((`, "").replace(/\), \d+, \d+\)/g, "")), source.split("\n"), "only the marks were added, on the same lines");
  assert.equal(instrumentAwaits("const x = 1;\n", TS), undefined, "no await: nothing to mark");
  assert.equal(instrumentAwaits("async function f() { await (; }\n", JS), undefined, "no parse: left alone");
  assert.ok(instrumentAwaits("const C = async () => <div>{await load()}</div>;\nexport default C;\n", { file: "/app/c.tsx", typescript: true, jsx: true }));
});

test("instrumentAwaits() with onlyModules leaves alone what a runtime may run as CommonJS", () => {
  const only = { ...JS, onlyModules: true };
  assert.equal(instrumentAwaits("async function f() { await g(); }\nmodule.exports = f;\n", only), undefined);
  assert.equal(instrumentAwaits("import x = require('x');\nasync function f() { await x(); }\n", { ...TS, onlyModules: true }), undefined);
  assert.equal(instrumentAwaits("async function f() { await g(); }\nexport = f;\n", { ...TS, onlyModules: true }), undefined);
  assert.ok(instrumentAwaits("async function f() { await g(); }\nexport { f };\n", only));
  assert.ok(instrumentAwaits("await main();\n", only), "a top-level await makes a module");
});

test("marked awaits give the same values and errors as before, and reach the recorder with their positions", async () => {
  const source = [
    "const seen = [];",
    "const a = await (1, Promise.resolve(2));",
    "const b = await await Promise.resolve(Promise.resolve(3));",
    "const c = await { then(r) { r(4); } };",
    "let d;",
    "try { await Promise.reject(new Error('no')); } catch (e) { d = e.message; }",
    "return [a, b, c, d];",
  ].join("\n");
  const code = instrumentAwaits(source, { ...JS, file: "/app/marked.js" })!;
  const calls: string[] = [];
  const registry = globalThis as Record<symbol, unknown>;
  registry[Symbol.for(AWAIT_POINTS_KEY)] = (file: string) => (value: unknown, line: number, col: number) => {
    calls.push(`${file}:${line}:${col}`);
    return value;
  };
  try {
    assert.deepEqual(await new AsyncFunction(code)(), [2, 3, 4, "no"]);
  } finally {
    delete registry[Symbol.for(AWAIT_POINTS_KEY)];
  }
  // The inner `await` of `await await` starts waiting first.
  assert.deepEqual(calls, ["/app/marked.js:2:11", "/app/marked.js:3:31", "/app/marked.js:3:11", "/app/marked.js:4:11", "/app/marked.js:6:21"]);
  // No recorder: the marks hand every value through.
  assert.deepEqual(await new AsyncFunction(code)(), [2, 3, 4, "no"]);
});

test("trackAwaitPoints() records a promise's wait with the awaiting function, and leaves other values alone", async () => {
  const points = trackAwaitPoints({ minMs: 0.25 });
  const at = points.forFile("/app/a.ts");
  const thenable = { then: (r: (v: number) => void) => r(1) };
  assert.equal(at(thenable, 1, 1), thenable);
  assert.equal(at(5, 1, 1), 5);
  async function waiter(): Promise<void> {
    const p = new Promise<void>((r) => setTimeout(r, 30));
    assert.equal(at(p, 7, 3), p, "the promise itself is handed back");
    await p;
  }
  await waiter();
  points.stop();
  // After stop, nothing more is kept.
  await (at(new Promise((r) => setTimeout(r, 5)), 9, 3) as Promise<unknown>);
  const waits = points.waits();
  assert.equal(waits.length, 1, JSON.stringify(waits));
  const [w] = waits;
  assert.ok(w!.end - w!.start >= 25, `waited ${w!.end - w!.start} ms`);
  assert.deepEqual(w!.at, { file: "/app/a.ts", line: 7, col: 3 });
  assert.equal(w!.stack.at(-1)!.name, "waiter", w!.stack.map((f) => f.name).join(" > "));
});

test("namedFunctionSpans() names a function as its definition does, and says where that name is written", () => {
  const spans = namedFunctionSpans(parse, [
    "export const time = async (n: string): Promise<void> => {", // 1
    "  await n;", // 2
    "};", // 3
    "class A { async load(): Promise<void> {} }", // 4
    "const o = { run: () => 1, go() {} };", // 5
    "handler = function () {};", // 6
    "[1].map((x) => x);", // 7
  ].join("\n"), { typescript: true, jsx: false })!;
  assert.deepEqual(spans.map((s) => `${s.name ?? "-"} ${s.start.line}:${s.start.col} ${s.nameAt ? `${s.nameAt.line}:${s.nameAt.col}` : "-"}`).sort(), [
    "- 7:9 -", "go 5:27 5:27", "handler 6:11 6:1", "load 4:11 4:17", "run 5:18 5:13", "time 1:21 1:14",
  ]);
});

test("placeWaitsAtDefinitions() places named frames at their definitions, unnamed ones at the name of the function around them", () => {
  const source = "export async function main() {\n  const time = async () => {\n    await run();\n  };\n  await time();\n}\n";
  const frame = (name: string): Frame => ({ name, file: "/app/a.ts", kind: "js" });
  const wait: AwaitWait = {
    start: 0, end: 5, at: { file: "/app/a.ts", line: 3, col: 5 },
    stack: [frame("main"), frame("(anonymous)")],
    calls: [{ line: 5, col: 9 }, { line: 3, col: 5 }],
  };
  const [w] = placeWaitsAtDefinitions([wait], textLineReader(() => source), () => namedFunctionSpans(parse, source, TS));
  assert.deepEqual(w!.stack.map((f) => `${f.name} ${f.line}:${f.col}`), ["main 1:23", "time 2:9"]);
  assert.equal(w!.calls, undefined);
});

test("completeCutStacks() gives a resumed chain the callers its outermost function had when it started", () => {
  const f = (name: string, line: number): Frame => ({ name, file: "/app/a.ts", line, col: 1, kind: "js" });
  const at = { file: "/app/a.ts", line: 1, col: 1 };
  const [first, later, handler] = completeCutStacks([
    { start: 0, end: 5, stack: [f("(module)", 1), f("main", 3)], at },
    { start: 6, end: 9, stack: [f("main", 3), f("load", 9)], at },
    { start: 7, end: 9, stack: [f("onRequest", 20)], at },
  ]);
  assert.deepEqual(first!.stack.map((x) => x.name), ["(module)", "main"]);
  assert.deepEqual(later!.stack.map((x) => x.name), ["(module)", "main", "load"]);
  assert.deepEqual(handler!.stack.map((x) => x.name), ["onRequest"], "a function never seen started keeps its stack");
});

test("completeCutStacks() tells apart unnamed functions on one line of generated code", () => {
  // tsx's CommonJS output: an Express route handler and the app.listen callback, both on line 2.
  const f = (name: string, file: string, line: number, col: number): Frame => ({ name, file, line, col, kind: "js" });
  const handle = f("handle", "/app/node_modules/express/lib/router/layer.js", 86, 34);
  const route = f("(anonymous)", "/app/app.ts", 2, 610);
  const listening = f("(anonymous)", "/app/app.ts", 2, 950);
  const at = { file: "/app/app.ts", line: 2, col: 700 };
  const [, , resumed] = completeCutStacks([
    { start: 0, end: 5, stack: [listening], at },
    { start: 6, end: 9, stack: [handle, route], at },
    { start: 10, end: 12, stack: [listening], at },
  ]);
  assert.deepEqual(resumed!.stack, [listening], "the listen callback does not take the route handler's callers");
});

test("foldAwaitPoints() gives the time of an edited await's own function to its caller", () => {
  const main: Frame = { name: "main", file: "/app/a.ts", line: 1, col: 16, kind: "js" };
  const point: Frame = { name: "__tsprof$w", file: "/app/a.ts", line: 40, col: 10, kind: "js" };
  const record: Frame = { name: "point", file: "/tsprof/dist/bun_preload.js", line: 3, col: 1, kind: "js" };
  const b = new ProfileBuilder("main");
  b.addSample([main, point], 2);
  b.addSample([main, point, record], 1);
  b.addSample([main], 4);
  const p = b.build();
  const folded = foldAwaitPoints(p);
  const stacks = Array.from(folded.samples, (s) => stackFrames(folded, s).map((f) => f.name).join(" > "));
  assert.deepEqual(stacks, ["main", "main > point", "main"]);
  assert.equal(profileTotal(folded), profileTotal(p));
  assert.equal(foldAwaitPoints(folded), folded, "nothing to fold: the profile itself");
});

test("trackAwaitPoints() with turnEnd (Bun's) records the first wait after a burst that spent its budget, once the event loop has turned", async () => {
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const run = async (soon: (callback: () => void) => () => void) => {
    const points = trackAwaitPoints({ minMs: 1, soon });
    const at = points.forFile("/app/a.ts");
    // Asks until one takes no stack: the budget is spent, and the next asks go by without the
    // clock. Counted, not computed from the burst's size: time refills the budget as the burst is
    // taken, by how much a loaded machine decides. Pending, so that no wait of the burst ends
    // (which would end the skipping too).
    const capture = Error.captureStackTrace;
    let taken = 0;
    Error.captureStackTrace = (...args: Parameters<typeof capture>) => {
      taken++;
      capture.apply(Error, args);
    };
    try {
      for (let asked = 0; asked < 100 * STACK_BURST; asked++) {
        const before = taken;
        at(new Promise(() => {}), 1, 1);
        if (taken === before) break;
      }
    } finally {
      Error.captureStackTrace = capture;
    }
    await later(20);
    const asked = performance.now();
    await (at(later(5), 2, 1) as Promise<unknown>);
    return { asked, waits: points.waits().filter((w) => w.at.line === 2) };
  };
  const { asked, waits } = await run(turnEnd);
  assert.equal(waits.length, 1, "the wait after the burst");
  // From the timer's start: the recorder's clock starts after its stack capture, which a loaded machine can slow.
  assert.ok(waits[0]!.end - asked >= 4, `${waits[0]!.end - asked} ms`);
  // A `soon` that never calls back leaves the budget skipping: that wait would go unseen.
  assert.equal((await run(() => () => {})).waits.length, 0);
});
