/**
 * Ends a profiled program that a signal could not end because its thread
 * spins in synchronous code (JavaScript signal handlers run only between
 * tasks), keeping its profile where the runtime allows.
 *
 * The engines' inspectors answer on their own thread even then, so the CLI
 * connects from outside, pauses the thread (what DevTools does to an
 * infinite loop) and calls the preload's hook in the paused frame (see
 * child/stuck_hook.ts), which says what the signal does:
 * - Node: the child was started with `--inspect-port=0`, so SIGUSR1 opens
 *   its inspector on a free loopback port (found through /proc); the hook
 *   stops the sampler and writes the session, and the CLI kills the process,
 *   as the signal's default action would have (no exit handler runs).
 * - Deno: the child was started with `--inspect=127.0.0.1:0` (Deno has no
 *   SIGUSR1); Deno cannot exit from inside a pause, so the CLI resumes and
 *   ends the script with `Runtime.terminateExecution`, after which Deno
 *   writes its `--cpu-prof` profile.
 * - Bun: its `--cpu-prof` profile is written by the stuck thread only, so
 *   the process is killed and the profile is lost; the report says so. Its
 *   preload notes ahead which signals the script listens for itself.
 * A script that listens for the signal itself keeps it: the thread resumes.
 *
 * @module
 */
import process from "node:process";
import type { RuntimeName } from "../../runtimes/auto.ts";
import { connectInspectorSocket, inspectorUrlOfPid, processAlive, processCpuMs } from "./inspector_client.ts";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type StuckAnswer, stuckHookCall, TREE_PROCESSES } from "./protocol.ts";
import { scriptListensFor, signalSeenSince } from "./signal_notes.ts";

/** What became of a stuck program. */
export interface StuckOutcome {
  /** `kept`: the profile is there; `lost`: it could not be taken; `own`: the script handles the signal and runs on. */
  readonly outcome: "kept" | "lost" | "own";
  /** Why the profile was lost, for the report. */
  readonly reason?: string;
  /** The CPU time it had used when it was ended (Linux): its runtime, ended so, cannot tell. */
  readonly cpuTimeMs?: number;
}

/**
 * How long each step may take. An idle machine needs a small part of it; a
 * loaded one needs more, and a kept profile is worth the wait.
 */
const STEP_MS = 1500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await sleep(10);
  }
  return !processAlive(pid);
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Pauses the main thread of `pid` and asks the preload's hook what `signal` does. */
async function askPaused(runtime: "node" | "deno", pid: number, signal: string): Promise<StuckAnswer | "none"> {
  const url = await inspectorUrlOfPid(pid, { openWithSigusr1: runtime === "node", timeoutMs: STEP_MS });
  const c = await connectInspectorSocket(url, STEP_MS);
  try {
    await c.send("Debugger.enable");
    const paused = c.next("Debugger.paused", STEP_MS);
    await c.send("Debugger.pause");
    const frames = (await paused).callFrames as { callFrameId: string }[];
    const r = await c.send<{ result?: { value?: unknown } }>("Debugger.evaluateOnCallFrame", {
      callFrameId: frames[0]!.callFrameId,
      expression: stuckHookCall(signal),
      returnByValue: true,
    });
    const answer = (r.result?.value ?? "none") as StuckAnswer | "none";
    if (answer === "own" || answer === "terminate") {
      await c.send("Debugger.resume");
      await c.send("Debugger.disable");
    }
    if (answer === "terminate") await c.send("Runtime.terminateExecution");
    return answer;
  } finally {
    c.close();
  }
}

/**
 * Ends process `pid` (a `runtime` child that did not end on `signal`),
 * keeping its profile where it can; never leaves it running unless the
 * script handles the signal itself.
 */
export async function endStuckChild(runtime: RuntimeName, pid: number, signal: string, out: string): Promise<StuckOutcome> {
  if (runtime !== "node" && runtime !== "deno") {
    if (scriptListensFor(out, signal)) return { outcome: "own" };
    kill(pid);
    return { outcome: "lost", reason: `${runtime === "bun" ? "Bun" : "its runtime"} writes its profile from the stuck thread only` };
  }
  try {
    const answer = await askPaused(runtime, pid, signal);
    if (answer === "own") return { outcome: "own" };
    if (answer === "written") {
      kill(pid);
      return { outcome: "kept" };
    }
    if (answer === "terminate") {
      // Read before it ends: Deno ended from outside runs no unload handler to count it.
      const cpuTimeMs = processCpuMs(pid);
      if (await waitForExit(pid, STEP_MS * 2)) return { outcome: "kept", ...(cpuTimeMs !== undefined ? { cpuTimeMs } : {}) };
    }
    kill(pid);
    return { outcome: "lost", reason: answer === "none" ? "the process has no tsprof preload to write it" : "the runtime did not write it in time" };
  } catch (e) {
    kill(pid);
    return { outcome: "lost", reason: `its inspector could not be reached (${(e as Error).message})` };
  }
}

/**
 * A tree run's processes (`tsprof -- <command>`) still running that a
 * signal at epoch ms `at` found stuck, ended as {@linkcode endStuckChild}
 * does (Node's paused and asked; others killed unless they keep the signal).
 * Returns what became of them, or undefined when none was stuck.
 */
export async function endStuckTree(dir: string, signal: string, at: number): Promise<StuckOutcome | undefined> {
  const folder = join(dir, TREE_PROCESSES);
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => /^\d+$/.test(n));
  } catch {
    return undefined;
  }
  const stuck = names.filter((n) => processAlive(Number(n)) && !signalSeenSince(join(folder, n), at));
  const outcomes = await Promise.all(stuck.map((n) => {
    const note = join(folder, n);
    const how = readFileSync(note, "utf8");
    return endStuckChild(how === "node" ? "node" : "unknown", Number(n), signal, note);
  }));
  const ended = outcomes.filter((o) => o.outcome !== "own");
  if (ended.length === 0) return outcomes.length > 0 ? { outcome: "own" } : undefined;
  const lost = ended.filter((o) => o.outcome === "lost");
  return lost.length === 0 ? { outcome: "kept" } : { outcome: "lost", reason: `${lost.length} of the ${ended.length} stuck processes lost their profile: ${lost[0]!.reason}` };
}
