/**
 * Drives V8's Profiler domain over an inspector session. Node and Deno hand
 * in their own `node:inspector` session; the protocol is the same.
 *
 * @module
 */
import type { Backend, BackendStartOptions, InspectorSession, Recording } from "../src/backend.ts";
import { TsprofError } from "../src/errors.ts";
import type { Profile } from "../src/format/types.ts";
import { estimateNote } from "../src/import/gap_weights.ts";
import { shortBurstNote } from "../src/import/v8_bursts.ts";
import { importV8CpuProfile, sampleSpans, type V8CpuProfile } from "../src/import/v8_cpuprofile.ts";
import { isBunCpuProfile, normalizeBunCpuProfile } from "../src/import/bun_cpuprofile.ts";
import { threadBusyMs, type ThreadStats } from "../src/import/thread_busy.ts";
import { normalizeFile } from "../src/paths.ts";
import type { MapFetcher, ReadText } from "../src/sourcemap/map_source.ts";

/**
 * Posts a message; calls back synchronously where the session does (Node's
 * main-thread sessions), so that `stopSync` works in an `exit` handler.
 */
export function postSync(session: InspectorSession, method: string, params?: object): unknown {
  let done = false;
  let result: unknown;
  let error: Error | null = null;
  session.post(method, params, (err, res) => {
    done = true;
    error = err;
    result = res;
  });
  if (!done) throw new TsprofError("BACKEND_FAILED", `Cannot call ${method} synchronously: this inspector answers asynchronously`);
  if (error) throw new TsprofError("BACKEND_FAILED", `Cannot call ${method}: ${(error as Error).message}`, { cause: error });
  return result;
}

/** Posts a message and waits for the answer. */
export function post(session: InspectorSession, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, res) => {
      if (err) reject(new TsprofError("BACKEND_FAILED", `Cannot call ${method}: ${err.message}`, { cause: err }));
      else resolve(res);
    });
  });
}

/** Starts V8's sampler at `intervalMs`. */
export async function startV8Profiler(session: InspectorSession, intervalMs: number): Promise<void> {
  await post(session, "Profiler.enable");
  await post(session, "Profiler.setSamplingInterval", { interval: Math.max(1, Math.round(intervalMs * 1000)) });
  await post(session, "Profiler.start");
}

/** Stops V8's sampler and returns its profile. */
export async function stopV8Profiler(session: InspectorSession): Promise<V8CpuProfile> {
  const res = (await post(session, "Profiler.stop")) as { profile: V8CpuProfile };
  await post(session, "Profiler.disable");
  return res.profile;
}

/** {@linkcode stopV8Profiler}, for sessions that answer synchronously. */
export function stopV8ProfilerSync(session: InspectorSession): V8CpuProfile {
  const res = postSync(session, "Profiler.stop") as { profile: V8CpuProfile };
  postSync(session, "Profiler.disable");
  return res.profile;
}

/** What an inspector-based backend needs from its runtime. */
export interface InspectorRuntime {
  /** `node` or `deno`. */
  readonly name: "node" | "deno" | "bun";
  /** The runtime's version. */
  readonly runtimeVersion: string;
  /** Opens a session on the calling thread. */
  connect(): InspectorSession & { disconnect(): void };
  /** CPU milliseconds used by the process so far. */
  cpuTimeMs(): number;
  /** Whether `post` calls back synchronously (Node's main thread). */
  readonly synchronous: boolean;
  /** The engine records no idle samples (Bun): gaps between samples are idle. */
  readonly idleGaps?: boolean;
  /**
   * The calling thread's scheduler counters, where the system keeps them:
   * with `idleGaps`, they say how much of the gaps was busy.
   */
  threadStats?(): ThreadStats | undefined;
  /**
   * Map positions at `stop()` through the source maps of the code that ran,
   * fetched from the inspector (`Debugger.getScriptSource`): for runtimes
   * whose profiles report transpiled positions (Deno). Map files named by
   * the code are read with this function.
   */
  readonly mapSources?: {
    readonly readText: ReadText;
    readonly fallback?: MapFetcher;
    /**
     * `jsc`: the profile's positions are in the files that ran (Bun); only
     * maps next to code on disk apply, and frames move to their definitions.
     */
    readonly engine?: "v8" | "jsc";
    /**
     * The maps the runtime holds for a profile's files (Node's), so that the
     * inspector need not hand over the code; maps next to code on disk too.
     */
    readonly knownMaps?: (profile: Profile) => MapFetcher;
  };
}

/** The code of the profile's scripts, by file, as the inspector holds it. */
async function scriptSources(session: InspectorSession, cpu: V8CpuProfile): Promise<Map<string, string>> {
  const scripts = new Map<string, string>();
  for (const n of cpu.nodes) {
    const { url, scriptId } = n.callFrame;
    // Files by URL, or by path: code compiled through `vm` (test runners) names its file so.
    if ((url.startsWith("file:") || url.startsWith("/")) && scriptId !== undefined && !scripts.has(normalizeFile(url))) scripts.set(normalizeFile(url), String(scriptId));
  }
  const sources = new Map<string, string>();
  if (scripts.size === 0) return sources;
  await post(session, "Debugger.enable");
  try {
    for (const [file, scriptId] of scripts) {
      try {
        const res = (await post(session, "Debugger.getScriptSource", { scriptId })) as { scriptSource?: string };
        if (typeof res.scriptSource === "string") sources.set(file, res.scriptSource);
      } catch {
        // A script gone since: its frames keep their positions.
      }
    }
  } finally {
    await post(session, "Debugger.disable").catch(() => undefined);
  }
  return sources;
}


/**
 * A {@linkcode Backend} on V8's sampler, shared by the Node and Deno
 * backends, which only supply their runtime's pieces.
 */
export function inspectorBackend(rt: InspectorRuntime): Backend {
  let state: { session: InspectorSession & { disconnect(): void }; startTime: number; t0: number; cpu0: number; intervalMs: number; stats0?: ThreadStats | undefined } | undefined;
  const begin = (intervalMs: number) => {
    if (state) throw new TsprofError("PROFILER_ALREADY_RUNNING", `Cannot start ${rt.name} profiler: it is already running`);
    const session = rt.connect();
    state = { session, startTime: Date.now(), t0: performance.now(), cpu0: rt.cpuTimeMs(), intervalMs, stats0: rt.threadStats?.() };
    return state;
  };
  const end = () => {
    if (!state) throw new TsprofError("PROFILER_NOT_RUNNING", `Cannot stop ${rt.name} profiler: it is not running`);
    const s = state;
    state = undefined;
    return s;
  };
  const restartClocks = (s: NonNullable<typeof state>) => {
    s.t0 = performance.now();
    s.cpu0 = rt.cpuTimeMs();
    s.stats0 = rt.threadStats?.();
  };
  // What the clocks said when the sampler was asked to stop: stopping and mapping are not the program's time.
  type Stopped = { readonly at: number; readonly cpuMs: number; readonly stats: ThreadStats | undefined };
  const stoppedNow = (s: NonNullable<typeof state>): Stopped => ({ at: performance.now(), cpuMs: rt.cpuTimeMs(), stats: s.stats0 && rt.threadStats?.() });
  const finish = (
    s: NonNullable<typeof state>,
    raw: V8CpuProfile,
    remap: ((p: Profile) => { profile: Profile; warnings: string[] }) | undefined,
    stopped: Stopped,
  ): Recording => {
    s.session.disconnect();
    // Bun ends a profile at its last sample (from the second session on), so
    // a trailing wait would vanish: the wall clock says where it really ends.
    const wallUs = (stopped.at - s.t0) * 1000;
    // Bun's profile to V8's conventions, as `bun --cpu-prof`'s: its builtins (`Promise`,
    // `processTicksAndRejections`) carry made-up positions that would make them the program's.
    const shaped = rt.name === "bun" && isBunCpuProfile(raw) ? normalizeBunCpuProfile(raw) : raw;
    const cpu = rt.idleGaps ? { ...shaped, endTime: Math.max(shaped.endTime, shaped.startTime + wallUs) } : shaped;
    const stats = stopped.stats;
    const busy = stats ? { busyMs: threadBusyMs(stats, s.stats0) } : {};
    const imported = importV8CpuProfile(cpu, "main", rt.idleGaps ? { idleGapsMs: s.intervalMs, ...busy } : {});
    const mapped = remap?.(imported);
    const profile = mapped?.profile ?? imported;
    // How much of the time is uncertain, said in the report rather than hidden in precise-looking numbers.
    const note = rt.idleGaps
      ? estimateNote(sampleSpans(cpu), s.intervalMs, busy.busyMs)
      : shortBurstNote(cpu, rt.name === "node" ? "--backend portable measures them" : undefined);
    const warnings = [...(mapped?.warnings ?? []), ...(note ? [note] : [])];
    return {
      ...(warnings.length > 0 ? { warnings } : {}),
      profile,
      startTime: s.startTime,
      durationMs: Math.max(0, cpu.endTime - cpu.startTime) / 1000,
      cpuTimeMs: stopped.cpuMs - s.cpu0,
    };
  };
  const backend: Backend = {
    name: rt.name,
    runtimeVersion: rt.runtimeVersion,
    async start(options: BackendStartOptions = {}) {
      const s = begin(options.intervalMs ?? 1);
      try {
        await startV8Profiler(s.session, s.intervalMs);
      } catch (e) {
        state = undefined;
        throw e;
      }
      // The clocks count from here: starting V8's sampler (tens of ms of CPU) is not the profiled code's time.
      restartClocks(s);
    },
    async stop() {
      const s = end();
      // Read before stopping, which is not the profiled code's time either.
      const stopped = stoppedNow(s);
      const cpu = await stopV8Profiler(s.session);
      const mapSources = rt.mapSources;
      if (!mapSources) return finish(s, cpu, undefined, stopped);
      if (mapSources.engine === "jsc") {
        const [{ mapJscProfile }, { mapsFromFiles }, { textLineReader }] = await Promise.all([
          import("../src/sourcemap/jsc.ts"),
          import("../src/sourcemap/map_source.ts"),
          import("../src/sourcemap/source_lines.ts"),
        ]);
        return finish(s, cpu, (p) => mapJscProfile(p, mapsFromFiles(mapSources.readText), textLineReader(mapSources.readText)), stopped);
      }
      const knownMaps = mapSources.knownMaps;
      if (knownMaps) {
        const { mapWithKnownMaps } = await import("../src/sourcemap/map_with_sources.ts");
        return finish(s, cpu, (p) => mapWithKnownMaps(p, knownMaps(p), mapSources.readText), stopped);
      }
      const sources = await scriptSources(s.session, cpu);
      // Loaded here, not up front: a profiled program should not pay for
      // loading source-map code at its start.
      const { mapWithSources } = await import("../src/sourcemap/map_with_sources.ts");
      return finish(s, cpu, (p) => mapWithSources(p, sources, mapSources), stopped);
    },
  };
  if (rt.synchronous) {
    return {
      ...backend,
      stopSync: () => {
        const s = end();
        const stopped = stoppedNow(s);
        return finish(s, stopV8ProfilerSync(s.session), undefined, stopped);
      },
    };
  }
  return backend;
}
