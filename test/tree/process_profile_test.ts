import assert from "node:assert/strict";
import { prng } from "../../bench/synthetic_profile.ts";
import { frameKey } from "../../src/format/builder.ts";
import type { Frame, Profile } from "../../src/format/types.ts";
import { buildCallTree, type CallNode } from "../../src/tree/call_tree.ts";
import { type ProcessOptions, processProfile, processTree } from "../../src/tree/processors.ts";
import { test } from "../harness.ts";
import { assertValidTree } from "../_helpers.ts";

/**
 * A random profile shaped like a foreign file at its worst: stack ids out of
 * order, the same (parent, frame) pair more than once, one frame object at
 * two indices, runtime, tool, library and idle frames, zero weights.
 */
function randomProfile(seed: number): Profile {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const frames: Frame[] = [];
  // Distinct frame objects have distinct keys here, so the canonical order is total.
  const idle: Frame = { name: "(idle)", kind: "idle" };
  for (let i = 0; i < 12; i++) {
    const r = rand();
    if (r < 0.45) frames.push({ name: `app${i}`, file: `/app/src/m${i % 3}.ts`, line: i + 1, col: 1, kind: "js" });
    else if (r < 0.7) frames.push({ name: `lib${i}`, file: `/app/node_modules/${pick(["yaml", "zod"])}/x${i}.js`, line: 1, col: 1, kind: "js" });
    else if (r < 0.85) frames.push({ name: `rt${i}`, file: `node:internal/m${i}`, line: 1, col: 1, kind: "js" });
    else if (r < 0.92) frames.push({ name: `tool${i}`, file: `/tsprof/src/cli/preload.ts`, line: i, col: 1, kind: "js" });
    else frames.push(idle);
  }
  frames.push(frames[0]!, frames[3]!);
  const n = 40 + Math.floor(rand() * 60);
  const frame = new Int32Array(n);
  const parent = new Int32Array(n);
  // Ids are a shuffled order of a parent-first build, so parents may come later.
  const ids = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  for (let k = 0; k < n; k++) {
    frame[ids[k]!] = Math.floor(rand() * frames.length);
    parent[ids[k]!] = k === 0 || rand() < 0.15 ? -1 : ids[Math.floor(rand() * k)]!;
  }
  const count = 50 + Math.floor(rand() * 150);
  const samples = new Int32Array(count);
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    samples[i] = rand() < 0.05 ? -1 : Math.floor(rand() * n);
    weights[i] = rand() < 0.05 ? 0 : 1 + Math.floor(rand() * 4);
  }
  return { name: "main", frames, stacks: { length: n, frame, parent }, samples, weights };
}

/**
 * The tree as text, groups included. Siblings of equal time have no defined
 * order, so an aggregated tree's siblings, and a group's libraries (named in
 * order of appearance), are put in a canonical one.
 */
function canonical(root: CallNode, timeline: boolean): string {
  const lines: string[] = [];
  const todo: [CallNode, number][] = [[root, 0]];
  while (todo.length > 0) {
    const [node, depth] = todo.pop()!;
    const g = node.group;
    const group = g ? ` group(${g.root === node ? `root ${g.count} ${g.hidden.size} ${[...g.libraries].sort().join(",")}` : g.hidden.has(node) ? "hidden" : "shown"})` : "";
    lines.push(`${" ".repeat(depth)}${frameKey(node.frame)} ${node.time.toFixed(6)}${group}`);
    const kids = node.children.slice();
    if (!timeline) kids.sort((a, b) => b.time - a.time || (frameKey(a.frame) < frameKey(b.frame) ? -1 : 1));
    for (let i = kids.length - 1; i >= 0; i--) todo.push([kids[i]!, depth + 1]);
  }
  return lines.join("\n");
}

/** The aggregated tree made the obvious way: each sample's frames walked from the root. */
function naiveTree(profile: Profile): string {
  type Node = { frame: Frame; time: number; kids: Map<Frame, Node> };
  const root: Node = { frame: { name: "(root)", kind: "root" }, time: 0, kids: new Map() };
  for (let i = 0; i < profile.samples.length; i++) {
    const w = profile.weights[i]!;
    root.time += w;
    const path: Frame[] = [];
    for (let s = profile.samples[i]!; s !== -1; s = profile.stacks.parent[s]!) path.push(profile.frames[profile.stacks.frame[s]!]!);
    let node = root;
    for (let k = path.length - 1; k >= 0; k--) {
      let next = node.kids.get(path[k]!);
      if (!next) node.kids.set(path[k]!, (next = { frame: path[k]!, time: 0, kids: new Map() }));
      next.time += w;
      node = next;
    }
  }
  const toCall = (n: Node): CallNode => ({ frame: n.frame, time: n.time, children: [...n.kids.values()].filter((k) => k.time > 0).map(toCall) });
  return canonical(toCall(root), false);
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

test("buildCallTree() on out-of-order, repetitive stack tables equals the tree built sample by sample", () => {
  for (const seed of SEEDS) {
    const profile = randomProfile(seed);
    const tree = buildCallTree(profile);
    assertValidTree(tree);
    assert.equal(canonical(tree, false), naiveTree(profile), `seed ${seed}`);
  }
});

const OPTIONS: ProcessOptions[] = [
  {},
  { timeline: true },
  { filterThreshold: 0 },
  { filterThreshold: 0.05 },
  { filterThreshold: 0.05, timeline: true },
  { showAll: true },
  { showAll: true, timeline: true },
  { toolPaths: ["/tsprof/"] },
  { toolPaths: ["/tsprof/"], timeline: true, filterThreshold: 0.02 },
  { showRegex: /node:internal\/m[0-5]$/, hideRegex: /m1\.ts$/ },
  { foldRecursion: true },
  { foldRecursion: true, timeline: true },
  { groupMinHidden: 1, groupShowShare: 0.5 },
];

test("processProfile() gives what processTree() does on the built tree, for every option set", () => {
  for (const seed of SEEDS) {
    const profile = randomProfile(seed);
    for (const options of OPTIONS) {
      for (const selfNodes of [false, true]) {
        const timeline = options.timeline ?? false;
        const fast = processProfile(profile, { ...options, selfNodes });
        const slow = processTree(buildCallTree(profile, { timeline, selfNodes }), options);
        assertValidTree(fast, { timeline });
        assert.equal(canonical(fast, timeline), canonical(slow, timeline), `seed ${seed}, selfNodes ${selfNodes}, ${JSON.stringify(options)}`);
      }
    }
  }
});
