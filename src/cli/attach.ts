/**
 * `tsprof attach <pid | host:port | ws://...> [--duration <s>] [options]`:
 * profiles a running process over its inspector until the duration ends or
 * Ctrl-C, then renders it as a run is rendered (every renderer, `-o`,
 * source maps, the session kept for `--load-prev`). The process runs on as
 * before: sampler stopped, connection closed, and the inspector closed again
 * if tsprof opened it.
 *
 * @module
 */
import process from "node:process";
import type { Session } from "../format/types.ts";
import { importV8CpuProfile, type V8CpuProfile } from "../import/v8_cpuprofile.ts";
import { asksForHelp, type CliOptions, parseArgs, UsageError } from "./args.ts";
import { type AttachedTarget, attachToTarget, detach } from "./inspector_target.ts";
import { inspectorVersion } from "./inspector_client.ts";
import { gatherScriptMaps } from "./script_maps.ts";
import { VERSION } from "../version.ts";

/** What `attach` and `dump` take besides tsprof's usual options. */
export interface TargetArgs {
  readonly target: string;
  readonly durationS?: number;
  readonly json: boolean;
  /** The rest, for tsprof's own parser (render options). */
  readonly rest: string[];
}

/** Help for `tsprof attach --help`. */
export const ATTACH_HELP = `Usage: tsprof attach <pid | host:port | ws://...> [--duration <s>] [options]

Profiles a running Node or Deno process over its inspector until the duration
ends or Ctrl-C, then renders it as a run is rendered. The process runs on as
before. Node is reached by pid (Linux: tsprof opens its inspector) or at its
--inspect host:port; Deno at its --inspect host:port; loopback only.

Options:
  --duration <s>          Stop after this many seconds (default: at Ctrl-C, or when the process ends)
  -i, --interval <ms>     Sampling interval in milliseconds (default: 1)
  -r, -o, and the report options of tsprof --help (the kept session: --load-prev)`;

/** Splits `attach`/`dump` arguments: the target, --duration, --json, the rest. */
export function splitTargetArgs(argv: readonly string[], command: string): TargetArgs {
  const rest: string[] = [];
  let target: string | undefined;
  let durationS: number | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--duration" || a.startsWith("--duration=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      durationS = Number(v);
      if (v === undefined || !Number.isFinite(durationS) || durationS <= 0) throw new UsageError(`--duration needs a number of seconds above 0, not "${v ?? ""}"`);
    } else if (a === "--json") json = true;
    else if (target === undefined && !a.startsWith("-") && (rest.length === 0 || !takesValue(rest.at(-1)!))) target = a;
    else rest.push(a);
  }
  if (target === undefined) throw new UsageError(`${command} needs a target: a pid, host:port or ws:// URL`);
  // Each takes its own: attach renders a run (tsprof's options), dump prints stacks.
  if (command === "dump" && (durationS !== undefined || rest.length > 0)) throw new UsageError(`dump: unknown option "${durationS !== undefined ? "--duration" : rest[0]}" (see tsprof dump --help)`);
  if (command === "attach" && json) throw new UsageError(`attach: unknown option "--json": use -r json (see tsprof attach --help)`);
  return { target, ...(durationS !== undefined ? { durationS } : {}), json, rest };
}

/** Options of tsprof's that take a value (so the word after is not the target). */
function takesValue(option: string): boolean {
  return /^(-o|--outfile|-r|--renderer|-i|--interval|-p|--processor-option|--show|--hide|--filter-threshold|--description|--flat-time|--show-regex|--hide-regex)$/.test(option);
}

/** Runs `tsprof attach` and returns the exit code. */
export async function attachCommand(argv: readonly string[], format: (o: CliOptions) => string): Promise<number> {
  if (asksForHelp(argv)) {
    process.stdout.write(`${ATTACH_HELP}\n`);
    return 0;
  }
  const args = splitTargetArgs(argv, "attach");
  const options = parseArgs([...args.rest, args.target], VERSION);
  const chosen = format(options);
  const target = await attachToTarget(args.target);
  const session = await record(target, options, args.durationS);
  if (!session) return 1;
  const { showRecorded } = await import("./run_report.ts");
  return showRecorded(session, { ...options, command: ["attach", args.target] }, chosen, 0);
}

/** Samples until the duration, Ctrl-C/SIGTERM, or the target's end (then undefined). */
async function record(target: AttachedTarget, options: CliOptions, durationS: number | undefined): Promise<Session | undefined> {
  const c = target.connection;
  let stop!: () => void;
  const stopped = new Promise<"stop">((r) => (stop = () => r("stop")));
  const maps = gatherScriptMaps(c);
  // Asked now, answered by the inspector's thread while the profile runs.
  const version = inspectorVersion(target.url, 2000);
  // Reports every script with its inline map; off again before detaching.
  await c.send("Debugger.enable");
  // Node keeps an ending process until the debugger leaves, and says so when
  // asked: the profile can still be taken then. Deno has no such domain.
  let targetEnding = false;
  c.on("NodeRuntime.waitingForDisconnect", (p) => {
    if (p.closed === true) return;
    targetEnding = true;
    stop();
  });
  await c.send("NodeRuntime.notifyWhenWaitingForDisconnect", { enabled: true }).catch(() => undefined);
  await c.send("Profiler.enable");
  await c.send("Profiler.setSamplingInterval", { interval: Math.max(1, Math.round(options.intervalMs * 1000)) });
  const startTime = Date.now();
  await c.send("Profiler.start");
  process.stderr.write(`tsprof: profiling ${target.label} (${target.runtime}) ${durationS !== undefined ? `for ${durationS} s or ` : ""}until Ctrl-C\n`);
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const s of signals) process.on(s, stop);
  const timer = durationS !== undefined ? setTimeout(stop, durationS * 1000) : undefined;
  const why = await Promise.race([stopped, c.closed.then(() => "closed" as const)]);
  for (const s of signals) process.off(s, stop);
  if (timer) clearTimeout(timer);
  if (why === "closed") {
    process.stderr.write(`tsprof: ${target.label} ended while tsprof was attached: its profile ended with it\n`);
    return undefined;
  }
  let cpu: V8CpuProfile;
  try {
    cpu = (await c.send<{ profile: V8CpuProfile }>("Profiler.stop")).profile;
    if (!targetEnding) {
      await c.send("Profiler.disable");
      await c.send("Debugger.disable");
      await c.send("NodeRuntime.notifyWhenWaitingForDisconnect", { enabled: false }).catch(() => undefined);
    }
  } catch {
    process.stderr.write(`tsprof: ${target.label} ended while tsprof was attached: its profile ended with it\n`);
    return undefined;
  } finally {
    // An ending process only waits for this connection to close.
    if (targetEnding) c.close();
    else await detach(target);
  }
  if (targetEnding) process.stderr.write(`tsprof: ${target.label} ended while tsprof was attached: the profile covers it to its end\n`);
  return sessionOf(cpu, target, options, startTime, maps, await version);
}

async function sessionOf(cpu: V8CpuProfile, target: AttachedTarget, options: CliOptions, startTime: number, maps: Record<string, object>, version: string): Promise<Session> {
  const { importDenoCpuProfile, mapAttachedSession } = await import("./source_maps.ts");
  const meta = {
    runtimeVersion: version,
    intervalMs: options.intervalMs,
    startTime,
    durationMs: Math.max(0, cpu.endTime - cpu.startTime) / 1000,
    command: ["attach", target.label],
    cwd: process.cwd(),
  };
  if (target.runtime === "deno") {
    const { profile, warnings } = importDenoCpuProfile(cpu, undefined);
    return { version: 1, meta: { ...meta, runtime: "deno", ...(warnings.length > 0 ? { warnings } : {}) }, profiles: [{ ...profile, name: "main" }] };
  }
  return mapAttachedSession({ version: 1, meta: { ...meta, runtime: target.runtime === "unknown" ? "v8" : target.runtime }, profiles: [importV8CpuProfile(cpu, "main")] }, maps);
}
