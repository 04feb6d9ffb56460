import assert from "node:assert/strict";
import { buildCallTree, type CallNode } from "../../src/tree/call_tree.ts";
import {
  aggregateRepeatedCalls,
  foldRecursion,
  groupLibraryFrames,
  isLibraryFrame,
  mergeConsecutiveSelfTime,
  processTree,
  removeFrames,
  removeIrrelevantNodes,
  removeRuntimeFrames,
  removeToolFrames,
  removeUnnecessarySelfTime,
} from "../../src/tree/processors.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { type Frame, MODULE_LOADING_FRAME } from "../../src/format/types.ts";
import { test } from "../harness.ts";
import { assertValidTree, dump, f, profileOf, snapshot } from "../_helpers.ts";

const runtimeHeavy = profileOf([
  ["processTicksAndRejections@node:internal/process/task_queues;main;work", 5],
  ["listOnTimeout@node:internal/timers;main;work", 3],
  ["main;op_now@", 1],
  ["main", 0.5],
  ["(idle)", 2],
]);
const recursive = profileOf([
  ["main;fib;fib;fib;leaf", 4],
  ["main;fib;fib", 2],
  ["main;fib", 1],
  ["main", 3],
  ["main;other;fib;fib", 5],
  ["main;parse;expr;parse;expr;term", 2],
  ["(idle)", 2],
]);
const library = profileOf([
  ["main@/app/src/main.ts;get@/app/node_modules/express/lib/router.js;layer@/app/node_modules/express/lib/layer.js;next@/app/node_modules/express/lib/next.js;handle@/app/node_modules/@scope/mw/i.js;handler@/app/src/h.ts", 60],
  ["main@/app/src/main.ts;get@/app/node_modules/express/lib/router.js;layer@/app/node_modules/express/lib/layer.js", 10],
  ["main@/app/src/main.ts;parse@/app/node_modules/yaml/parse.js;compose@/app/node_modules/yaml/compose.js", 25],
  ["main@/app/src/main.ts", 5],
]);
const interleaved = profileOf([
  ["main;a", 1], ["main", 2], ["main;tiny", 0.1], ["main", 3], ["main;a", 4], ["main", 1], ["(idle)", 10],
]);

const inputs: [string, () => CallNode, boolean][] = [
  ["a runtime-heavy tree", () => buildCallTree(runtimeHeavy, { selfNodes: true }), false],
  ["a recursive tree", () => buildCallTree(recursive, { selfNodes: true }), false],
  ["a library tree", () => buildCallTree(library, { selfNodes: true }), false],
  ["a timeline", () => buildCallTree(interleaved, { timeline: true, selfNodes: true }), true],
  ["a tree without [self] leaves", () => buildCallTree(recursive), false],
];

const processors: [string, (root: CallNode, timeline: boolean) => CallNode][] = [
  ["removeFrames", (r, timeline) => removeFrames(r, (fr) => fr.name === "fib" || fr.name === "main", { timeline })],
  ["removeRuntimeFrames", (r, timeline) => removeRuntimeFrames(r, { timeline })],
  ["removeToolFrames", (r, timeline) => removeToolFrames(r, { toolPaths: ["/app/src/"], timeline })],
  ["aggregateRepeatedCalls", (r) => aggregateRepeatedCalls(r)],
  ["removeIrrelevantNodes", (r) => removeIrrelevantNodes(r, { filterThreshold: 0.2 })],
  ["foldRecursion", (r, timeline) => foldRecursion(r, { timeline })],
  ["mergeConsecutiveSelfTime", (r) => mergeConsecutiveSelfTime(r)],
  ["removeUnnecessarySelfTime", (r) => removeUnnecessarySelfTime(r)],
  ["groupLibraryFrames", (r) => groupLibraryFrames(r)],
  ["processTree", (r, timeline) => processTree(r, { timeline })],
  ["processTree (showAll, foldRecursion)", (r, timeline) => processTree(r, { timeline, showAll: true, foldRecursion: true })],
];

for (const [name, run] of processors) {
  test(`${name}() keeps the total and the tree invariants and leaves its input unchanged`, () => {
    for (const [what, make, timeline] of inputs) {
      const root = make();
      const before = snapshot(root);
      const out = run(root, timeline);
      assert.notEqual(out, root, `${what}: a new tree`);
      assert.equal(out.time, root.time, `${what}: the total`);
      const stillTimeline = timeline && name !== "aggregateRepeatedCalls";
      assertValidTree(out, { timeline: stillTimeline });
      assert.equal(snapshot(root), before, `${what}: the input must not change`);
      // Chained, as the pipeline does, the invariants still hold.
      assertValidTree(processTree(out, { timeline: stillTimeline }), { timeline: stillTimeline });
    }
  });
}

test("removeRuntimeFrames() hoists user code out of runtime frames, merges it and keeps a native callee's time as [self]", () => {
  const out = removeRuntimeFrames(buildCallTree(runtimeHeavy, { selfNodes: true }));
  assert.equal(dump(out), "main:9.5\n  work:8\n    [self]:8\n  [self]:1.5\n(idle):2\n  [self]:2");
});

test("removeRuntimeFrames() keeps runtime frames that showRegex names", () => {
  const out = removeRuntimeFrames(buildCallTree(runtimeHeavy), { showRegex: /^node:internal\/timers/ });
  assert.ok(dump(out).includes("listOnTimeout"));
  assert.ok(!dump(out).includes("processTicksAndRejections"));
});

test("removeToolFrames() drops frames under the tool's paths", () => {
  const p = profileOf([["main@/app/x.ts;preload@/tool/src/cli/preload.ts;work@/app/x.ts", 2]]);
  const out = removeToolFrames(buildCallTree(p), { toolPaths: ["/tool/src/"] });
  assert.equal(dump(out), "main:2\n  work:2");
});

test("aggregateRepeatedCalls() merges repeated calls of a timeline, heaviest first", () => {
  const out = aggregateRepeatedCalls(buildCallTree(interleaved, { timeline: true, selfNodes: true }));
  assert.equal(dump(out), "main:11.1\n  [self]:6\n  a:5\n    [self]:5\n  tiny:0.1\n    [self]:0.1\n(idle):10\n  [self]:10");
});

test("removeIrrelevantNodes() drops nodes under the threshold of the total, [self] leaves too", () => {
  const p = profileOf([["main;big", 95], ["main;small", 4], ["main;tiny", 0.5], ["main", 0.5]]);
  const out = removeIrrelevantNodes(buildCallTree(p, { selfNodes: true }), { filterThreshold: 0.02 });
  assert.equal(dump(out), "main:100\n  big:95\n    [self]:95\n  small:4\n    [self]:4");
  assert.equal(dump(removeIrrelevantNodes(buildCallTree(p), {})), "main:100\n  big:95\n  small:4", "default threshold 1%");
});

test("mergeConsecutiveSelfTime() joins stretches of own time left side by side", () => {
  const timeline = buildCallTree(interleaved, { timeline: true, selfNodes: true });
  assert.equal(dump(timeline), "main:11.1\n  a:1\n    [self]:1\n  [self]:2\n  tiny:0.1\n    [self]:0.1\n  [self]:3\n  a:4\n    [self]:4\n  [self]:1\n(idle):10\n  [self]:10");
  const pruned = removeIrrelevantNodes(timeline, { filterThreshold: 0.01 });
  assert.equal(dump(pruned), "main:11.1\n  a:1\n    [self]:1\n  [self]:2\n  [self]:3\n  a:4\n    [self]:4\n  [self]:1\n(idle):10\n  [self]:10");
  assert.equal(dump(mergeConsecutiveSelfTime(pruned)), "main:11.1\n  a:1\n    [self]:1\n  [self]:5\n  a:4\n    [self]:4\n  [self]:1\n(idle):10\n  [self]:10");
});

test("removeUnnecessarySelfTime() drops a [self] leaf that is its parent's only child", () => {
  const out = removeUnnecessarySelfTime(buildCallTree(profileOf([["main;a", 3], ["main", 1]]), { selfNodes: true }));
  assert.equal(dump(out), "main:4\n  a:3\n  [self]:1");
});

test("foldRecursion() folds direct and indirect recursion into the outer call, keeping its total", () => {
  const out = foldRecursion(buildCallTree(recursive, { selfNodes: true }));
  assert.equal(
    dump(out),
    [
      "main:17",
      "  fib:7",
      "    leaf:4",
      "      [self]:4",
      "    [self]:3",
      "  other:5",
      "    fib:5",
      "      [self]:5",
      "  [self]:3",
      "  parse:2",
      "    expr:2",
      "      term:2",
      "        [self]:2",
      "(idle):2",
      "  [self]:2",
    ].join("\n"),
  );
});

test("foldRecursion() in a timeline keeps the order of calls", () => {
  const p = profileOf([["main;f;f;b", 1], ["main;f;a", 1], ["main;f;f;b", 1]]);
  const out = foldRecursion(buildCallTree(p, { timeline: true }), { timeline: true });
  assert.equal(dump(out), "main:3\n  f:3\n    b:1\n    a:1\n    b:1");
});

test("foldRecursion() works on a 10,000-deep recursion without recursing itself", () => {
  const stack = Array.from({ length: 10_000 }, () => "fib").join(";");
  const out = foldRecursion(buildCallTree(profileOf([[stack, 1]])));
  assert.equal(dump(out), "fib:1");
});

test("groupLibraryFrames() hides the middle of a run of library frames, named by package", () => {
  const out = groupLibraryFrames(buildCallTree(library, { selfNodes: true }));
  assertValidTree(out);
  assert.equal(
    snapshot(out),
    [
      "(root):100",
      "  main:100",
      "    get:70 {group 4/2 express}",
      "      layer:70 {hidden}",
      "        next:60 {hidden}",
      "          handle:60 {in group}",
      "            handler:60",
      "              [self]:60",
      "        [self]:10 {in group}",
      "    parse:25 {group 2/0 }",
      "      compose:25 {in group}",
      "        [self]:25 {in group}",
      "    [self]:5",
    ].join("\n"),
  );
});

test("groupLibraryFrames() keeps a library frame with a large share of own time in view", () => {
  const out = groupLibraryFrames(buildCallTree(library, { selfNodes: true }), { groupShowShare: 0.05 });
  const layer = out.children[0]!.children[0]!.children[0]!;
  assert.equal(layer.frame.name, "layer");
  assert.equal(layer.group!.hidden.has(layer), false, "10% own time is over 5%");
  assert.deepEqual([...layer.group!.hidden].map((n) => n.frame.name), [], "next alone would be hidden: too few");
});

test("groupLibraryFrames() hides nothing when fewer than groupMinHidden frames would be hidden", () => {
  const out = groupLibraryFrames(buildCallTree(library), { groupMinHidden: 3 });
  const get = out.children[0]!.children[0]!;
  assert.equal(get.group!.hidden.size, 0);
  assert.equal(get.group!.count, 4);
});

test("groupLibraryFrames() lets --show and --hide decide what is library code", () => {
  assert.equal(isLibraryFrame(f("x@/app/node_modules/yaml/a.js")), true);
  assert.equal(isLibraryFrame(f("x@/app/node_modules/yaml/a.js"), { showRegex: /yaml/ }), false);
  assert.equal(isLibraryFrame(f("x@/app/src/gen/a.ts"), { hideRegex: /\/gen\// }), true);
  assert.equal(isLibraryFrame(f("(idle)")), false);
  const p = profileOf([["main@/app/src/main.ts;a@/app/src/gen/a.ts;b@/app/src/gen/b.ts;c@/app/src/gen/c.ts;e@/app/src/gen/e.ts;d@/app/src/d.ts", 1]]);
  const out = groupLibraryFrames(buildCallTree(p), { hideRegex: /\/gen\//, cwd: "/app" });
  const a = out.children[0]!.children[0]!;
  assert.deepEqual(a.group!.libraries, ["src"], "hidden app code is named by its folder");
  assert.deepEqual([...a.group!.hidden].map((n) => n.frame.name), ["b", "c"], "e leads out of the group");
});

test("groupLibraryFrames() folds a library's module loading into its group: the loader between its modules hides with them", () => {
  const mod = (file: string): Frame => ({ name: "(module)", file, line: 1, col: 1, kind: "js" });
  const b = new ProfileBuilder("main");
  const lodash = mod("/app/node_modules/lodash-es/lodash.js");
  const inner = (name: string) => mod(`/app/node_modules/lodash-es/${name}.js`);
  const app = mod("/app/src/app.ts");
  // The loader's own time (resolving, reading, linking) is most of a large package's loading.
  b.addSample([app, MODULE_LOADING_FRAME, lodash, MODULE_LOADING_FRAME], 60);
  b.addSample([app, MODULE_LOADING_FRAME, lodash, MODULE_LOADING_FRAME, inner("ary"), MODULE_LOADING_FRAME, inner("_createWrap")], 20);
  b.addSample([app, MODULE_LOADING_FRAME, lodash, MODULE_LOADING_FRAME, inner("clone"), MODULE_LOADING_FRAME, inner("_baseClone")], 15);
  b.addSample([app], 5);
  const out = groupLibraryFrames(buildCallTree(b.build(), { selfNodes: true }));
  assertValidTree(out);
  const loading = out.children[0]!.children[0]!;
  assert.equal(loading.frame, MODULE_LOADING_FRAME);
  assert.equal(loading.group, undefined, "the app's own imports are not a library's");
  const root = loading.children[0]!;
  assert.equal(root.frame, lodash);
  assert.equal(root.group?.root, root);
  assert.equal(root.group!.count, 8, "lodash's modules and the loading between them: one group");
  assert.equal(root.group!.hidden.size, 7, "the loader's own time (60%) does not keep it in view: the group's root shows it");
  assert.deepEqual(root.group!.libraries, ["lodash-es"]);
});

test("processTree() with showAll keeps runtime frames and groups nothing", () => {
  const out = processTree(buildCallTree(runtimeHeavy), { showAll: true });
  assert.ok(dump(out).includes("processTicksAndRejections"));
  let grouped = false;
  const todo = [out];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (n.group) grouped = true;
    todo.push(...n.children);
  }
  assert.equal(grouped, false);
});
