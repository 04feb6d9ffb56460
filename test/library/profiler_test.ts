import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectRuntime, loadBackend } from "../../runtimes/auto.ts";
import { Profiler, profile, saveSession } from "../../runtimes/bound_api.ts";
import { TsprofError } from "../../src/errors.ts";
import type { Session } from "../../src/format/types.ts";
import { loadProfileFile } from "../../src/import/load.ts";
import { Profiler as ProfilerCore } from "../../src/profiler.ts";
import { RENDERERS } from "../../src/render/registry.ts";
import { renderSession } from "../../src/render/output.ts";
import { buildCallTree, walk } from "../../src/tree/call_tree.ts";
import { processProfile } from "../../src/tree/processors.ts";
import { test } from "../harness.ts";
import { directArgv, run, SCRIPTS } from "../_cli.ts";

const runtime = detectRuntime();

// One work function per test: V8 inlines a function that many tests make
// hot into its callers, and the profile then names the caller.
function workRestart(ms: number): number {
  const t = performance.now();
  let x = 0;
  while (performance.now() - t < ms) x += Math.sqrt(x + 1);
  return x;
}
function workScope(ms: number): number {
  const t = performance.now();
  let x = 0;
  while (performance.now() - t < ms) x += Math.sqrt(x + 1);
  return x;
}
function workSync(ms: number): number {
  const t = performance.now();
  let x = 0;
  while (performance.now() - t < ms) x += Math.sqrt(x + 1);
  return x;
}
function workRender(ms: number): number {
  const t = performance.now();
  let x = 0;
  while (performance.now() - t < ms) x += Math.sqrt(x + 1);
  return x;
}

/** Time of function `name` over all its call paths (none recursive here), in ms. */
function timeOf(session: Session, name: string): number {
  let sum = 0;
  walk(buildCallTree(session.profiles[0]!), (n) => {
    if (n.frame.name === name) sum += n.time;
  });
  return sum;
}

/** Time spent waiting: idle, or charged to `[await]` frames where the backend records them (docs/async.md). */
function waitingOf(session: Session): number {
  let sum = 0;
  walk(buildCallTree(session.profiles[0]!), (n) => {
    if (n.frame.name === "(idle)" || n.frame.name.startsWith("[await]")) sum += n.time;
  });
  return sum;
}

/**
 * True when `name` got the most time of the functions in this file, and some
 * time at all: what a busy function must show however loaded the machine is
 * (absolute times shrink when the scheduler takes the core away, and a
 * start-up of the profiler lands in tsprof's own frames).
 */
function hottestHere(session: Session, name: string): boolean {
  const here = new Map<string, number>();
  walk(buildCallTree(session.profiles[0]!), (n) => {
    if (n.frame.file?.endsWith("profiler_test.ts")) here.set(n.frame.name, (here.get(n.frame.name) ?? 0) + n.time);
  });
  const mine = here.get(name) ?? 0;
  return mine > 0 && [...here].every(([other, t]) => other === name || other === "(anonymous)" || t <= mine);
}

const code = (c: string) => (e: unknown) => e instanceof TsprofError && e.code === c;

test("Profiler.start()/stop() records the calling code and is restartable", async () => {
  const profiler = new Profiler();
  assert.equal(profiler.isRunning, false);
  assert.equal(await profiler.start(), profiler, "start() resolves to the profiler");
  assert.equal(profiler.isRunning, true);
  workRestart(120);
  const first = await profiler.stop();
  assert.equal(profiler.isRunning, false);
  assert.equal(first.meta.runtime, runtime);
  assert.ok(hottestHere(first, "workRestart"), `workRestart: ${timeOf(first, "workRestart")} ms of 120`);
  await profiler.start();
  await new Promise((r) => setTimeout(r, 120));
  const second = await profiler.stop();
  assert.equal(profiler.lastSession, second);
  assert.ok(second.meta.startTime >= first.meta.startTime + first.meta.durationMs - 1, "the second run is its own session");
  assert.ok(timeOf(second, "workRestart") < 30, "the second run does not carry the first one's samples");
});

test("a Profiler's session has the rows of its report add up: the runtime's work while reading files is shown", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-lib-read-"));
  try {
    const file = join(dir, "big.bin");
    writeFileSync(file, new Uint8Array(20_000_000).fill(7));
    const profiler = new Profiler();
    await profiler.start();
    // fs/promises' readFile runs in the runtime's own frames, with none of the program's below.
    for (let i = 0; i < 10; i++) await readFile(file);
    const session = await profiler.stop();
    for (const p of session.profiles) {
      const root = processProfile(p, { filterThreshold: 0, toolPaths: session.meta.toolPaths ?? [] });
      const rows = root.children.reduce((t, c) => t + c.time, 0);
      assert.ok(Math.abs(rows - root.time) <= 0.001 * root.time, `rows ${rows.toFixed(1)} of ${root.time.toFixed(1)} ms`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Profiler refuses to start twice, stop when idle or render before a run, with stable codes", async () => {
  const profiler = new Profiler();
  await assert.rejects(profiler.stop(), code("PROFILER_NOT_RUNNING"));
  assert.throws(() => profiler.render(), code("NO_SESSION"));
  const starting = profiler.start();
  await assert.rejects(profiler.start(), code("PROFILER_ALREADY_RUNNING"), "even while the first start is under way");
  await starting;
  await assert.rejects(profiler.start(), code("PROFILER_ALREADY_RUNNING"));
  await profiler.stop();
  await assert.rejects(profiler.stop(), code("PROFILER_NOT_RUNNING"));
  assert.throws(() => profiler.render("pdf"), (e: unknown) => code("UNKNOWN_RENDERER")(e) && /unknown renderer "pdf"/.test((e as Error).message));
  await assert.rejects(profiler.save("out.weird"), code("UNKNOWN_RENDERER"));
  // A folder that is not there: the file the caller named, not a temporary one.
  await assert.rejects(profiler.save(join(tmpdir(), "tsprof-no-such-folder", "out.json")), (e: unknown) => code("WRITE_FAILED")(e) && /Cannot save "[^"]*out\.json": its folder does not exist/.test((e as Error).message) && !/\.tmp/.test((e as Error).message));
});

test("Profiler on an unsupported runtime or backend fails with UNSUPPORTED_RUNTIME and stays usable", async () => {
  const other = runtime === "bun" ? "node" : "bun";
  const profiler = new Profiler({ backend: () => loadBackend(other) });
  await assert.rejects(profiler.start(), code("UNSUPPORTED_RUNTIME"));
  assert.equal(profiler.isRunning, false);
  await assert.rejects(new ProfilerCore().start(), code("UNSUPPORTED_RUNTIME"), "the core without a host has no backend");
  assert.throws(() => new Profiler({ intervalMs: 0 }), RangeError);
});

test("Profiler stops at the end of an `await using` block and hands the session to onStop", async () => {
  const sessions: Session[] = [];
  let inside: Profiler | undefined;
  {
    await using p = await new Profiler({ onStop: (s) => void sessions.push(s), description: "block" }).start();
    inside = p;
    workScope(100);
  }
  assert.equal(inside.isRunning, false);
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0]!.meta.description, "block");
  assert.ok(hottestHere(sessions[0]!, "workScope"), `workScope: ${timeOf(sessions[0]!, "workScope")} ms of 100`);
});

test("a script's `await using` block prints its report to stderr when the block ends", () => {
  const r = run(directArgv(join(SCRIPTS, "library_scope.ts")));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "after the block\n");
  assert.match(r.stderr, /Samples: \d+/);
  assert.match(r.stderr, /scoped block/);
  assert.match(r.stderr, /scopedWork/);
  assert.ok(!/library\.ts|src\/profiler\.ts/.test(r.stderr), `tsprof's own frames are hidden:\n${r.stderr}`);
});

test("the library's profile shows the runtime's builtins as the runtime's, never as code without a file", async () => {
  const profiler = new Profiler();
  await profiler.start();
  for (let i = 0; i < 30; i++) {
    await Promise.resolve();
    queueMicrotask(() => void JSON.stringify({ i }));
    await new Promise((r) => setTimeout(r, 1));
  }
  const session = await profiler.stop();
  const bare = session.profiles.flatMap((p) => p.frames).filter((f) => f.kind === "js" && f.file === undefined);
  assert.deepEqual(bare.map((f) => f.name), []);
});

test("a program that exits while a save is under way leaves no temporary file behind", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-exit-save-"));
  try {
    for (let i = 0; i < 3; i++) {
      const r = run(directArgv(join(SCRIPTS, "exit_while_saving.ts")).concat(join(dir, `run${i}.html`)));
      assert.equal(r.status, 0, r.stderr);
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes(".tmp")), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("profile() runs sync and async functions and returns their result with the session", async () => {
  const sync = await profile(() => workSync(80) > 0 ? "done" : "never");
  assert.equal(sync.result, "done");
  assert.ok(hottestHere(sync.session, "workSync"), `workSync: ${timeOf(sync.session, "workSync")} ms`);
  const asyncRun = await profile(async () => {
    await new Promise((r) => setTimeout(r, 100));
    return 42;
  }, { description: "waits" });
  assert.equal(asyncRun.result, 42);
  assert.equal(asyncRun.session.meta.description, "waits");
  assert.ok(waitingOf(asyncRun.session) > 50, "awaited time is idle or the await's, not a function's");
});

test("profile() stops the profiler and passes on the error when the function throws", async () => {
  const seen: Session[] = [];
  await assert.rejects(profile(() => {
    workSync(20);
    throw new Error("boom");
  }, { onStop: (s) => void seen.push(s) }), /boom/);
  assert.equal(seen.length, 1);
  // A new profiler can start: nothing was left running.
  const again = await profile(() => 1);
  assert.equal(again.result, 1);
});

test("every renderer of the registry renders and saves a session", async () => {
  const profiler = new Profiler();
  await profiler.start();
  workRender(60);
  const session = await profiler.stop();
  const dir = mkdtempSync(join(tmpdir(), "tsprof-lib-"));
  try {
    for (const r of RENDERERS) {
      const out = profiler.render(r.name);
      assert.ok(out.length > 0, r.name);
      assert.deepEqual(renderSession(session, r.name, { version: "x" }).constructor, out.constructor);
      const file = join(dir, `out${r.extensions[0]}`);
      assert.equal(await profiler.save(file), r.name, `${file} picks ${r.name}`);
      const bytes = readFileSync(file);
      if (["json", "session", "speedscope", "cpuprofile", "pprof"].includes(r.name)) {
        const back = loadProfileFile(bytes, file);
        assert.ok(back.profiles[0]!.frames.some((f) => f.name === "workRender"), `${r.name} round-trips`);
        // tsprof's own files hold the session's weights as they are: a report of either is the same.
        if (r.name === "json" || r.name === "session") assert.deepEqual([...back.profiles[0]!.weights], [...session.profiles[0]!.weights], r.name);
      } else if (r.name === "html") {
        assert.match(bytes.toString("utf8"), /<title>tsprof report<\/title>/);
      } else {
        // Text formats (console, collapsed stacks) name the function as is.
        assert.match(bytes.toString("utf8"), /workRender/, r.name);
      }
    }
    const named = join(dir, "any-name.out");
    assert.equal(await saveSession(session, named, { renderer: "json" }), "json");
    assert.equal(loadProfileFile(readFileSync(named), named).meta.runtime, runtime);
    await assert.rejects(saveSession(session, join(dir, "x.unknown")), code("UNKNOWN_RENDERER"));
    await assert.rejects(saveSession(session, join(dir, "none", "x.json")), code("WRITE_FAILED"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a profiler that only waited reports the wait as idle time (async: false)", async () => {
  const profiler = new Profiler({ async: false });
  await profiler.start();
  await new Promise((r) => setTimeout(r, 100));
  const session = await profiler.stop();
  // Bun's sampler records no sample at all while the thread waits.
  assert.ok(timeOf(session, "(idle)") > 50, `idle ${timeOf(session, "(idle)")} ms of a 100 ms wait`);
});
