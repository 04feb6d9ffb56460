import assert from "node:assert/strict";
import { type ConsoleOptions, renderConsole } from "../../src/render/console.ts";
import { buildCallTree } from "../../src/tree/call_tree.ts";
import { flatProfile } from "../../src/tree/flat.ts";
import { foldRecursion } from "../../src/tree/processors.ts";
import { test } from "../harness.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

// Hand-computed: the total is 170 ms. fib runs on two call paths (under
// main: 70 ms; under other: 50 ms), so its total is 120 ms, never the
// 270 ms a sum over the levels (70 + 60 + 40 + 50 + 50) gives. Its own
// time is 20 + 10 + 50 = 80 ms.
const FIB = "fib@/app/fib.ts:3";
const profile = profileOf([
  [`main@/app/main.ts:1;${FIB};${FIB};${FIB};leaf@/app/leaf.ts:9`, 40],
  [`main@/app/main.ts:1;${FIB};${FIB}`, 20],
  [`main@/app/main.ts:1;${FIB}`, 10],
  ["main@/app/main.ts:1", 30],
  [`main@/app/main.ts:1;other@/app/main.ts:7;${FIB};${FIB}`, 50],
  ["(idle)", 20],
]);
const session = sessionOf(profile);

/** The report without its header. */
function body(options: ConsoleOptions): string {
  const text = renderConsole(session, { color: false, ...options });
  return text.slice(text.indexOf("\n\n") + 2).trimEnd();
}

test("renderConsole() tree of a recursive program: every level's total is what ran below it", () => {
  assert.equal(body({}), [
    "0.150 main  main.ts:1:1",
    "├─ 0.070 fib  fib.ts:3:1",
    "│  ├─ 0.060 fib  fib.ts:3:1",
    "│  │  ├─ 0.040 fib  fib.ts:3:1",
    "│  │  │  └─ 0.040 leaf  leaf.ts:9:1",
    "│  │  └─ 0.020 [self]  fib.ts",
    "│  └─ 0.010 [self]  fib.ts",
    "├─ 0.050 other  main.ts:7:1",
    "│  └─ 0.050 fib  fib.ts:3:1",
    "│     └─ 0.050 fib  fib.ts:3:1",
    "└─ 0.030 [self]  main.ts",
    "0.020 (idle)",
  ].join("\n"));
});

test("renderConsole() with foldRecursion shows fib once per call path with its outermost total", () => {
  assert.equal(body({ foldRecursion: true }), [
    "0.150 main  main.ts:1:1",
    "├─ 0.070 fib  fib.ts:3:1",
    "│  ├─ 0.040 leaf  leaf.ts:9:1",
    "│  └─ 0.030 [self]  fib.ts",
    "├─ 0.050 other  main.ts:7:1",
    "│  └─ 0.050 fib  fib.ts:3:1",
    "└─ 0.030 [self]  main.ts",
    "0.020 (idle)",
  ].join("\n"));
});

test("renderConsole() flat by self time sums each function's own time", () => {
  assert.equal(body({ flat: true }), [
    "0.080 fib  fib.ts:3:1",
    "0.040 leaf  leaf.ts:9:1",
    "0.030 main  main.ts:1:1",
    "0.020 (idle)",
  ].join("\n"));
});

test("renderConsole() flat by total time counts recursion once per call path", () => {
  assert.equal(body({ flat: true, flatTime: "total" }), [
    "0.150 main  main.ts:1:1",
    "0.120 fib  fib.ts:3:1",
    "0.050 other  main.ts:7:1",
    "0.040 leaf  leaf.ts:9:1",
    "0.020 (idle)",
  ].join("\n"));
  assert.match(body({ flat: true, flatTime: "total", time: "percent" }), /^88\.2% main .*\n70\.6% fib /);
});

test("flatProfile() gives the same numbers before and after folding recursion", () => {
  const byName = (rows: ReturnType<typeof flatProfile>) =>
    Object.fromEntries(rows.map((r) => [r.frame.name, [r.self, r.total]]));
  const tree = buildCallTree(profile, { selfNodes: true });
  const expected = { main: [30, 150], fib: [80, 120], leaf: [40, 40], other: [0, 50], "(idle)": [20, 20] };
  assert.deepEqual(byName(flatProfile(tree)), expected);
  assert.deepEqual(byName(flatProfile(foldRecursion(tree))), expected);
  assert.deepEqual(byName(flatProfile(buildCallTree(profile, { timeline: true }))), expected, "a timeline sums the same");
});

test("renderConsole() flat leaves out functions under flatThreshold and says how many", () => {
  const text = body({ flat: true, flatThreshold: 0.2 });
  assert.equal(text, "0.080 fib  fib.ts:3:1\n0.040 leaf  leaf.ts:9:1\n(2 more under 20%)");
  assert.equal(body({ flat: true, flatThreshold: 0.2, showAll: true }).split("\n").length, 4, "showAll lists all");
});

test("renderConsole() refuses flat with timeline", () => {
  assert.throws(() => renderConsole(session, { flat: true, timeline: true }), /"flat" and "timeline" cannot be used together/);
});

test("renderConsole() timeline keeps calls and stretches of own time in order", () => {
  const s = sessionOf(profileOf([["main;a", 10], ["main", 20], ["main;b", 30], ["main", 40], ["main;a", 50]]));
  const text = renderConsole(s, { timeline: true, unicode: false });
  assert.equal(text.slice(text.indexOf("\n\n") + 2).trimEnd(), [
    "0.150 main  app.ts:1:1",
    "|- 0.010 a  app.ts:1:1",
    "|- 0.020 [self]  app.ts",
    "|- 0.030 b  app.ts:1:1",
    "|- 0.040 [self]  app.ts",
    "`- 0.050 a  app.ts:1:1",
  ].join("\n"));
});
