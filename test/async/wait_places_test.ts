import assert from "node:assert/strict";
import { parse } from "@babel/parser";
import type { AwaitWait } from "../../src/async/charge_awaits.ts";
import { completeCutStacks } from "../../src/async/cut_stacks.ts";
import { foldAwaitPoints } from "../../src/async/fold_points.ts";
import { ProfileBuilder, stackFrames } from "../../src/format/builder.ts";
import { profileTotal } from "../../src/format/types.ts";
import { namedFunctionSpans } from "../../src/async/source_functions.ts";
import { placeWaitsAtDefinitions } from "../../src/async/wait_definitions.ts";
import type { Frame } from "../../src/format/types.ts";
import { textLineReader } from "../../src/sourcemap/source_lines.ts";
import { test } from "../harness.ts";

const TS = { file: "/app/a.ts", typescript: true, jsx: false } as const;

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
  b.addSample([point], 1);
  const p = b.build();
  const folded = foldAwaitPoints(p);
  const stacks = Array.from(folded.samples, (s) => stackFrames(folded, s).map((f) => f.name).join(" > "));
  // A point with no caller on the sampled stack: tsprof's own work, not a function past the file's end.
  assert.deepEqual(stacks, ["main", "main > point", "main", "(tsprof)"]);
  assert.equal(profileTotal(folded), profileTotal(p));
  assert.equal(foldAwaitPoints(folded), folded, "nothing to fold: the profile itself");
});
