import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import type { Profile, Session } from "../../src/format/types.ts";
import { buildCallTree, walk } from "../../src/tree/call_tree.ts";
import { test } from "../harness.ts";
import { type Ran, ROOT, tsprof } from "../_cli.ts";

const runtime = detectRuntime();
const FIXTURE = join(ROOT, "test/fixtures/tree");

/** Runs `tsprof -o <tmp>.json -- command` in the fixture project. */
function profileCommand(command: string[], extra: string[] = []): { r: Ran; session: Session | undefined } {
  const dir = mkdtempSync(join(tmpdir(), "tsprof-tree-"));
  try {
    const out = join(dir, "run.json");
    const r = tsprof(["-o", out, ...extra, "--", ...command], { cwd: FIXTURE });
    let session: Session | undefined;
    try {
      session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    } catch {
      session = undefined;
    }
    return { r, session };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** File names of the code a profile ran. */
function files(p: Profile): Set<string> {
  return new Set(p.frames.flatMap((f) => (f.file ? [basename(f.file)] : [])));
}

function timeIn(p: Profile, name: string): number {
  let sum = 0;
  walk(buildCallTree(p), (n) => {
    if (n.frame.name === name) sum += n.time;
  });
  return sum;
}

function profileNamed(session: Session, re: RegExp): Profile {
  const p = session.profiles.find((x) => re.test(x.name));
  assert.ok(p, `no profile named like ${re}: ${session.profiles.map((x) => x.name).join(" | ")}`);
  return p;
}

test("tsprof -- <command> keeps the exit code and says so when no process could be profiled", () => {
  // (An option before "--": `bun cli.js -- x` would hand the CLI no "--".)
  const r = tsprof(["--no-color", "--", "sh", "-c", "echo from-sh; exit 4"], { cwd: FIXTURE });
  assert.equal(r.status, 4);
  assert.equal(r.stdout, "from-sh\n");
  assert.match(r.stderr, /no profile was recorded: no Node, Bun or Deno process of the command could be profiled \(exit code 4\)/);
});

test("tsprof -- node --test: one report, a profile per test file's process and per child it starts", () => {
  const { r, session } = profileCommand([process.execPath, "--test", "node/one.test.mjs", "node/two.test.mjs"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /(#|ℹ) pass 3/);
  assert.ok(session, r.stderr);
  assert.deepEqual(session.meta.command, [process.execPath, "--test", "node/one.test.mjs", "node/two.test.mjs"]);
  const one = profileNamed(session, /^node node\/one\.test\.mjs$/);
  const two = profileNamed(session, /^node node\/two\.test\.mjs$/);
  const child = profileNamed(session, /^node node\/child\.mjs$/);
  assert.ok(files(one).has("one.test.mjs") && !files(one).has("two.test.mjs"), "each test file has its own profile");
  assert.ok(files(two).has("two.test.mjs") && !files(two).has("one.test.mjs"));
  assert.ok(timeIn(one, "nodeOneWork") > 40, `nodeOneWork ${timeIn(one, "nodeOneWork")} ms of 150`);
  assert.ok(timeIn(child, "childWork") > 40, `childWork ${timeIn(child, "childWork")} ms of 150`);
  // A test's wait goes to its await, named from the source, as in a direct run.
  let waited = 0;
  walk(buildCallTree(two), (n) => {
    if (n.frame.name === "waitInTest") for (const c of n.children) if (c.frame.name === "[await] Promise") waited += c.time;
  });
  assert.ok(waited > 60, `waitInTest > [await] Promise: ${waited} ms of 120`);
  // No inspector flag reaches the runner: with one, it runs the files one at a time, and says so.
  assert.doesNotMatch(r.stderr, /inspector|concurrency/i, r.stderr);
}, { skip: runtime === "node" ? false : "runs Node's test runner: the Node runs cover it" });

test("tsprof -- npm test profiles the test processes an npm script starts", () => {
  const { r, session } = profileCommand(["npm", "test"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(session, r.stderr);
  profileNamed(session, /^node npm(-cli\.js)? test$/);
  profileNamed(session, /one\.test\.mjs$/);
  profileNamed(session, /two\.test\.mjs$/);
  profileNamed(session, /child\.mjs$/);
}, { skip: runtime === "node" && process.env.TSPROF_TEST_RUNTIME !== "node24" && spawnSync("npm", ["--version"]).status === 0 ? false : "needs npm with the machine's Node (node20)" });

test("tsprof -- bun test: one profile for the runner's process, one for the child a test starts", () => {
  const { r, session } = profileCommand([process.execPath, "test", "bun/"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(session, r.stderr);
  const runner = profileNamed(session, /^bun test$/);
  const child = profileNamed(session, /node\/child\.mjs$/);
  assert.ok(files(runner).has("one.test.mjs") && files(runner).has("two.test.mjs"), "bun test runs every file in one process");
  const [oneWork, twoWork] = [timeIn(runner, "bunOneWork"), timeIn(runner, "bunTwoWork")];
  const work = `bunOneWork ${oneWork} ms, bunTwoWork ${twoWork} ms, each of 150`;
  // Both spin 150 ms. How much of it Bun's sampler sees follows the machine's
  // load (a third under a full second core); that both are seen, alike, does not.
  assert.ok(oneWork > 0 && twoWork > 0 && oneWork / twoWork < 3 && twoWork / oneWork < 3, work);
  assert.ok(timeIn(child, "childWork") > 0, `childWork ${timeIn(child, "childWork")} ms of 150`);
  assert.equal(session.profiles.length, 2, session.profiles.map((p) => p.name).join(" | "));
}, { skip: runtime === "bun" ? false : "runs Bun's test runner: the Bun run covers it" });

test("tsprof -- deno test -A: a profile per test module, and the deno child a test starts", () => {
  const { r, session } = profileCommand([process.execPath, "test", "-A", "deno/one_test.ts", "deno/two_test.ts"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(session, r.stderr);
  const one = profileNamed(session, /^deno test deno\/one_test\.ts$/);
  const two = profileNamed(session, /^deno test deno\/two_test\.ts$/);
  const child = profileNamed(session, /^deno run deno\/child\.ts$/);
  assert.ok(files(one).has("one_test.ts") && !files(one).has("two_test.ts"));
  assert.ok(files(two).has("two_test.ts") && !files(two).has("one_test.ts"));
  const work = `denoOneWork ${timeIn(one, "denoOneWork")} ms, denoTwoWork ${timeIn(two, "denoTwoWork")} ms, denoChildWork ${timeIn(child, "denoChildWork")} ms, each of 150`;
  assert.ok(timeIn(one, "denoOneWork") > 40 && timeIn(two, "denoTwoWork") > 40 && timeIn(child, "denoChildWork") > 40, work);
}, { skip: runtime === "deno" ? false : "runs Deno's test runner: the Deno run covers it" });

test("tsprof -- <test run> shows the tests' code and folds the runner's own frames", () => {
  const command = runtime === "deno"
    ? [process.execPath, "test", "-A", "deno/two_test.ts"]
    : runtime === "bun"
    ? [process.execPath, "test", "bun/two.test.mjs"]
    : [process.execPath, "--test", "node/two.test.mjs"];
  const r = tsprof(["--no-color", "--", ...command], { cwd: FIXTURE });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /(node|bun|deno)TwoWork/, r.stderr);
  assert.ok(!/node:internal\/test_runner|40_test\.js|ext:cli/.test(r.stderr), `runner frames are folded:\n${r.stderr}`);
  // tsprof's own code (the built preloads a run from source gives Deno) is no row of the report.
  assert.doesNotMatch(r.stderr, /startV8Profiler|dist\/chunk-|tree_preload/, r.stderr);
}, { skip: runtime === "unknown" ? "no runtime" : false });

test("tsprof -- bun <script> records a Bun process that ends with process.exit(), with its exit code", () => {
  // Bun's inspector answers too late for exit(); its --cpu-prof does not.
  const bun = join(ROOT, "node_modules/bun/bin/bun.exe");
  const { r, session } = profileCommand([bun, join(ROOT, "test/fixtures/scripts/ending.ts"), "exit", "3"]);
  assert.equal(r.status, 3, r.stderr);
  assert.ok(session, r.stderr);
  assert.equal(session.profiles.length, 1, session.profiles.map((p) => p.name).join(" | "));
  const p = profileNamed(session, /ending\.ts exit 3$/);
  assert.ok(timeIn(p, "spinBeforeEnd") > 20, `spinBeforeEnd ${timeIn(p, "spinBeforeEnd")} ms of 60`);
  assert.equal(session.meta.runtime, "bun");
  assert.match(session.meta.runtimeVersion, /^\d+\.\d+/);
}, { skip: runtime === "unknown" ? "no runtime" : false });

test("tsprof -- deno run <script> records the Deno process in a project of its own, from any tsprof (the npm build's included)", () => {
  // Deno loads tsprof's preload in the user's project, whose deno.json (if
  // any) maps no package of tsprof's: the preload must need none.
  const project = mkdtempSync(join(tmpdir(), "tsprof-project-"));
  try {
    copyFileSync(join(FIXTURE, "deno/child.ts"), join(project, "child.ts"));
    const out = join(project, "run.json");
    const deno = join(ROOT, "node_modules/.bin/deno");
    const r = tsprof(["-o", out, "--", deno, "run", "-A", "child.ts"], { cwd: project });
    assert.equal(r.status, 0, r.stderr);
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    const child = profileNamed(session, /^deno run child\.ts$/);
    assert.ok(timeIn(child, "denoChildWork") > 40, `denoChildWork ${timeIn(child, "denoChildWork")} ms of 150`);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}, { skip: runtime === "unknown" ? "no runtime" : false });

test("tsprof -- deno run <script> records a Deno process that ends with Deno.exit()", () => {
  // Deno's inspector answers too late for exit(); the shim's --cpu-prof does not.
  const deno = join(ROOT, "node_modules/.bin/deno");
  const { r, session } = profileCommand([deno, "run", "-A", join(ROOT, "test/fixtures/scripts/ending.ts"), "exit", "3"]);
  assert.equal(r.status, 3, r.stderr);
  assert.ok(session, r.stderr);
  assert.equal(session.profiles.length, 1, session.profiles.map((p) => p.name).join(" | "));
  const p = profileNamed(session, /^deno run .*ending\.ts$/);
  assert.ok(timeIn(p, "spinBeforeEnd") > 20, `spinBeforeEnd ${timeIn(p, "spinBeforeEnd")} ms of 60`);
  assert.equal(session.meta.runtime, "deno");
  assert.match(session.meta.runtimeVersion, /^\d+\.\d+/);
}, { skip: runtime === "unknown" ? "no runtime" : false });
