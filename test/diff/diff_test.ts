import assert from "node:assert/strict";
import { biggestChanges, diffSessions, type DiffNode, frameMatchKey, shownPaths } from "../../src/diff/diff_tree.ts";
import { assessChange, isSignificant } from "../../src/diff/significance.ts";
import { type Frame, PROGRAM_FRAME, type Session } from "../../src/format/types.ts";
import { ProfileBuilder } from "../../src/format/builder.ts";
import { MODULE_LOADING_FRAME } from "../../src/format/types.ts";
import { test } from "../harness.ts";
import { sessionOfCounts } from "../_helpers.ts";
import { prng } from "../../bench/synthetic_profile.ts";

/** A frame `name` in `file` (app code under /app unless told) at `line`. */
const fr = (name: string, file = "/app/src/app.ts", line = 1): Frame => ({ name, file, line, col: 1, kind: "js" });

/** A session of 1 ms samples: `count` samples on each stack (frames outermost first). */
const session = (stacks: readonly [readonly Frame[], number][], cwd = "/app") => sessionOfCounts(stacks, { cwd });

const main = fr("main", "/app/src/main.ts", 1);
const parse = fr("parseConfig", "/app/src/config.ts", 10);
const render = fr("renderPage", "/app/src/page.ts", 5);
const compute = fr("compute", "/app/src/compute.ts", 3);

function find(root: DiffNode, name: string): DiffNode | undefined {
  const todo = [root];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (n.frame.name === name) return n;
    todo.push(...n.children);
  }
  return undefined;
}

function anySignificant(root: DiffNode): DiffNode | undefined {
  const todo = [...root.children];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (isSignificant(n.change) || isSignificant(n.self)) return n;
    todo.push(...n.children);
  }
  return undefined;
}

/** A Poisson count of mean `mean` (normal approximation above 50, Knuth's method below). */
function poisson(mean: number, rand: () => number): number {
  if (mean > 50) {
    const u = Math.max(1e-12, rand());
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

test("diffSessions() of a profile against itself shows no change anywhere", () => {
  const s = session([[[main, parse], 300], [[main, render], 200], [[main], 20]]);
  const diff = diffSessions(s, s);
  assert.equal(diff.root.change.delta, 0);
  assert.equal(anySignificant(diff.root), undefined);
  const todo = [diff.root];
  while (todo.length > 0) {
    const n = todo.pop()!;
    assert.equal(n.change.z, 0, n.frame.name);
    todo.push(...n.children);
  }
  assert.deepEqual(shownPaths(diff.root, { all: false, minShare: 0.01 }).children, []);
  assert.deepEqual(biggestChanges(diff.root, 10), []);
});

test("diffSessions() finds a function whose time doubled, and only that", () => {
  const base = session([[[main, parse], 300], [[main, render], 300], [[main, compute], 600]]);
  const head = session([[[main, parse], 600], [[main, render], 300], [[main, compute], 600]]);
  const diff = diffSessions(base, head);
  const p = find(diff.root, "parseConfig")!;
  assert.equal(p.change.delta, 300);
  assert.equal(p.change.confidence, "sure");
  assert.equal(find(diff.root, "renderPage")!.change.confidence, "noise");
  assert.equal(find(diff.root, "compute")!.change.confidence, "noise");
  const big = biggestChanges(diff.root, 5);
  assert.deepEqual(big.map((b) => b.path.map((n) => n.frame.name)), [["main", "parseConfig"]]);
  const fn = diff.functions.find((f) => f.frame.name === "parseConfig")!;
  assert.equal(fn.self.confidence, "sure");
  assert.equal(fn.total.delta, 300);
});

test("diffSessions() calls a run slowed down as a whole (a busy machine) no change of any function", () => {
  const base = session([[[main, parse], 300], [[main, render], 300], [[main, compute], 600]]);
  const head = session([[[main, parse], 450], [[main, render], 450], [[main, compute], 900]]);
  const diff = diffSessions(base, head);
  for (const name of ["parseConfig", "renderPage", "compute"]) assert.equal(find(diff.root, name)!.change.confidence, "noise", name);
  for (const f of diff.functions.filter((f) => f.frame.name !== "main")) assert.equal(f.self.confidence, "noise", f.frame.name);
});

test("diffSessions() calls no change of start-up or the runtime's (program) time significant, and still finds code that doubled", () => {
  const loading = MODULE_LOADING_FRAME;
  const base = session([[[loading], 46], [[PROGRAM_FRAME], 40], [[main, parse], 300], [[main, compute], 600]]);
  const head = session([[[loading], 6], [[PROGRAM_FRAME], 90], [[main, parse], 600], [[main, compute], 600]]);
  const diff = diffSessions(base, head);
  assert.equal(find(diff.root, "(module loading)")!.change.confidence, "noise");
  assert.equal(find(diff.root, "(program)")!.change.confidence, "noise");
  assert.ok(isSignificant(find(diff.root, "parseConfig")!.change));
  assert.deepEqual(diff.functions.filter((f) => isSignificant(f.self)).map((f) => f.frame.name), ["parseConfig"]);
});

test("diffSessions() still finds code that doubled when a long wait is one sample (Bun's charged gaps)", () => {
  // Bun records no idle samples: a 190 ms wait becomes one [await] sample of 190 ms, which said
  // nothing of how sure code time is, yet made every sample look 190 ms wide.
  const wait: Frame = { name: "[await] sleep", file: "/app/src/main.ts", line: 3, col: 9, kind: "js" };
  const withWait = (busyMs: number) => {
    const b = new ProfileBuilder("main");
    for (let i = 0; i < 300; i++) b.addSample([main, parse], 1);
    b.addSample([main, wait], 190);
    for (let i = 0; i < busyMs; i++) b.addSample([main, compute], 1);
    return { version: 1, meta: { runtime: "bun", runtimeVersion: "1", intervalMs: 1, startTime: 0, durationMs: 490 + busyMs, cwd: "/app" }, profiles: [b.build()] } as Session;
  };
  const diff = diffSessions(withWait(100), withWait(250));
  assert.ok(isSignificant(find(diff.root, "compute")!.change), JSON.stringify(find(diff.root, "compute")!.change));
});

test("diffSessions() flags none of 40 functions between runs that differ by sampling noise alone", () => {
  const rand = prng(18);
  const fns = Array.from({ length: 40 }, (_, i) => fr(`fn${i}`, `/app/src/m${i % 7}.ts`, i + 1));
  const means = fns.map((_, i) => 20 + ((i * 37) % 400));
  let flagged = 0;
  for (let trial = 0; trial < 5; trial++) {
    const run = () => session(fns.map((f, i) => [[main, f], poisson(means[i]!, rand)] as [Frame[], number]));
    const diff = diffSessions(run(), run());
    const bad = anySignificant(diff.root);
    if (bad) flagged++;
    flagged += diff.functions.filter((f) => isSignificant(f.self) || isSignificant(f.total)).length;
  }
  assert.equal(flagged, 0);
});

test("diffSessions() matches a function that moved lines, and calls a renamed one new and the old gone", () => {
  const base = session([[[main, parse], 300], [[main, render], 300]]);
  const moved = fr("parseConfig", "/app/src/config.ts", 42);
  const renamed = fr("paintPage", "/app/src/page.ts", 5);
  const diff = diffSessions(base, session([[[main, moved], 300], [[main, renamed], 300]]));
  const p = find(diff.root, "parseConfig")!;
  assert.equal(p.change.delta, 0);
  assert.equal(p.frame.line, 42, "the head's line is shown");
  const gone = find(diff.root, "renderPage")!;
  const added = find(diff.root, "paintPage")!;
  assert.equal(gone.change.head, 0);
  assert.equal(gone.change.confidence, "sure");
  assert.equal(added.change.base, 0);
  assert.equal(added.change.ratio, null);
});

test("frameMatchKey() matches the same file in two checkouts and as a file: URL", () => {
  const a = frameMatchKey(fr("f", "/home/ci/work/repo/src/a.ts", 3), "/home/ci/work/repo");
  const b = frameMatchKey(fr("f", "file:///tmp/base/src/a.ts", 9), "/tmp/base");
  assert.equal(a, b);
  assert.notEqual(a, frameMatchKey(fr("f", "/tmp/base/src/b.ts", 3), "/tmp/base"));
  const base = session([[[main, parse], 300]], "/ci/base");
  const head = session([[[fr("main", "/ci/head/src/main.ts"), fr("parseConfig", "/ci/head/src/config.ts", 10)], 300]], "/ci/head");
  const diff = diffSessions(
    { ...base, profiles: session([[[fr("main", "/ci/base/src/main.ts"), fr("parseConfig", "/ci/base/src/config.ts", 10)], 300]]).profiles },
    head,
  );
  assert.equal(diff.root.children.length, 1);
  assert.equal(anySignificant(diff.root), undefined);
});

test("diffSessions() folds library frames as the tree does: the frames a group hides are not paths", () => {
  const lib = (name: string) => fr(name, `/app/node_modules/yaml/dist/${name}.js`);
  const stack = [main, lib("parse"), lib("compose"), lib("resolve"), lib("scan"), parse];
  const diff = diffSessions(session([[stack, 200], [[main], 100]]), session([[stack, 400], [[main], 100]]));
  const names: string[] = [];
  const todo = [...diff.root.children];
  while (todo.length > 0) {
    const n = todo.pop()!;
    names.push(n.frame.name);
    todo.push(...n.children);
  }
  assert.ok(names.includes("parse"), "the group's root stays");
  assert.ok(!names.includes("compose") && !names.includes("resolve"), `hidden frames are folded: ${names}`);
  assert.ok(isSignificant(find(diff.root, "parseConfig")!.change));
});

test("diffSessions() handles 10,000-deep stacks without recursion", () => {
  const deep = Array.from({ length: 10_000 }, (_, i) => fr(`f${i}`, "/app/src/deep.ts", i + 1));
  const diff = diffSessions(session([[deep, 50]]), session([[deep, 100]]));
  assert.equal(diff.root.change.delta, 50);
  assert.ok(diff.functions.length >= 10_000);
});

test("assessChange() needs enough samples: 3 → 6 is noise, 300 → 600 is sure", () => {
  const model = { baseSampleMs: 1, headSampleMs: 1 };
  assert.equal(assessChange(3, 6, model, { base: 1000, head: 1000 }).confidence, "noise");
  assert.equal(assessChange(300, 600, model, { base: 1000, head: 1000 }).confidence, "sure");
  // The same times with 10 ms samples are a tenth of the samples: less sure.
  const coarse = assessChange(30, 60, { baseSampleMs: 10, headSampleMs: 10 }, { base: 1000, head: 1000 });
  assert.equal(coarse.confidence, "noise");
});

test("diffSessions() judges time in the CPU time each run got: a starved base run hides no doubled function", () => {
  // The base run got a fifth of a core, the head two fifths; parseConfig does twice the work in the head.
  const base = sessionOfCounts([[[main, parse], 300], [[main, render], 300], [[main, compute], 600]], { cpuTimeMs: 240 });
  const head = sessionOfCounts([[[main, parse], 300], [[main, render], 150], [[main, compute], 300]], { cpuTimeMs: 300 });
  const diff = diffSessions(base, head);
  assert.ok(isSignificant(find(diff.root, "parseConfig")!.change), JSON.stringify(find(diff.root, "parseConfig")!.change));
  assert.equal(find(diff.root, "renderPage")!.change.confidence, "noise");
  // Without the CPU times, a function whose milliseconds did not change is not called slower.
  const { cpuTimeMs: _b, ...baseMeta } = base.meta;
  const { cpuTimeMs: _h, ...headMeta } = head.meta;
  const blind = diffSessions({ ...base, meta: baseMeta }, { ...head, meta: headMeta });
  assert.equal(find(blind.root, "parseConfig")!.change.confidence, "noise");
});

test("the diff's renderers write no empty parentheses for a change with no ratio (own time none on either side)", async () => {
  const { renderDiffHtml } = await import("../../src/render/diff_html.ts");
  const base = session([[[main, parse], 300], [[main, render], 300]]);
  const head = session([[[main, parse], 600], [[main, render], 300]]);
  const diff = diffSessions(base, head);
  assert.equal(find(diff.root, "main")!.self.ratio, null, "main has no own time: the case at hand");
  const html = renderDiffHtml(diff);
  const titles = [...html.matchAll(/title="([^"]*)"/g)].map((m) => m[1]!);
  assert.ok(titles.some((t) => t.startsWith("main") && t.includes("own time: ±0 ms")), "main's own time is in its tooltip");
  assert.deepEqual(titles.filter((t) => t.includes("()")), []);
});
