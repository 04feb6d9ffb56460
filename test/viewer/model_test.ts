import assert from "node:assert/strict";
import { ProfileBuilder } from "../../src/format/builder.ts";
import type { Profile } from "../../src/format/types.ts";
import type { CallNode } from "../../src/tree/call_tree.ts";
import { consoleTree } from "../../src/render/console.ts";
import { buildCallTree } from "../../src/tree/call_tree.ts";
import { flatProfile } from "../../src/tree/flat.ts";
import { type ProcessOptions, processTree } from "../../src/tree/processors.ts";
import { formatMs, formatTick } from "../../src/viewer/format.ts";
import {
  buildTimeline,
  callTreeOf,
  type FlatTree,
  functionStats,
  hiddenFrames,
  invertTree,
  layoutTree,
  sandwich,
  searchFrames,
  visibleStacks,
} from "../../src/viewer/model.ts";
import { test } from "../harness.ts";
import { assertValidTree, f, profileOf, snapshot } from "../_helpers.ts";

const idOf = (p: Profile, name: string) => p.frames.findIndex((fr) => fr.name === name);

/** Node totals by path `a;b;c`, for readable asserts on flat trees. */
function paths(tree: FlatTree, p: Profile): Map<string, number> {
  const layout = layoutTree(tree);
  const out = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < tree.frame.length; i++) {
    const up = tree.parent[i]!;
    names[i] = (up === -1 ? "" : `${names[up]};`) + p.frames[tree.frame[i]!]!.name;
    out.set(names[i]!, +layout.total[i]!.toFixed(6));
  }
  return out;
}

const all = (p: Profile) => visibleStacks(p, new Uint8Array(p.frames.length));

test("functionStats() counts a recursive function's total once per sample", () => {
  const p = profileOf([
    ["main;fib;fib;fib", 3],
    ["main;fib", 1],
    ["main;other;fib", 2],
    ["main", 4],
  ]);
  const stats = functionStats(layoutTree(all(p).tree), p.frames.length);
  assert.equal(stats.total[idOf(p, "fib")], 6);
  assert.equal(stats.self[idOf(p, "fib")], 6);
  assert.equal(stats.total[idOf(p, "main")], 10);
  assert.equal(stats.self[idOf(p, "main")], 4);
  assert.equal(stats.total[idOf(p, "other")], 2);
  assert.equal(stats.self[idOf(p, "other")], 0);
  assert.deepEqual([...stats.frames].sort(), [idOf(p, "main"), idOf(p, "fib"), idOf(p, "other")].sort());
});

test("functionStats() agrees with the console's flat list on every function", () => {
  const p = profileOf([
    ["main;parse;expr;parse;expr;num", 7],
    ["main;fib;fib;fib", 5],
    ["main;emit@node:events:1;fib", 2],
    ["main", 1],
    ["(idle)", 4],
  ]);
  const hidden = hiddenFrames(p.frames, { showAll: false, toolPaths: [] });
  const stats = functionStats(layoutTree(visibleStacks(p, hidden).tree), p.frames.length);
  const flat = flatProfile(processTree(buildCallTree(p, { selfNodes: true }), { filterThreshold: 0, showAll: false }));
  assert.equal(stats.frames.length, flat.length);
  for (const row of flat) {
    const i = p.frames.indexOf(row.frame);
    assert.ok(Math.abs(stats.self[i]! - row.self) < 1e-9 && Math.abs(stats.total[i]! - row.total) < 1e-9, `${row.frame.name}: ${stats.self[i]}/${stats.total[i]} vs ${row.self}/${row.total}`);
  }
});

test("sandwich() gives callers and callees of a function, recursion counted once", () => {
  const p = profileOf([
    ["main;fib;fib;leaf", 3],
    ["main;fib", 1],
    ["main;other;fib", 2],
    ["main", 4],
  ]);
  const layout = layoutTree(all(p).tree);
  const s = sandwich(layout, idOf(p, "fib"));
  assert.deepEqual(
    paths(s.callers, p),
    new Map([["fib", 6], ["fib;main", 4], ["fib;other", 2], ["fib;other;main", 2]]),
  );
  assert.deepEqual(paths(s.callees, p), new Map([["fib", 6], ["fib;fib", 3], ["fib;fib;leaf", 3]]));
});

test("invertTree() puts the functions that spent time at the roots, callers below", () => {
  const p = profileOf([
    ["main;a;work", 5],
    ["main;b;work", 3],
    ["main;a", 2],
  ]);
  const inv = paths(invertTree(all(p).tree), p);
  assert.deepEqual(
    inv,
    new Map([["work", 8], ["work;a", 5], ["work;a;main", 5], ["work;b", 3], ["work;b;main", 3], ["a", 2], ["a;main", 2]]),
  );
});

test("invertTree() stops following callers below its resolution but keeps every total", () => {
  const samples: [string, number][] = [["main;hot", 1000]];
  for (let i = 0; i < 50; i++) samples.push([`main;c${i};cold`, 0.001]);
  const p = profileOf(samples);
  const inv = invertTree(all(p).tree, 1e-3);
  const layout = layoutTree(inv);
  const byName = paths(inv, p);
  assert.equal(byName.get("cold"), 0.05);
  assert.equal(byName.get("hot;main"), 1000);
  assert.ok(![...byName.keys()].some((k) => k.startsWith("cold;")), "callers of a node under the resolution are not followed");
  assert.ok(Math.abs(layout.grandTotal - 1000.05) < 1e-9);
});

test("visibleStacks() removes runtime and tool frames, merging what meets, as the processors do", () => {
  const p = profileOf([
    ["main;emit@node:events:10;work", 2],
    ["main;work", 3],
    ["main;tool@/tsprof/src/x.ts;rest", 1],
    ["(idle)", 4],
  ]);
  const hidden = hiddenFrames(p.frames, { showAll: false, toolPaths: ["/tsprof/"] });
  const v = visibleStacks(p, hidden);
  assert.deepEqual(paths(v.tree, p), new Map([["main", 6], ["main;work", 5], ["main;rest", 1], ["(idle)", 4]]));
  const shown = visibleStacks(p, hiddenFrames(p.frames, { showAll: true, toolPaths: ["/tsprof/"] }));
  assert.equal(paths(shown.tree, p).get("main;emit;work"), 2, "showAll keeps runtime frames, never tsprof's");
  assert.equal(paths(shown.tree, p).get("main;rest"), 1);
});

test("visibleStacks() folds recursion, direct or through other functions, when asked", () => {
  const p = profileOf([["main;fib;fib;fib;leaf", 3], ["main;fib", 1], ["main;parse;expr;parse;expr;num", 2]]);
  const v = visibleStacks(p, new Uint8Array(p.frames.length), true);
  assert.deepEqual(
    paths(v.tree, p),
    new Map([["main", 6], ["main;fib", 4], ["main;fib;leaf", 3], ["main;parse", 2], ["main;parse;expr", 2], ["main;parse;expr;num", 2]]),
  );
});

/** The page's call tree: flat removal and pruning, then the processors. */
function pageTree(p: Profile, o: ProcessOptions) {
  const hidden = hiddenFrames(p.frames, { showAll: o.showAll ?? false, toolPaths: o.toolPaths ?? [], showRegex: o.showRegex });
  const layout = layoutTree(visibleStacks(p, hidden, o.foldRecursion ?? false).tree);
  let total = 0;
  for (const w of p.weights) total += w;
  const min = o.showAll ? 0 : (o.filterThreshold ?? 0.01) * total;
  return processTree(callTreeOf(layout, p.frames, total, min), o);
}

test("the page's call tree equals the console's for the same options", () => {
  const p = profileOf([
    ["main;parse;lexer@/app/node_modules/acorn/dist/acorn.js:3;next@/app/node_modules/acorn/dist/acorn.js:9;cb", 40],
    ["main;parse;lexer@/app/node_modules/acorn/dist/acorn.js:3", 13],
    ["main;emit@node:events:1;handler", 21],
    ["main;fib;fib;fib", 17],
    ["main;parse;expr;parse;num", 6],
    ["main;tiny", 0.5],
    // Under 1% each, over it once the runtime frame between them is gone.
    ["main;emit@node:events:1;small", 0.8],
    ["main;small", 0.8],
    ["main;tool@/opt/tsprof/dist/x.js;after", 3],
    ["(idle)", 30],
    ["", 2],
  ]);
  const cases: ProcessOptions[] = [
    { toolPaths: ["/opt/tsprof/"] },
    { toolPaths: ["/opt/tsprof/"], foldRecursion: true },
    { toolPaths: ["/opt/tsprof/"], showAll: true },
    { toolPaths: ["/opt/tsprof/"], filterThreshold: 0.1 },
    { toolPaths: ["/opt/tsprof/"], showRegex: /acorn/, hideRegex: /app\.ts/ },
    { toolPaths: ["/opt/tsprof/"], groupMinHidden: 1, groupShowShare: 0.05, cwd: "/app" },
  ];
  const rounded = (t: CallNode) => snapshot(t).replace(/:(\d+(?:\.\d+)?(?:e-?\d+)?)/g, (_, x: string) => `:${(+x).toFixed(6)}`);
  for (const o of cases) {
    const expected = consoleTree(p, o);
    const got = pageTree(p, o);
    assertValidTree(got);
    assert.equal(rounded(got), rounded(expected), JSON.stringify(o));
  }
});

test("buildTimeline() keeps time order: a box per stretch on the stack, idle boxes, gaps for no stack", () => {
  const p = profileOf([
    ["a;b", 1],
    ["a;b", 1],
    ["a;c", 2],
    ["(idle)", 3],
    ["", 1],
    ["a", 1],
  ]);
  const v = all(p);
  const tl = buildTimeline(v.tree, v.runNode, p.weights);
  assert.deepEqual([...tl.runStart], [0, 1, 2, 4, 7, 8, 9]);
  const describe = (d: number) => {
    const row = tl.rows[d]!;
    return [...row.node].map((n, i) => `${p.frames[v.tree.frame[n]!]!.name}@${tl.runStart[row.from[i]!]}-${tl.runStart[row.to[i]!]}`);
  };
  assert.deepEqual(describe(0), ["a@0-4", "(idle)@4-7", "a@8-9"]);
  assert.deepEqual(describe(1), ["b@0-2", "c@2-4"]);
  assert.equal(tl.boxCount, 5);
});

test("buildTimeline() handles stacks 10,000 deep without recursion", () => {
  const b = new ProfileBuilder("deep");
  const frames = Array.from({ length: 10_000 }, (_, i) => f(`d${i}`));
  b.addSample(frames, 1);
  b.addSample(frames.slice(0, 5000), 1);
  const p = b.build();
  const v = all(p);
  const tl = buildTimeline(v.tree, v.runNode, p.weights);
  assert.equal(tl.rows.length, 10_000);
  assert.equal(tl.boxCount, 10_000);
  const stats = functionStats(layoutTree(v.tree), p.frames.length);
  assert.equal(stats.total[0], 2);
  assert.equal(invertTree(v.tree).frame.length, 15_000);
});

test("searchFrames() matches function names and files, ignoring case; empty means no search", () => {
  const p = profileOf([["Main;parseJSON@/app/src/Parser.ts:3", 1], ["(idle)", 1]]);
  const names = (m: Uint8Array | undefined) => p.frames.filter((_, i) => m?.[i]).map((fr) => fr.name);
  assert.deepEqual(names(searchFrames(p.frames, "json")), ["parseJSON"]);
  assert.deepEqual(names(searchFrames(p.frames, "parser.TS")), ["parseJSON"]);
  assert.deepEqual(names(searchFrames(p.frames, "main")), ["Main"]);
  assert.equal(searchFrames(p.frames, "  "), undefined);
});

test("formatTick() gives axis labels the decimals their step needs", () => {
  assert.equal(formatTick(0, 100), "0");
  assert.equal(formatTick(30_010, 10), "30.01 s");
  assert.equal(formatTick(30_000, 1000), "30 s");
  assert.equal(formatTick(30_000.5, 0.5), "30.0005 s");
  assert.equal(formatTick(200, 100), "200 ms");
  assert.equal(formatTick(2.5, 0.5), "2.5 ms");
  assert.equal(formatMs(0), "0 ms");
  assert.equal(formatMs(0.25), "250 µs");
  assert.equal(formatMs(1234), "1.234 s");
  assert.equal(formatMs(125_000), "2 min 5 s");
});
