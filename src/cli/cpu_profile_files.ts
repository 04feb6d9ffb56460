/**
 * The `.cpuprofile` files Deno's and Bun's `--cpu-prof` write into a
 * folder, by process, and their import: what the CLI reads after a run on
 * those runtimes, and after `tsprof -- <command>` for their processes.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Profile } from "../format/types.ts";
import { normalizeFile } from "../paths.ts";
import { endBunProfileAt, normalizeBunCpuProfile } from "../import/bun_cpuprofile.ts";
import { waitingInSpans, estimateNote } from "../import/gap_weights.ts";
import { STARTUP_AFTER_WAIT_MS, STARTUP_ENDS_AT_IDLE_MS } from "../import/startup.ts";
import { busyAfter, type BusyReading } from "../import/thread_busy.ts";
import { shortBurstNote } from "../import/v8_bursts.ts";
import { firstSampleIn, importV8CpuProfile, sampleSpans, type V8CpuProfile } from "../import/v8_cpuprofile.ts";
import { importDenoCpuProfile, mapBunProfile } from "./source_maps.ts";
import type { FramesFirst } from "./frames_first.ts";

/** One process's files: its main thread's, and (Deno) one per worker, in order. */
export interface ProcessProfiles {
  readonly pid: string;
  readonly main: string;
  readonly workers: readonly { readonly file: string; readonly n: number }[];
  /** Epoch ms in the name (Deno's names carry it), if any. */
  readonly time?: number;
}

/**
 * The `--cpu-prof` files in `dir` by process, ordered by file name:
 * Deno's `CPU.<epoch ms>.<pid>[.worker-<n>].cpuprofile` and Bun's
 * `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`.
 */
export function cpuProfilesByProcess(dir: string): ProcessProfiles[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const byPid = new Map<string, { main?: string; workers: { file: string; n: number }[]; time?: number }>();
  const entry = (pid: string) => {
    let e = byPid.get(pid);
    if (!e) byPid.set(pid, (e = { workers: [] }));
    return e;
  };
  for (const name of names) {
    const deno = /^CPU\.(\d+)\.(\d+)(?:\.worker-(\d+))?\.cpuprofile$/.exec(name);
    const bun = /^CPU\.\d+\.\d+\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(name);
    if (deno) {
      const e = entry(deno[2]!);
      if (deno[3] !== undefined) e.workers.push({ file: join(dir, name), n: Number(deno[3]) });
      else {
        e.main = join(dir, name);
        e.time = Number(deno[1]);
      }
    } else if (bun) entry(bun[1]!).main = join(dir, name);
  }
  const out: ProcessProfiles[] = [];
  for (const [pid, e] of byPid) {
    if (e.main === undefined) continue;
    out.push({ pid, main: e.main, workers: e.workers.sort((a, b) => a.n - b.n), ...(e.time !== undefined ? { time: e.time } : {}) });
  }
  return out;
}

/** A process's profiles read and mapped to the sources, main thread first. */
export interface ImportedProcess {
  /** The main thread's raw profile, for its times. */
  readonly cpu: V8CpuProfile;
  readonly profiles: Profile[];
  readonly warnings: string[];
  /** The profiles with every frame placed (Bun places some after the report; see `FramesFirst`). */
  complete(): Profile[];
}

/**
 * Deno's `--cpu-prof` holds each Worker back before its code runs (by half a
 * second or more with Deno 2.9): the program's waits for its Workers are
 * longer than in a direct run, which the report says.
 */
export const DENO_WORKER_START = "Deno's --cpu-prof, which recorded this run, delays each Worker's start (by half a second or more with Deno 2.9): waiting for a Worker to start takes longer than in a direct run";

/**
 * Reads one process's profiles: the main thread's named `name`, each
 * worker's `<workerPrefix>worker <n>`. Deno maps function positions itself
 * but not line ticks (`entry`, its main module, helps find the maps); Bun
 * reports the files that ran, TypeScript already, and records no idle
 * samples: its gaps are shared between the stacks and idle time by the main
 * thread's busy time, `busyMs`, where its preload could count it; its main
 * thread's profile ends when the preload saw the program end, `endedAtMs`
 * (Bun ends it at the last sample).
 */
export function importProcess(
  files: ProcessProfiles,
  runtime: "deno" | "bun",
  options: {
    name: string;
    workerPrefix: string;
    intervalMs: number;
    entry?: string | undefined;
    busyMs?: number | undefined;
    /** How busy the main thread had been as its preload started: the part of `busyMs` before the profile is left out. */
    busyAt?: BusyReading | undefined;
    endedAtMs?: number | undefined;
    first?: FramesFirst | undefined;
    /** Whether a file is the program's: Bun's note of estimated time leaves out the start-up before its first sample. */
    programFile?: ((file: string) => boolean) | undefined;
    /** When the main thread's `await`s were pending (Bun), epoch ms: its long gaps are idle then. */
    waitingMs?: readonly (readonly [number, number])[] | undefined;
    /** What is done to Bun's main thread's profile (read from `cpu`) before it is mapped. */
    beforeMapping?: ((profile: Profile, cpu: V8CpuProfile) => Profile) | undefined;
  },
): ImportedProcess {
  // The main thread's profile is read with what its preload noted; a worker's with nothing.
  type Noted = Pick<typeof options, "busyMs" | "busyAt" | "endedAtMs" | "beforeMapping" | "waitingMs">;
  const read = (file: string, name: string, { busyMs: threadBusy, busyAt, endedAtMs, beforeMapping, waitingMs }: Noted = {}) => {
    const raw = JSON.parse(readFileSync(file, "utf8")) as V8CpuProfile;
    const cpu = runtime === "bun" ? endBunProfileAt(raw, endedAtMs) : raw;
    if (runtime === "deno") {
      const { profile, warnings } = importDenoCpuProfile(cpu, options.entry);
      const named = { ...profile, name };
      const note = shortBurstNote(cpu);
      return { cpu, profile: named, warnings: note ? [...warnings, note] : warnings, complete: () => named };
    }
    const bun = normalizeBunCpuProfile(cpu);
    // Bun's profile runs on the epoch's clock, in µs.
    const busyMs = threadBusy === undefined ? undefined : busyAfter(threadBusy, bun.startTime / 1000, busyAt);
    // Spans before the program's first sample are its start-up, labelled as such (spans[0] is the lead-in).
    const programFile = options.programFile;
    const spans = sampleSpans(bun);
    const startupSamples = programFile === undefined ? 0 : startupEnd(spans, firstSampleIn(bun, (url) => programFile(normalizeFile(url))));
    const waitingUs = waitingMs?.map(([a, b]) => [a * 1000, b * 1000] as const);
    const imported = importV8CpuProfile(bun, name, { idleGapsMs: options.intervalMs, startupSamples, ...(busyMs !== undefined ? { busyMs } : {}), ...(waitingUs ? { waitingUs } : {}) });
    const mapped = mapBunProfile(beforeMapping ? beforeMapping(imported, bun) : imported, options.first);
    // How much of the time is an estimate, said in the report rather than hidden in precise-looking numbers.
    const note = estimateNote(spans, options.intervalMs, busyMs, startupSamples + 1, waitingUs && waitingInSpans(spans, bun.startTime, waitingUs));
    const warnings = note ? [...mapped.warnings, note] : mapped.warnings;
    return { cpu, profile: { ...mapped.profile, name }, warnings, complete: () => ({ ...mapped.complete(), name }) };
  };
  const threads = [read(files.main, options.name, options), ...files.workers.map((w) => read(w.file, `${options.workerPrefix}worker ${w.n}`))];
  // A worker's own notes say whose they are: the main thread's and a worker's often differ.
  const named = threads.flatMap((t, i) => (i === 0 ? t.warnings : t.warnings.map((w) => `${t.profile.name}: ${w}`)));
  if (runtime === "deno" && files.workers.length > 0) named.push(DENO_WORKER_START);
  return {
    cpu: threads[0]!.cpu,
    profiles: threads.map((t) => t.profile),
    warnings: [...new Set(named)],
    complete: () => threads.map((t) => t.complete()),
  };
}

/**
 * How many of Bun's samples are the start-up's: those before the program's
 * first sample (`first`), or before a long gap (a wait) that only a little
 * work separates from it, where the program's top level was too short to be
 * sampled (a server's `listen`). `spans[k + 1]` is sample `k`'s span, µs.
 */
function startupEnd(spans: readonly number[], first: number): number {
  let workAfter = 0;
  let end = first;
  for (let k = first - 1; k >= 1; k--) {
    const span = spans[k + 1]!;
    if (span >= STARTUP_ENDS_AT_IDLE_MS * 1000) end = k;
    else if ((workAfter += span) >= STARTUP_AFTER_WAIT_MS * 1000) break;
  }
  return end;
}
