/**
 * `tsprof attach` and `tsprof dump` on real running processes: a busy
 * loop, a node:http server under a bounded local load, a Deno process
 * started with --inspect, a process that ends while attached, and Bun's
 * one clear line. Every process a test starts is checked to have ended.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { detectRuntime } from "../../runtimes/auto.ts";
import { sessionFromJson } from "../../src/format/session_json.ts";
import { listeningPorts } from "../../src/cli/inspector_client.ts";
import { test } from "../harness.ts";
import { processEnded, ROOT, SCRIPTS, TEST_DATA_DIR, tsprofArgv } from "../_cli.ts";

const runtime = detectRuntime();
const DENO = join(ROOT, "node_modules/deno/deno");
const BUN = join(ROOT, "node_modules/bun/bin/bun.exe");
const NODE = process.env.TSPROF_TEST_NODE ?? "node";

interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly words: string[];
}

/** Starts a target and waits for its `ready ...` line. */
function startTarget(argv: readonly string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the target never said ready: ${out} ${err}`));
    }, 30_000);
    child.stderr!.on("data", (d) => (err += d));
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /ready (.*)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        const words = m[1]!.split(" ");
        resolve({ child, pid: Number(words[0]), words });
      }
    });
    child.on("error", reject);
  });
}

/** Runs tsprof without blocking this thread (a load loop may run meanwhile). */
function tsprofAsync(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const argv = [...tsprofArgv(), ...args];
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", TSPROF_DATA_DIR: TEST_DATA_DIR } });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Ends a target by its pid and checks it is gone. */
async function endTarget(t: Started): Promise<void> {
  if (!processEnded(t.pid)) t.child.kill("SIGKILL");
  for (let i = 0; i < 100 && !processEnded(t.pid); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(processEnded(t.pid), `process ${t.pid} was left running`);
}

// --inspect-port=0: SIGUSR1 opens a free port, so that tests running side by side never meet on 9229.
const nodeScript = (name: string, ...args: string[]) => [NODE, "--inspect-port=0", "--import", "tsx", join(SCRIPTS, name), ...args];
const onNodeOrDeno = runtime === "bun" ? "tsprof's own runtime does not matter here: run on Node and Deno" : false;

test("tsprof dump prints the stack of a Node process spinning in a loop, source-mapped, and leaves it running", async () => {
  const t = await startTarget(nodeScript("stuck.ts"));
  try {
    const r = await tsprofAsync(["dump", String(t.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /main thread:\n {2}at forever \(\S*stuck\.ts:9:\d+\)/, r.stdout);
    const j = await tsprofAsync(["dump", String(t.pid), "--json"]);
    const parsed = JSON.parse(j.stdout) as { idle: boolean; waitingWhenAsked?: boolean; stack: { name: string; line: number }[] };
    assert.equal(parsed.idle, false);
    assert.equal(parsed.waitingWhenAsked, undefined, "it was running when asked");
    assert.deepEqual([parsed.stack[0]!.name, parsed.stack[0]!.line], ["forever", 9]);
    assert.ok(!processEnded(t.pid), "the process runs on");
  } finally {
    await endTarget(t);
  }
}, { skip: onNodeOrDeno, timeoutMs: 90_000 });

test("tsprof dump of a process waiting in its event loop says so, and shows the next JavaScript it ran", async () => {
  const t = await startTarget([NODE, "--inspect-port=0", join(SCRIPTS, "ticking.mjs")]);
  try {
    const r = await tsprofAsync(["dump", String(t.pid)]);
    assert.equal(r.status, 0, r.stderr);
    // The pause lands in the timer's call: Node's processTimers first, or tick.
    assert.match(r.stdout, /main thread:\n {2}waiting when asked \(in the event loop, or a blocking call\); the next JavaScript it ran:\n {2}at (processTimers|tick) /, r.stdout);
    const again = await tsprofAsync(["dump", String(t.pid), "--json"]);
    assert.equal(again.status, 0, again.stderr);
    const j = JSON.parse(again.stdout) as { idle: boolean; waitingWhenAsked?: boolean; stack: { name: string }[] };
    assert.deepEqual([j.idle, j.waitingWhenAsked], [false, true]);
    assert.ok(j.stack.length > 0);
    // Two dumps in a row: the second took over the close the first had scheduled, and closed the inspector.
    for (let i = 0; i < 100 && listeningPorts(t.pid).length > 0; i++) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(listeningPorts(t.pid), [], "the inspector tsprof opened is closed");
  } finally {
    await endTarget(t);
  }
}, { skip: runtime === "bun" ? "tsprof's own runtime does not matter here: run on Node and Deno" : process.platform !== "linux" ? "the thread's state is read from /proc" : false, timeoutMs: 90_000 });

test("tsprof dump gets the stack when the inspector closes as it connects (a tsprof that just left closing the one it opened)", async () => {
  const t = await startTarget([NODE, "--inspect-port=0", join(SCRIPTS, "closing_inspector.mjs")]);
  try {
    const r = await tsprofAsync(["dump", String(t.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /main thread:\n(?: {2}waiting when asked.*\n)? {2}at \S+/, r.stdout);
    for (let i = 0; i < 100 && listeningPorts(t.pid).length > 0; i++) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(listeningPorts(t.pid), [], "the inspector tsprof opened again is closed");
    assert.ok(!processEnded(t.pid), "the process runs on");
  } finally {
    await endTarget(t);
  }
}, { skip: onNodeOrDeno, timeoutMs: 90_000 });

test("tsprof dump shows each worker thread of a Node process too, each where it spins", async () => {
  const t = await startTarget(nodeScript("stuck_worker.mjs"));
  try {
    const r = await tsprofAsync(["dump", String(t.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /main thread:\n {2}at mainForever \(\S*stuck_worker\.mjs:9:\d+\)/, r.stdout);
    // On Node 20 the module-hooks thread that tsx's loader runs on is a worker too.
    assert.match(r.stdout, /\[worker \d+\]:\n {2}at workerForever \(\S*stuck_worker\.mjs:14:\d+\)/, r.stdout);
    const j = JSON.parse((await tsprofAsync(["dump", String(t.pid), "--json"])).stdout) as { workers: { idle: boolean; stack: { name: string }[] }[] };
    assert.ok(j.workers.some((w) => !w.idle && w.stack[0]?.name === "workerForever"), JSON.stringify(j.workers));
    assert.ok(!processEnded(t.pid), "the process runs on");
  } finally {
    await endTarget(t);
  }
}, { skip: onNodeOrDeno, timeoutMs: 90_000 });

test("tsprof attach profiles a node:http server under load and leaves it serving, its inspector closed", async () => {
  const t = await startTarget(nodeScript("http_server.ts", "60"));
  const port = Number(t.words[1]);
  const dir = mkdtempSync(join(tmpdir(), "tsprof-attach-"));
  try {
    const out = join(dir, "server.json");
    let stop = false;
    let served = 0;
    // A bounded load: stops when tsprof is done, and after 3,000 requests in any case.
    const load = (async () => {
      while (!stop && served < 3000) {
        await (await fetch(`http://127.0.0.1:${port}/`)).text();
        served++;
      }
    })().catch((e) => e as Error);
    const r = await tsprofAsync(["attach", String(t.pid), "--duration", "2", "-o", out]);
    stop = true;
    const failed = await load;
    assert.equal(failed, undefined, `the server stopped answering while attached: ${failed}`);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(served > 0, "the load ran");
    const session = sessionFromJson(JSON.parse(readFileSync(out, "utf8")));
    const names = new Set(session.profiles[0]!.frames.map((f) => f.name));
    assert.ok(names.has("handleRequest"), [...names].join(", "));
    const handler = session.profiles[0]!.frames.find((f) => f.name === "handleRequest")!;
    assert.match(handler.file ?? "", /http_server\.ts$/);
    assert.equal(handler.line, 8, "mapped to the TypeScript source");
    // The header names the target's runtime and version, as a run's does.
    const targetVersion = spawnSync(NODE, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
    assert.equal(`${session.meta.runtime} ${session.meta.runtimeVersion}`, `node ${targetVersion}`);
    // Afterwards: still serving, and listening on its own port only (the inspector tsprof opened is closed).
    assert.match(await (await fetch(`http://127.0.0.1:${port}/`)).text(), /^\d/);
    for (let i = 0; i < 50 && listeningPorts(t.pid).length > 1; i++) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(listeningPorts(t.pid), [port]);
    await (await fetch(`http://127.0.0.1:${port}/stop`)).text();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await endTarget(t);
  }
}, { skip: onNodeOrDeno, timeoutMs: 90_000 });

test("tsprof attach says so, and ends, when the process ends while attached", async () => {
  const t = await startTarget(nodeScript("http_server.ts", "6"));
  try {
    const r = await tsprofAsync(["attach", String(t.pid)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /ended while tsprof was attached: the profile covers it to its end/);
    assert.match(r.stderr, /Samples: \d+/);
  } finally {
    await endTarget(t);
  }
}, { skip: onNodeOrDeno, timeoutMs: 90_000 });

test("tsprof attach and dump reach a Deno process started with --inspect, by host:port", async () => {
  const t = await startTarget([DENO, "run", "-A", "--inspect=127.0.0.1:0", join(SCRIPTS, "stuck.ts")]);
  try {
    let ports: number[] = [];
    for (let i = 0; i < 100 && ports.length === 0; i++) {
      ports = listeningPorts(t.pid);
      if (ports.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    const address = `127.0.0.1:${ports[0]}`;
    const d = await tsprofAsync(["dump", address]);
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /\(deno\), main thread:\n {2}at forever \(\S*stuck\.ts:9:\d+\)/, d.stdout);
    const a = await tsprofAsync(["attach", address, "--duration", "1"]);
    assert.equal(a.status, 0, a.stderr);
    const denoVersion = spawnSync(DENO, ["eval", "console.log(Deno.version.deno)"], { encoding: "utf8" }).stdout.trim();
    assert.match(a.stderr, new RegExp(`Runtime: deno ${denoVersion.replaceAll(".", "\\.")}\\b`), a.stderr);
    // The loop was compiled (on-stack replacement) before the sampler started: V8 charges it to its caller.
    assert.match(a.stderr, /Samples: \d+[\s\S]*stuck\.ts/, a.stderr);
    assert.ok(!processEnded(t.pid), "the process runs on");
  } finally {
    await endTarget(t);
  }
}, { skip: onNodeOrDeno, timeoutMs: 90_000 });

test("tsprof dump and attach refuse a Bun process, and a remote inspector, with one line", async () => {
  const t = await startTarget([BUN, join(SCRIPTS, "stuck.ts")]);
  try {
    const r = await tsprofAsync(["dump", String(t.pid)]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^tsprof: Bun process \d+: tsprof cannot attach to Bun[^\n]*\n$/);
    const remote = await tsprofAsync(["attach", "192.0.2.1:9229"]);
    assert.equal(remote.status, 2);
    assert.match(remote.stderr, /^tsprof: will not attach to 192\.0\.2\.1: [^\n]*loopback[^\n]*\n$/);
  } finally {
    await endTarget(t);
  }
}, { skip: onNodeOrDeno, timeoutMs: 90_000 });

test("tsprof attach and dump answer --help, and an option of the other's with one line and exit status 2", async () => {
  const main = await tsprofAsync(["--help"]);
  assert.match(main.stdout, /tsprof attach <pid \| host:port \| ws:\/\/\.\.\.>/, "the main help lists attach");
  assert.match(main.stdout, /tsprof dump <pid \| host:port \| ws:\/\/\.\.\.>/, "and dump");
  for (const [command, option] of [["attach", "--duration"], ["dump", "--json"]] as const) {
    const h = await tsprofAsync([command, "--help"]);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stdout, new RegExp(`^Usage: tsprof ${command} <pid`));
    assert.match(h.stdout, new RegExp(option));
  }
  // A pid that cannot be a process: the options are refused before any target is looked for.
  for (const [args, message] of [
    [["dump", "999999999", "--duration", "2"], /^tsprof: dump: unknown option "--duration" \(see tsprof dump --help\)\n$/],
    [["dump", "999999999", "-o", "x.json"], /^tsprof: dump: unknown option "-o"/],
    [["attach", "999999999", "--json"], /^tsprof: attach: unknown option "--json": use -r json/],
  ] as const) {
    const r = await tsprofAsync(args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});
