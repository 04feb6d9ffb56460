import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionFromJson } from "../../src/format/session_json.ts";
import { type CallNode, walk } from "../../src/tree/call_tree.ts";
import { processProfile } from "../../src/tree/processors.ts";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { SCRIPTS, tsprof } from "../_cli.ts";

/** The duration of the last run of {@linkcode loadNodes}, ms. */
let lastTotal = 0;

/** The tree of `loads_module.cjs <how>` as the console report folds it: the nodes of `load`. */
function loadNodes(how: "require" | "import"): CallNode[] {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-loading-"));
  try {
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, join(SCRIPTS, "loads_module.cjs"), how]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\d+\.\d+/);
    // typescript's sourceMappingURL names a map its package does not ship: nothing the user can fix.
    assert.doesNotMatch(r.stderr, /source map/);
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    const found: CallNode[] = [];
    lastTotal = session.meta.durationMs;
    for (const profile of session.profiles) {
      walk(processProfile(profile, { selfNodes: true, filterThreshold: 0 }), (node) => {
        if (node.frame.name === "load" && node.frame.file?.endsWith("loads_module.cjs")) found.push(node);
      });
    }
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A node's own time: what its callees do not hold (a lone `[self]` leaf is folded into its node). */
const selfOf = (node: CallNode) => node.time - node.children.filter((c) => c.frame.kind !== "self").reduce((t, c) => t + c.time, 0);

test("a function that require()s a large package shows the time under (module loading), not as its own", () => {
  const [load, ...more] = loadNodes("require");
  assert.ok(load !== undefined && more.length === 0, "one load node");
  const loading = load.children.find((c) => c.frame.name === "(module loading)");
  assert.ok(loading !== undefined, `children: ${load.children.map((c) => c.frame.name).join(", ")}`);
  // Compiling the TypeScript compiler takes a few hundred ms on every runtime; load itself does nothing.
  assert.ok(loading.time >= 0.8 * load.time, `(module loading) ${loading.time} of ${load.time} ms`);
  assert.ok(selfOf(load) <= 0.1 * load.time, `load's own ${selfOf(load)} of ${load.time} ms`);
});

test("a function that import()s a large package: the loader's time is not the function's own", () => {
  // Where the runtime loads it inside the call (Node 22+) it is under (module loading); where it
  // loads it while the function waits (Node 20, Deno) it is the [await]'s or the loader's at the root.
  // Deno, too, may compile part of the module inside the call with no loader frame to show for it:
  // a sliver of the run, where the whole load (hundreds of ms) was the function's own before.
  for (const load of loadNodes("import")) assert.ok(selfOf(load) <= 0.1 * Math.max(load.time, lastTotal) + 2, `load's own ${selfOf(load)} of ${load.time} ms, run ${lastTotal} ms`);
}, {
  // Bun's loader compiles an import()ed module natively: in some runs its sampler sees only the
  // caller meanwhile (no importModule frame), so the time cannot be told from the caller's own.
  skip: detectRuntime() === "bun" ? "Bun's sampler does not always see its loader's frame" : false,
});

test("a TypeScript entry that tsx loads as CommonJS runs as the program, not as (module loading)", () => {
  // No package.json with "type": "module" above it: tsx compiles the entry to CommonJS and runs the whole program inside its require().
  const dir = mkdtempSync(join(tmpdir(), "tsprof-cjs-"));
  try {
    const script = join(dir, "app.ts");
    copyFileSync(join(SCRIPTS, "hot.ts"), script);
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, script], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    let program = 0;
    let underLoading = 0;
    for (const profile of session.profiles) {
      const todo: [CallNode, boolean][] = [[processProfile(profile, { selfNodes: true, filterThreshold: 0 }), false]];
      while (todo.length > 0) {
        const [node, loading] = todo.pop()!;
        if (node.frame.name === "(module)" && node.frame.file === script) {
          program += node.time;
          if (loading) underLoading += node.time;
        }
        for (const c of node.children) todo.push([c, loading || node.frame.name === "(module loading)"]);
      }
    }
    assert.ok(program > 0, "the program's top level is in the profile");
    assert.equal(underLoading, 0, `${underLoading} of the program's ${program} ms under (module loading)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Bun: a program whose top level is too short to be sampled: its wait is idle, not start-up, and its later work whole", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-late-"));
  try {
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, join(SCRIPTS, "late_start.ts")]);
    assert.equal(r.status, 0, r.stderr);
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    const tree = processProfile(session.profiles[0]!, { selfNodes: true, filterThreshold: 0 });
    const at = (name: string) => tree.children.filter((c) => c.frame.name === name).reduce((t, c) => t + c.time, 0);
    const startup = at("(module loading)") + at("(tsprof start-up)");
    // The 500 ms timer: all of it but what loading and start-up took before it was set.
    assert.ok(at("(idle)") > 400, `idle ${at("(idle)")} ms, start-up ${startup} ms`);
    assert.ok(startup < at("(idle)"), `start-up ${startup} ms holds the wait`);
    let later = 0;
    walk(tree, (node) => void (node.frame.name === "later" ? (later += node.time) : 0));
    // 60 ms of work, sampled: Bun's sampler estimates it from the thread's busy time.
    assert.ok(later > 40, `later: ${later} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, { skip: detectRuntime() === "bun" ? false : "Bun's sampler misses short top levels; on Node 20 tsx's wait for the entry's transform looks the same (see startup_label.ts)" });
