/**
 * Ctrl-C and SIGTERM end a program stuck in synchronous code (no
 * JavaScript signal handler can run there), with the exit status of a
 * direct run and, where the runtime allows, the profile showing the loop;
 * and nothing is left running. See src/cli/stuck_child.ts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { test } from "../harness.ts";
import { processEnded, ROOT, SCRIPTS, tsprofSignalled } from "../_cli.ts";

const runtime = detectRuntime();
const script = join(SCRIPTS, "stuck.ts");

/** The script's pid, which it prints first. */
function scriptPid(stdout: string): number {
  const m = /ready (\d+)/.exec(stdout);
  assert.ok(m, `the script never said ready: ${stdout}`);
  return Number(m[1]);
}

/** Waits (bounded) until `pid` has ended; the end may trail tsprof's own by the kernel's reaping. */
async function assertEnds(pid: number): Promise<void> {
  for (let i = 0; i < 100 && !processEnded(pid); i++) await new Promise((r) => setTimeout(r, 20));
  if (!processEnded(pid)) {
    process.kill(pid, "SIGKILL");
    assert.fail(`process ${pid} was left running`);
  }
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`tsprof ends a script stuck in a loop on ${signal}, exits ${code} and ${runtime === "bun" ? "says the profile is lost" : "shows the loop"}`, async () => {
    const r = await tsprofSignalled([script], signal);
    await assertEnds(scriptPid(r.stdout));
    assert.equal(r.status, code, r.stderr);
    if (runtime === "bun") {
      assert.match(r.stderr, new RegExp(`stuck in synchronous code when ${signal} came, and was ended without it: Bun`), r.stderr);
    } else {
      assert.match(r.stderr, /did not answer SIG(INT|TERM): tsprof ended it from outside/, r.stderr);
      assert.match(r.stderr, /forever +\S*stuck\.ts:7:/, r.stderr);
      // The process's CPU time, though its runtime was ended from outside (Deno runs no unload handler then).
      assert.match(r.stderr, /CPU time: \d+\.\d{3} s/, r.stderr);
      // tsprof asking the paused loop what to do is tsprof's time, not a call the loop made.
      assert.doesNotMatch(r.stderr, /forever[^\n]*\n[│ ]*└─ [\d.]+ \(anonymous\)/, r.stderr);
    }
  }, { timeoutMs: 90_000 });
}

test("tsprof leaves SIGINT to a stuck script that handles it itself", async () => {
  const r = await tsprofSignalled([script, "handler"], "SIGINT");
  await assertEnds(scriptPid(r.stdout));
  assert.match(r.stdout, /script handled SIGINT/);
  assert.equal(r.status, 7, r.stderr);
  assert.doesNotMatch(r.stderr, /ended it from outside/);
}, { timeoutMs: 90_000 });

test("bunx tsprof: the Node relay passes Ctrl-C on and ends with Bun's status", async () => {
  // What bunx does: runs the bin under Node with npm_lifecycle_event=bunx, Bun first on PATH.
  const bin = mkdtempSync(join(tmpdir(), "tsprof-bunx-"));
  symlinkSync(join(ROOT, "node_modules/bun/bin/bun.exe"), join(bin, "bun"));
  let r;
  try {
    r = await tsprofSignalled([script], "SIGINT", {
      argv: [process.execPath, join(ROOT, "dist/cli.js")],
      env: { npm_lifecycle_event: "bunx", PATH: `${bin}:${process.env.PATH}` },
    });
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
  await assertEnds(scriptPid(r.stdout));
  assert.equal(r.status, 130, r.stderr);
  assert.match(r.stderr, /Bun writes its profile from the stuck thread only/, r.stderr);
}, { skip: runtime !== "node" ? "the relay runs on Node" : false, timeoutMs: 90_000 });

test("tsprof -- <command>: Ctrl-C ends a Node process stuck under a shell, with its profile", async () => {
  // The shell ends on the signal at once; the node process under it spins on until tsprof ends it.
  const r = await tsprofSignalled(["--", "sh", "-c", `node --import tsx ${script}; echo after`], "SIGINT");
  await assertEnds(scriptPid(r.stdout));
  assert.equal(r.status, 130, r.stderr);
  assert.match(r.stderr, /tsprof ended it from outside/, r.stderr);
  assert.match(r.stderr, /forever +\S*stuck\.ts:/, r.stderr);
}, { skip: runtime !== "node" ? "tree runs of node processes: once is enough" : false, timeoutMs: 90_000 });
