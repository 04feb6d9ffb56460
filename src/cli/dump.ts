/**
 * `tsprof dump <pid | host:port | ws://...> [--json]`: prints where the
 * main thread of a running (or hung) process is now: it pauses the thread
 * over the inspector (which answers even while JavaScript spins), reads the
 * stack, resumes at once and maps the positions to the sources; then each
 * worker thread the same way, where the runtime reaches them (Node: see
 * dump_workers.ts). A thread that waits in its event loop runs no
 * JavaScript: dump says so.
 *
 * @module
 */
import process from "node:process";
import { ProfileBuilder } from "../format/builder.ts";
import type { Frame } from "../format/types.ts";
import { v8Frame } from "../import/v8_cpuprofile.ts";
import { asksForHelp } from "./args.ts";
import { splitTargetArgs } from "./attach.ts";
import { type AttachedTarget, attachToTarget, detach, scheduleInspectorClose } from "./inspector_target.ts";
import { mostlyWaiting } from "./inspector_client.ts";
import { gatherScriptMaps } from "./script_maps.ts";
import { dumpWorkers, type PausedFrame, type WorkerStack } from "./dump_workers.ts";

/** How long a thread may take to reach a pause before it counts as idle, ms. */
const IDLE_AFTER_MS = 700;

/** Help for `tsprof dump --help`. */
export const DUMP_HELP = `Usage: tsprof dump <pid | host:port | ws://...> [--json]

Prints where each thread of a running (or hung) Node or Deno process is now,
mapped to its sources, and leaves it running: the thread is paused over its
inspector, which answers even while JavaScript spins, and resumed at once.

Options:
  --json                  The stacks as JSON instead of text`;

/** Runs `tsprof dump` and returns the exit code. */
export async function dumpCommand(argv: readonly string[]): Promise<number> {
  if (asksForHelp(argv)) {
    process.stdout.write(`${DUMP_HELP}\n`);
    return 0;
  }
  const args = splitTargetArgs(argv, "dump");
  let target = await attachToTarget(args.target);
  let got: Paused;
  try {
    got = await pauseThreads(target);
  } catch (e) {
    // A tsprof that just left closes the inspector it opened: that close can
    // land as this one connects. Attached again, the inspector is opened anew.
    if (!target.connection.isClosed || target.pid === undefined) throw e;
    target = await attachToTarget(args.target);
    got = await pauseThreads(target);
  }
  const { frames, sleeping, workers, urls, maps } = got;
  const toFrames = (paused: readonly PausedFrame[]) => paused.map((f) => v8Frame({
    functionName: f.functionName,
    url: f.url || urls.get(f.location.scriptId) || "",
    lineNumber: f.location.lineNumber,
    columnNumber: f.location.columnNumber ?? -1,
  }));
  const threads = [{ thread: "main thread", frames, sleeping }, ...workers.map((w) => ({ thread: w.title, frames: w.frames, sleeping: false }))];
  const read = await Promise.all(threads.map(async (t) => ({
    thread: t.thread,
    idle: t.frames === undefined,
    waiting: t.frames !== undefined && t.sleeping,
    stack: t.frames ? await mapped(toFrames(t.frames), maps) : [],
  })));
  if (args.json) {
    const out = (t: (typeof read)[number]) => ({
      thread: t.thread,
      idle: t.idle,
      ...(t.waiting ? { waitingWhenAsked: true } : {}),
      stack: t.stack.map((f) => ({ name: f.name, file: f.file, line: f.line, col: f.col })),
    });
    const [main, ...rest] = read;
    process.stdout.write(`${JSON.stringify({ target: target.label, runtime: target.runtime, ...out(main!), thread: "main", workers: rest.map(out) }, null, 2)}\n`);
    return 0;
  }
  for (const t of read) {
    process.stdout.write(`${target.label} (${target.runtime}), ${t.thread}:\n`);
    if (t.idle) process.stdout.write("  idle: waiting in the event loop, no JavaScript running\n");
    if (t.waiting) process.stdout.write("  waiting when asked (in the event loop, or a blocking call); the next JavaScript it ran:\n");
    for (const f of t.stack) process.stdout.write(`  at ${f.name}${f.file ? ` (${f.file}${f.line !== undefined ? `:${f.line}${f.col !== undefined ? `:${f.col}` : ""}` : ""})` : ""}\n`);
  }
  return 0;
}

/** What one pause of the target's threads got. */
interface Paused {
  readonly frames: PausedFrame[] | undefined;
  readonly sleeping: boolean;
  readonly workers: WorkerStack[];
  readonly urls: ReadonlyMap<string, string>;
  readonly maps: Record<string, object>;
}

/** Pauses each thread of `target` once and resumes it at once; detaches. */
async function pauseThreads(target: AttachedTarget): Promise<Paused> {
  const c = target.connection;
  const urls = new Map<string, string>();
  const maps = gatherScriptMaps(c);
  c.on("Debugger.scriptParsed", (p) => urls.set(String(p.scriptId), String(p.url ?? "")));
  let frames: PausedFrame[] | undefined;
  let sleeping = false;
  let workers: WorkerStack[] = [];
  let closeScheduled = false;
  try {
    await c.send("Debugger.enable");
    const paused = c.next("Debugger.paused", IDLE_AFTER_MS).catch(() => undefined);
    // A thread not running (Linux: not R in /proc) waits in its event loop or a blocking call:
    // its pause lands in the next JavaScript it runs (a timer's, say), not where it was.
    sleeping = target.pid !== undefined && (await mostlyWaiting(target.pid)) === true;
    await c.send("Debugger.pause");
    const p = await paused;
    frames = p?.callFrames as PausedFrame[] | undefined;
    // While paused the thread answers at once, even if it spins once resumed.
    if (frames && target.openedByTsprof) closeScheduled = await scheduleInspectorClose(c).then(() => true);
    // Resumed at once; disabling also cancels a pause still waiting for JavaScript to run.
    if (frames) await c.send("Debugger.resume");
    await c.send("Debugger.disable");
    // Node's workers are targets of their own, reached through this connection; Deno's are not.
    if (target.runtime === "node") workers = await dumpWorkers(c, IDLE_AFTER_MS);
  } finally {
    await detach(target, { closeScheduled });
  }
  return { frames, sleeping, workers, urls, maps };
}

async function mapped(innermostFirst: Frame[], maps: Record<string, object>): Promise<Frame[]> {
  const { mapAttachedSession } = await import("./source_maps.ts");
  const b = new ProfileBuilder("main");
  b.addSample([...innermostFirst].reverse(), 1);
  const session = mapAttachedSession({ version: 1, meta: { runtime: "v8", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 1 }, profiles: [b.build()] }, maps);
  const p = session.profiles[0]!;
  const out: Frame[] = [];
  for (let s = p.samples[0]!; s >= 0; s = p.stacks.parent[s]!) out.push(p.frames[p.stacks.frame[s]!]!);
  return out;
}
