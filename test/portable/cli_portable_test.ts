import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime } from "../../runtimes/auto.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import type { Session } from "../../src/format/types.ts";
import { buildCallTree, type CallNode, walk } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { directArgv, ROOT, run, SCRIPTS, tsprof } from "../_cli.ts";

const runtime = detectRuntime();
const onDeno = runtime === "deno" ? "the CLI's portable backend needs a loader hook: Node and Bun only" : false;

/** Runs tsprof with `args` and returns the session it recorded. */
function record(args: string[]): Session {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-portable-"));
  try {
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, ...args]);
    assert.equal(r.status, 0, r.stderr);
    return sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Total ms of each named function (its outermost calls, so recursion counts once). */
function totals(session: Session, names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>(names.map((n) => [n, 0]));
  const visit = (node: CallNode, inside: Set<string>): void => {
    const name = node.frame.name;
    const counts = out.has(name) && !inside.has(name);
    if (counts) out.set(name, out.get(name)! + node.time);
    const next = counts ? new Set([...inside, name]) : inside;
    for (const c of node.children) visit(c, next);
  };
  visit(buildCallTree(session.profiles[0]!), new Set());
  return out;
}

/** Each function's share of their summed time. */
function shares(session: Session, names: readonly string[]): Map<string, number> {
  const t = totals(session, names);
  let sum = 0;
  for (const v of t.values()) sum += v;
  return new Map([...t].map(([k, v]) => [k, sum > 0 ? v / sum : 0]));
}

// Wall time on a machine shared with other jobs is noisy: a share may move
// by many points between two runs of the same backend (a GC or a lost time
// slice lands in whichever function ran), so the backends must agree on the
// order of the hot functions and, loosely, on their shares.
const TOLERANCE = 0.25;

/** Names from the largest share to the smallest. */
const ranking = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k]) => k);

test("tsprof --backend portable finds the same hot functions as the engine backend, in the same order", () => {
  const names = ["parseInput", "renderPage", "saveResult"];
  const script = join(SCRIPTS, "hot.ts");
  const portable = record(["--backend", "portable", script]);
  const engine = record([script]);
  assert.equal(portable.meta.runtime, "portable");
  assert.equal(engine.meta.runtime, runtime);
  const p = shares(portable, names);
  const e = shares(engine, names);
  assert.equal(ranking(p)[0], "parseInput", `portable shares ${JSON.stringify([...p])}`);
  assert.equal(ranking(e)[0], "parseInput", `engine shares ${JSON.stringify([...e])}`);
  for (const n of names) {
    assert.ok(Math.abs(p.get(n)! - e.get(n)!) <= TOLERANCE, `${n}: portable ${p.get(n)!.toFixed(3)}, ${runtime} ${e.get(n)!.toFixed(3)}`);
  }
  const frame = portable.profiles[0]!.frames.find((f) => f.name === "renderPage")!;
  assert.equal(frame.file, script);
  assert.equal(frame.line, 18, "positions are the TypeScript's");
}, { skip: onDeno, timeoutMs: 120_000 });

test("tsprof --backend portable on the demo: serialize is main's hot function, as with the engine backend", () => {
  const names = ["serialize", "sortPoints", "makePoints"];
  const demo = join(ROOT, "examples/demo.ts");
  const p = shares(record(["--backend", "portable", demo]), names);
  const e = shares(record([demo]), names);
  // makePoints allocates 200,000 objects: the portable backend charges the
  // collector's time to it, the engine shows it apart, so only the order of
  // the hot function is compared.
  assert.equal(ranking(p)[0], "serialize", `portable shares ${JSON.stringify([...p])}`);
  assert.equal(ranking(e)[0], "serialize", `engine shares ${JSON.stringify([...e])}`);
}, { skip: onDeno, timeoutMs: 120_000 });

test("tsprof --backend portable instruments CommonJS modules too, and the program's output is its own", () => {
  const script = join(ROOT, "test/fixtures/portable/cjs/main.ts");
  const direct = run(directArgv(script));
  const r = tsprof(["--backend", "portable", script]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, direct.stdout);
  assert.match(r.stdout, /cjs done/);
  assert.match(r.stderr, /main {2}test\/fixtures\/portable\/cjs\/main\.ts:5:10/);
  assert.match(r.stderr, /heavy {2}test\/fixtures\/portable\/cjs\/lib\.cts:1:10/);
}, { skip: onDeno });

test("tsprof --backend portable keeps argv, exit codes and errors as a direct run has them", () => {
  const argv = join(SCRIPTS, "argv.ts");
  const direct = run([...directArgv(argv), "x", "--y"]);
  const r = tsprof(["--backend", "portable", argv, "x", "--y"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, direct.stdout);
  const ending = join(SCRIPTS, "ending.ts");
  for (const args of [["exit", "3"], ["throw"]]) {
    const d = run([...directArgv(ending), ...args]);
    const p = tsprof(["--backend", "portable", ending, ...args]);
    assert.equal(p.status, d.status, p.stderr);
    assert.match(p.stderr, /spinBeforeEnd/, p.stderr);
  }
  // An uncaught error points at the TypeScript line that threw: Node follows
  // the composed source map. Bun ignores source maps of plugin-loaded code,
  // so there its stack traces name lines of esbuild's JavaScript (the
  // profile's own positions are right on both: see the hot-functions test).
  if (runtime !== "node") return;
  const thrown = tsprof(["--backend", "portable", ending, "throw"]);
  const direct2 = run([...directArgv(ending), "throw"]);
  const where = (s: string) => /ending\.ts:(\d+)/.exec(s)?.[1];
  assert.equal(where(thrown.stderr), where(direct2.stderr), `${thrown.stderr}\n---\n${direct2.stderr}`);
}, { skip: onDeno });

test("tsprof --backend refuses another runtime's backend, and portable on Deno, with exit 2", () => {
  const other = runtime === "node" ? "bun" : "node";
  const r = tsprof(["--backend", other, join(SCRIPTS, "argv.ts")]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^tsprof: cannot use the ${other} backend on ${runtime}`));
  const bad = tsprof(["--backend", "v8", join(SCRIPTS, "argv.ts")]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--backend must be one of auto, node, deno, bun, portable: got "v8"/);
  if (runtime === "deno") {
    const p = tsprof(["--backend", "portable", join(SCRIPTS, "argv.ts")]);
    assert.equal(p.status, 2);
    assert.match(p.stderr, /^tsprof: --backend portable needs a module loader hook/);
  }
});

test("tsprof --backend portable: the program sees the thread ids of a direct run, in every kind of worker (tsprof's own threads are not counted)", () => {
  // An ES module, and CommonJS, whose top level runs inside the module loader the backend wraps.
  for (const name of ["thread_ids.mjs", "thread_ids.cjs"]) {
    const script = join(SCRIPTS, name);
    // Plain JavaScript: run as `node thread_ids.mjs` / `bun thread_ids.mjs` would, with no loader.
    const direct = run([process.execPath, script]);
    assert.equal(direct.status, 0, direct.stderr);
    const ids = (stdout: string) => JSON.parse(stdout.trim().split("\n")[0]!) as { eval: { parent: number } };
    const profiled = tsprof(["--backend", "portable", script]);
    assert.equal(profiled.status, 0, profiled.stderr);
    assert.deepEqual(ids(profiled.stdout), ids(direct.stdout), name);
  }
}, { skip: onDeno, timeoutMs: 60_000 });
