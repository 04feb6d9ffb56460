import assert from "node:assert/strict";
import { buildCallTree, ownTime, selfTime } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { assertValidTree, dump, profileOf } from "../_helpers.ts";

test("buildCallTree() merges repeated calls and sorts heaviest first", () => {
  const root = buildCallTree(profileOf([["main;a", 1], ["main;b", 3], ["main;a", 1], ["main", 2], ["(idle)", 4]]));
  assertValidTree(root);
  assert.equal(root.time, 11);
  assert.equal(dump(root), "main:7\n  b:3\n  a:2\n(idle):4");
  assert.equal(selfTime(root.children[0]!), 2);
});

test("buildCallTree() with timeline keeps calls apart and in order", () => {
  const root = buildCallTree(profileOf([["main;a", 1], ["main;b", 3], ["main;a", 1]]), { timeline: true });
  assertValidTree(root, { timeline: true });
  assert.equal(dump(root), "main:5\n  a:1\n  b:3\n  a:1");
});

test("buildCallTree() counts recursion once per call path", () => {
  // fib → fib → fib: each level's total is what ran below it, never summed twice.
  const root = buildCallTree(profileOf([["main;fib;fib;fib", 4], ["main;fib;fib", 2], ["main;fib", 1]]));
  assert.equal(dump(root), "main:7\n  fib:7\n    fib:6\n      fib:4");
  assert.equal(root.time, 7);
});

test("buildCallTree() builds a 10,000-deep tree without recursion", () => {
  const stack = Array.from({ length: 10_000 }, (_, i) => `f${i}`).join(";");
  const root = buildCallTree(profileOf([[stack, 1]]));
  let depth = 0;
  for (let n = root; n.children.length > 0; n = n.children[0]!) depth++;
  assert.equal(depth, 10_000);
});

test("buildCallTree() with selfNodes gives own time a [self] leaf, never under the root", () => {
  const root = buildCallTree(profileOf([["main;a", 1], ["main", 2], ["main;a", 1], ["", 5]]), { selfNodes: true });
  assertValidTree(root);
  assert.equal(dump(root), "main:4\n  [self]:2\n  a:2\n    [self]:2");
  assert.equal(root.time, 9, "time with an empty stack stays the root's own");
  assert.equal(ownTime(root.children[0]!), 2);
  assert.equal(selfTime(root.children[0]!), 0);
});
