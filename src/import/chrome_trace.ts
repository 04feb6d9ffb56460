/**
 * Reads Chrome trace files (the Trace Event Format that DevTools'
 * Performance panel saves and `chrome://tracing` or the DevTools protocol's
 * `Tracing` domain record): the CPU profiles they carry as `Profile` and
 * `ProfileChunk` events, one profile per thread, or as the older single
 * `CpuProfile` event. Each is put together as a `.cpuprofile` and imported
 * as one, so a trace gets the same checks and frames.
 *
 * @module
 */
import { type Profile, profileTotal, type Session } from "../format/types.ts";
import { checkCpuProfile } from "./cpuprofile_check.ts";
import { importV8CpuProfile, medianIntervalMs } from "./v8_cpuprofile.ts";

/**
 * True when `data` looks like a Chrome trace: an array of trace events or an
 * object with a `traceEvents` array, the first event an object with a `ph`.
 *
 * @example
 * ```ts
 * import { isChromeTrace } from "tsprof/import";
 * isChromeTrace({ traceEvents: [{ ph: "M", name: "thread_name", pid: 1, tid: 1, args: { name: "CrRendererMain" } }] }); // true
 * isChromeTrace({ nodes: [] }); // false
 * ```
 */
export function isChromeTrace(data: unknown): boolean {
  const events = traceEvents(data);
  // Some writers (WebPageTest) start with an empty `{}`: look a little further.
  return events !== undefined && events.slice(0, 8).some((e) => typeof e === "object" && e !== null && "ph" in e);
}

function traceEvents(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  if (typeof data === "object" && data !== null && Array.isArray((data as { traceEvents?: unknown }).traceEvents)) {
    return (data as { traceEvents: unknown[] }).traceEvents;
  }
  return undefined;
}

/** A CPU profile being put together from a thread's events. */
interface Assembly {
  readonly pid: unknown;
  readonly tid: unknown;
  startTime: number | undefined;
  endTime: number | undefined;
  readonly nodes: unknown[];
  readonly samples: unknown[];
  readonly timeDeltas: unknown[];
  /** The 1-based line each sample was on (0: unknown), where the trace says. */
  readonly lines: unknown[];
}

/**
 * Imports the CPU profiles of a Chrome trace, one per profiled thread, named
 * after the thread (`CrRendererMain`, a worker's name), busiest first.
 *
 * @throws {TypeError} or {RangeError} naming the event or field that is wrong,
 *   or when the trace holds no CPU profile
 * @example
 * ```ts
 * import { importChromeTrace } from "tsprof/import";
 * const root = { functionName: "(root)", url: "", lineNumber: -1, columnNumber: -1 };
 * const work = { functionName: "work", url: "https://example.com/app.js", lineNumber: 3, columnNumber: 0 };
 * const session = importChromeTrace([
 *   { ph: "P", name: "Profile", id: "0x1", pid: 1, tid: 1, ts: 0, args: { data: { startTime: 0 } } },
 *   { ph: "P", name: "ProfileChunk", id: "0x1", pid: 1, tid: 1, ts: 10, args: { data: {
 *     cpuProfile: { nodes: [{ id: 1, callFrame: root }, { id: 2, callFrame: work, parent: 1 }], samples: [2, 2] },
 *     timeDeltas: [1000, 1000],
 *   } } },
 * ]);
 * // one profile, "thread 1", 2 ms in work
 * ```
 */
export function importChromeTrace(data: unknown): Session {
  const events = traceEvents(data);
  if (events === undefined) throw new TypeError(`a trace must be an array of events or have a "traceEvents" array`);
  const threadNames = new Map<string, string>();
  const assemblies = new Map<string, Assembly>();
  const assembly = (e: Record<string, unknown>): Assembly => {
    // Profile ids are unique within a process. Older traces carry a thread's
    // whole profile in one `CpuProfile` event without an id: the thread tells.
    const key = e.id === undefined ? `${String(e.pid)}\u0000tid ${String(e.tid)}` : `${String(e.pid)}\u0000${String(e.id)}`;
    let a = assemblies.get(key);
    if (!a) assemblies.set(key, (a = { pid: e.pid, tid: e.tid, startTime: undefined, endTime: undefined, nodes: [], samples: [], timeDeltas: [], lines: [] }));
    return a;
  };
  events.forEach((raw, i) => {
    // Odd events (`{}`, a stray number) are ignored, as Chrome's viewers do.
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return;
    const e = raw as Record<string, unknown>;
    const data = dataOf(e);
    if (e.ph === "M" && e.name === "thread_name") {
      const name = (e.args as { name?: unknown } | undefined)?.name;
      if (typeof name === "string") threadNames.set(`${String(e.pid)}\u0000${String(e.tid)}`, name);
    } else if (e.name === "Profile" && data) {
      const a = assembly(e);
      if (typeof data.startTime === "number") a.startTime = data.startTime;
    } else if (e.name === "ProfileChunk" && data) {
      const a = assembly(e);
      const cpu = data.cpuProfile as Record<string, unknown> | undefined;
      if (cpu !== undefined && (typeof cpu !== "object" || cpu === null)) throw new TypeError(`"traceEvents[${i}].args.data.cpuProfile" must be an object`);
      append(a.nodes, cpu?.nodes, `traceEvents[${i}].args.data.cpuProfile.nodes`);
      append(a.samples, cpu?.samples, `traceEvents[${i}].args.data.cpuProfile.samples`);
      append(a.timeDeltas, data.timeDeltas, `traceEvents[${i}].args.data.timeDeltas`);
      append(a.lines, data.lines, `traceEvents[${i}].args.data.lines`);
      if (typeof data.endTime === "number") a.endTime = data.endTime;
    } else if (e.name === "CpuProfile" && data && typeof data.cpuProfile === "object" && data.cpuProfile !== null) {
      // The older form: the whole profile in one event.
      const cpu = data.cpuProfile as Record<string, unknown>;
      const a = assembly(e);
      append(a.nodes, cpu.nodes, `traceEvents[${i}].args.data.cpuProfile.nodes`);
      append(a.samples, cpu.samples, `traceEvents[${i}].args.data.cpuProfile.samples`);
      append(a.timeDeltas, cpu.timeDeltas ?? data.timeDeltas, `traceEvents[${i}].args.data.cpuProfile.timeDeltas`);
      if (typeof cpu.startTime === "number") a.startTime = cpu.startTime;
      if (typeof cpu.endTime === "number") a.endTime = cpu.endTime;
    }
  });
  const profiles: { profile: Profile; total: number }[] = [];
  const warnings: string[] = [];
  let intervalMs = 1;
  for (const a of assemblies.values()) {
    if (a.samples.length === 0 || a.nodes.length === 0) continue;
    const startTime = a.startTime ?? 0;
    let elapsed = 0;
    for (const d of a.timeDeltas) if (typeof d === "number") elapsed += d;
    const thread = threadNames.get(`${String(a.pid)}\u0000${String(a.tid)}`) ?? `thread ${String(a.tid)}`;
    const found: string[] = [];
    const cpu = checkCpuProfile({
      nodes: withTicks(a.nodes.map(withPositions), a.samples, a.lines),
      startTime,
      endTime: Math.max(a.endTime ?? 0, startTime + elapsed),
      samples: a.samples,
      timeDeltas: a.timeDeltas,
    }, found);
    for (const w of found) warnings.push(`${thread}: ${w}`);
    const profile = importV8CpuProfile(cpu, thread);
    profiles.push({ profile, total: profileTotal(profile) });
    intervalMs = medianIntervalMs(cpu.timeDeltas ?? []);
  }
  if (profiles.length === 0) throw new RangeError("the trace holds no CPU profile (no Profile/ProfileChunk or CpuProfile events with samples): record it with the JavaScript samples category on");
  profiles.sort((a, b) => b.total - a.total);
  // Threads that were profiled by name twice (two renderer processes) keep them apart.
  const seen = new Map<string, number>();
  const named = profiles.map(({ profile }) => {
    const n = (seen.get(profile.name) ?? 0) + 1;
    seen.set(profile.name, n);
    return n === 1 ? profile : { ...profile, name: `${profile.name} (${n})` };
  });
  return {
    version: 1,
    // Trace timestamps are on a monotonic clock: when it was recorded is unknown.
    meta: { runtime: "chrome", runtimeVersion: "", intervalMs, startTime: 0, durationMs: profiles[0]!.total, ...(warnings.length > 0 ? { warnings } : {}) },
    profiles: named,
  };
}

function dataOf(e: Record<string, unknown>): Record<string, unknown> | undefined {
  const args = e.args;
  if (typeof args !== "object" || args === null) return undefined;
  const data = (args as { data?: unknown }).data;
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : undefined;
}

function append(into: unknown[], more: unknown, at: string): void {
  if (more === undefined) return;
  if (!Array.isArray(more)) throw new TypeError(`"${at}" must be an array`);
  for (const x of more) into.push(x);
}

/**
 * A trace's call frame leaves out what a `.cpuprofile` always has: `url`,
 * `lineNumber` and `columnNumber` of pseudo-frames like `(root)`.
 */
function withPositions(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return node;
  const n = node as Record<string, unknown>;
  if (typeof n.callFrame !== "object" || n.callFrame === null) return node;
  const cf = n.callFrame as Record<string, unknown>;
  return { ...n, callFrame: { ...cf, url: cf.url ?? "", lineNumber: cf.lineNumber ?? -1, columnNumber: cf.columnNumber ?? -1 } };
}

/**
 * The per-sample lines a trace carries, as each node's `positionTicks`
 * (what a `.cpuprofile` has), so that line times work for traces too.
 */
function withTicks(nodes: unknown[], samples: readonly unknown[], lines: readonly unknown[]): unknown[] {
  if (lines.length !== samples.length) return nodes;
  const ticks = new Map<unknown, Map<number, number>>();
  for (let i = 0; i < samples.length; i++) {
    const line = lines[i];
    if (typeof line !== "number" || !Number.isSafeInteger(line) || line <= 0) continue;
    let byLine = ticks.get(samples[i]);
    if (!byLine) ticks.set(samples[i], (byLine = new Map()));
    byLine.set(line, (byLine.get(line) ?? 0) + 1);
  }
  if (ticks.size === 0) return nodes;
  return nodes.map((node) => {
    const byLine = typeof node === "object" && node !== null ? ticks.get((node as { id?: unknown }).id) : undefined;
    if (!byLine || "positionTicks" in (node as object)) return node;
    return { ...(node as object), positionTicks: [...byLine].map(([line, count]) => ({ line, ticks: count })) };
  });
}
