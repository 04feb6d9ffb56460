import assert from "node:assert/strict";
import { renderConsole } from "../../src/render/console.ts";
import { test } from "../harness.ts";
import { profileOf, sessionOf } from "../_helpers.ts";

const session = sessionOf(profileOf([
  ["main@/app/src/main.ts:3;parse@/app/node_modules/yaml/dist/parse.js:10;compose@/app/node_modules/yaml/dist/compose.js:5;resolve@/app/node_modules/yaml/dist/resolve.js:7;visitor@/app/node_modules/yaml/dist/visit.js:2;visit@/app/src/visit.ts:8", 40],
  ["main@/app/src/main.ts:3;parse@/app/node_modules/yaml/dist/parse.js:10;compose@/app/node_modules/yaml/dist/compose.js:5", 10],
  ["main@/app/src/main.ts:3;fib@/app/src/fib.ts:1;fib@/app/src/fib.ts:1", 30],
  ["main@/app/src/main.ts:3", 5],
  ["(idle)", 15],
]));

test("renderConsole() draws the tree with times, glyphs and relative paths", () => {
  const text = renderConsole(session, { unicode: true, color: false });
  const tree = text.slice(text.indexOf("\n\n") + 2).trimEnd();
  assert.equal(tree, [
    "0.085 main  src/main.ts:3:1",
    "├─ 0.050 parse  yaml/dist/parse.js:10:1",
    "│     [2 frames hidden]  yaml",
    "│  └─ 0.040 visitor  yaml/dist/visit.js:2:1",
    "│     └─ 0.040 visit  src/visit.ts:8:1",
    "├─ 0.030 fib  src/fib.ts:1:1",
    "│  └─ 0.030 fib  src/fib.ts:1:1",
    "└─ 0.005 [self]  src/main.ts",
    "0.015 (idle)",
  ].join("\n"));
});

test("renderConsole() header names runtime, samples, duration and program", () => {
  const text = renderConsole(session, { version: "9.9.9" });
  assert.match(text, /^tsprof 9\.9\.9 {2}Recorded: \d\d:\d\d:\d\d {2}Samples: 5$/m);
  assert.match(text, /Duration: 0\.100 s/);
  assert.match(text, /Runtime: node 20\.0\.0/);
  assert.match(text, /^Program: app\.ts$/m);
});

test("renderConsole() header leaves out what a foreign file does not say: when, and the runtime's version", () => {
  const foreign = { ...session, meta: { ...session.meta, startTime: 0, runtimeVersion: "" } };
  const text = renderConsole(foreign, { version: "9.9.9" });
  assert.match(text, /^tsprof 9\.9\.9 {2}Samples: 5$/m);
  assert.match(text, /Runtime: node$/m);
});

test("renderConsole() draws ASCII, percentages and colour on request", () => {
  const ascii = renderConsole(session, { unicode: false, time: "percent" });
  assert.ok(ascii.includes("|- 50.0% parse"), ascii);
  assert.ok(ascii.includes("`- 5.0% [self]"), ascii);
  assert.ok(!/\x1b\[/.test(ascii));
  const coloured = renderConsole(session, { color: true });
  assert.ok(coloured.includes("\x1b[31m0.085\x1b[0m"), "a share over 60% is red");
});

test("renderConsole() says so when nothing was sampled", () => {
  const text = renderConsole(sessionOf(profileOf([])));
  assert.ok(text.includes("No samples were recorded."));
});

test("renderConsole() stops drawing at maxDepth and says so", () => {
  const deep = Array.from({ length: 500 }, () => "down@/app/src/down.ts:1").join(";");
  const text = renderConsole(sessionOf(profileOf([[deep, 10]])), { maxDepth: 50, color: false });
  const treeLines = text.split("\n").filter((l) => l.includes("down  src/down.ts"));
  assert.equal(treeLines.length, 50);
  assert.match(text, /… calls nested deeper than 50 levels not shown/);
  const all = renderConsole(sessionOf(profileOf([[deep, 10]])), { maxDepth: 1000 });
  assert.equal(all.split("\n").filter((l) => l.includes("down  src/down.ts")).length, 500);
});
