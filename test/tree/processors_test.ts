import assert from "node:assert/strict";
import { buildCallTree, type CallNode } from "../../src/tree/call_tree.ts";
import {
  foldRecursion,
  groupLibraryFrames,
  processTree,
  removeIrrelevantNodes,
  removeRuntimeFrames,
  removeToolFrames,
} from "../../src/tree/processors.ts";
import { test } from "../harness.ts";
import { assertValidTree, dump, profileOf } from "../_helpers.ts";

const runtimeHeavy = profileOf([
  ["processTicksAndRejections@node:internal/process/task_queues;main;work", 5],
  ["listOnTimeout@node:internal/timers;main;work", 3],
  ["main;op_now@", 1],
  ["(idle)", 2],
]);

const processors: [string, (root: CallNode) => CallNode][] = [
  ["removeRuntimeFrames", (r) => removeRuntimeFrames(r)],
  ["removeToolFrames", (r) => removeToolFrames(r, { toolPaths: ["/app/"] })],
  ["removeIrrelevantNodes", (r) => removeIrrelevantNodes(r, { filterThreshold: 0.2 })],
  ["foldRecursion", (r) => foldRecursion(r)],
  ["groupLibraryFrames", (r) => groupLibraryFrames(r)],
  ["processTree", (r) => processTree(r)],
];

for (const [name, run] of processors) {
  test(`${name}() keeps the total and the tree valid`, () => {
    const root = buildCallTree(runtimeHeavy);
    const before = dump(root);
    const out = run(root);
    assertValidTree(out);
    assert.equal(out.time, root.time);
    assert.equal(dump(root), before, "the input tree must not change");
  });
}

test("removeRuntimeFrames() hoists user code out of runtime frames and merges it", () => {
  const out = removeRuntimeFrames(buildCallTree(runtimeHeavy));
  assert.equal(dump(out), "main:9\n  work:8\n(idle):2");
});

test("removeToolFrames() drops frames under the tool's paths", () => {
  const p = profileOf([["main@/app/x.ts;preload@/tool/src/cli/preload.ts;work@/app/x.ts", 2]]);
  const out = removeToolFrames(buildCallTree(p), { toolPaths: ["/tool/src/"] });
  assert.equal(dump(out), "main:2\n  work:2");
});

test("removeIrrelevantNodes() folds small nodes into their parent", () => {
  const p = profileOf([["main;big", 95], ["main;small", 4], ["main;tiny", 1]]);
  const out = removeIrrelevantNodes(buildCallTree(p), { filterThreshold: 0.02 });
  assert.equal(dump(out), "main:100\n  big:95\n  small:4");
});

test("foldRecursion() shows direct recursion once with the same total", () => {
  const p = profileOf([["main;fib;fib;fib;leaf", 4], ["main;fib;fib", 2], ["main;fib", 1]]);
  const out = foldRecursion(buildCallTree(p));
  assert.equal(dump(out), "main:7\n  fib:7\n    leaf:4");
});

test("groupLibraryFrames() groups runs of node_modules frames by package", () => {
  const p = profileOf([
    ["main;get@/app/node_modules/express/lib/router.js;handle@/app/node_modules/@scope/mw/i.js;handler", 6],
    ["main;get@/app/node_modules/express/lib/router.js", 2],
  ]);
  const out = groupLibraryFrames(buildCallTree(p));
  const get = out.children[0]!.children[0]!;
  assert.equal(get.frame.name, "get");
  assert.ok(get.group && get.group.root === get);
  assert.equal(get.group.count, 2);
  assert.deepEqual(get.group.libraries, ["express", "@scope/mw"]);
  assert.equal(get.children[0]!.children[0]!.group, undefined, "the app handler is not in the group");
});

test("processTree() with showAll keeps runtime frames", () => {
  const out = processTree(buildCallTree(runtimeHeavy), { showAll: true });
  assert.ok(dump(out).includes("processTicksAndRejections"));
});
