/**
 * Reads pprof profiles (the protobuf that Go, Pyroscope, Grafana, Parca,
 * Datadog and Google Cloud Profiler speak), as `go tool pprof` does, with
 * the `pprof-format` library for the encoding. Only time can be read: the
 * sample type shown is wall time, else CPU time, else the first one in a
 * unit of time (or a count whose period is one). Samples labelled with a
 * thread (`thread`, `thread_name`) become one profile per thread.
 *
 * @module
 */
import { Profile as PprofProfile } from "pprof-format";
import { ProfileBuilder } from "../format/builder.ts";
import { type Frame, type Profile, type Session, profileTotal, pseudoFrameNamed } from "../format/types.ts";

/** Milliseconds per unit, for the units of time pprof files use. */
const TIME_UNITS: Record<string, number> = { nanoseconds: 1e-6, ns: 1e-6, microseconds: 1e-3, us: 1e-3, milliseconds: 1, ms: 1, seconds: 1000, s: 1000 };
/** Labels that name the thread a sample was taken on, first found wins. */
const THREAD_LABELS = ["thread", "thread_name", "threadName"];

/**
 * True when the bytes decode as a pprof profile (after gunzip).
 *
 * @example
 * ```ts
 * import { isPprof } from "./pprof.ts";
 * isPprof(new TextEncoder().encode("{}")); // false
 * ```
 */
export function isPprof(bytes: Uint8Array): boolean {
  // Every field of a Profile is a small field number with wire type 0 or 2.
  const first = bytes[0];
  if (first === undefined || first >> 3 < 1 || first >> 3 > 15 || ![0, 2].includes(first & 7)) return false;
  try {
    const p = PprofProfile.decode(bytes);
    return p.stringTable.strings[0] === "" && (p.sample.length > 0 || p.sampleType.length > 0);
  } catch {
    return false;
  }
}

/**
 * Imports a pprof profile (already gunzipped).
 *
 * @throws {TypeError} or {RangeError} naming what is wrong: no sample type of
 *   time, a reference to a missing location or function
 * @example
 * ```ts
 * import { Profile, StringTable } from "pprof-format";
 * import { importPprof } from "./pprof.ts";
 * const strings = new StringTable();
 * const p = new Profile({
 *   sampleType: [{ type: strings.dedup("cpu"), unit: strings.dedup("nanoseconds") }],
 *   function: [{ id: 1, name: strings.dedup("main"), filename: strings.dedup("/app/main.go") }],
 *   location: [{ id: 1, line: [{ functionId: 1, line: 3 }] }],
 *   sample: [{ locationId: [1], value: [2_000_000] }],
 *   stringTable: strings,
 * });
 * importPprof(p.encode()).profiles[0]!.weights[0]; // 2 (ms)
 * ```
 */
export function importPprof(bytes: Uint8Array): Session {
  const p = PprofProfile.decode(bytes);
  const str = (i: unknown): string => p.stringTable.strings[Number(i)] ?? "";
  const types = p.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  const periodUnit = p.periodType ? str(p.periodType.unit) : "";
  const pick = chooseValue(types, periodUnit, Number(p.period));
  if (!pick) {
    const listed = types.map((t) => `${t.type}/${t.unit}`).join(", ") || "none";
    throw new RangeError(`a pprof profile with no sample type in units of time (its types: ${listed}): tsprof reads time profiles, not memory or counts`);
  }
  // A file tsprof wrote names the runtime it came from, and its folder, in comments.
  const comments = p.comment.map(str);
  const wrote = comments.find((c) => c.startsWith("tsprof: "))?.slice(8).split(" ");
  const cwd = comments.find((c) => c.startsWith("tsprof-cwd: "))?.slice(12);
  const byTsprof = wrote !== undefined;
  const functions = new Map<string, { name: string; file: string; startLine: number }>();
  for (const f of p.function) functions.set(String(f.id), { name: str(f.name) || str(f.systemName), file: str(f.filename), startLine: Number(f.startLine) });
  // Each location is the frames it stands for, caller first (pprof lists
  // inlined functions callee first), each with the line it was on. A frame
  // is its function (at its start line): the lines become line times.
  const locations = new Map<string, { frame: Frame; line: number }[]>();
  const missing = new Set<string>();
  for (const loc of p.location) {
    const frames: { frame: Frame; line: number }[] = [];
    for (let i = loc.line.length - 1; i >= 0; i--) {
      const line = loc.line[i]!;
      const fn = functions.get(String(line.functionId));
      if (!fn) {
        missing.add(`function ${String(line.functionId)}`);
        continue;
      }
      frames.push({ frame: frameOf(fn.name, fn.file, fn.startLine, byTsprof), line: Number(line.line) });
    }
    // An unsymbolized location is its address.
    if (frames.length === 0) frames.push({ frame: { name: `0x${BigInt(loc.address).toString(16)}`, kind: "js" }, line: 0 });
    locations.set(String(loc.id), frames);
  }
  const threadKeys = new Set(THREAD_LABELS.map((k) => p.stringTable.strings.indexOf(k)).filter((i) => i > 0));
  // pprof keeps one sample per stack, with how many samples it stands for: that many samples
  // again, each its share of the time, so that a diff's noise model counts them (one sample of
  // a second would say nothing sure) and the header says how many were taken.
  const countIndex = types.findIndex((t, i) => i !== pick.index && t.type === "samples" && t.unit === "count");
  let counted = 0;
  if (countIndex !== -1) for (const s of p.sample) counted += Math.max(0, Number(s.value[countIndex] ?? 0));
  const splitInto = (s: { value: unknown[] }): number => {
    if (countIndex === -1 || !(counted <= MAX_SPLIT_SAMPLES)) return 1;
    const n = Number(s.value[countIndex] ?? 0);
    return Number.isInteger(n) && n > 1 ? n : 1;
  };
  const builders = new Map<string, ProfileBuilder>();
  for (const s of p.sample) {
    const value = Number(s.value[pick.index] ?? 0) * pick.scale;
    // A stack sampled but given no time (Bun's sample in a gap its thread was idle through) is
    // still that many samples: dropped, a profile written and read back would have fewer.
    const sampled = countIndex !== -1 && Number(s.value[countIndex] ?? 0) >= 1;
    if (!(value > 0 || (value === 0 && sampled))) continue;
    let thread = "main";
    for (const l of s.label) if (threadKeys.has(Number(l.key)) && Number(l.str) > 0) thread = str(l.str);
    let b = builders.get(thread);
    if (!b) builders.set(thread, (b = new ProfileBuilder(thread)));
    let stack = -1;
    let leaf: { id: number; line: number } | undefined;
    for (let i = s.locationId.length - 1; i >= 0; i--) {
      const frames = locations.get(String(s.locationId[i]));
      if (!frames) {
        missing.add(`location ${String(s.locationId[i])}`);
        continue;
      }
      for (const f of frames) {
        const id = b.internFrame(f.frame);
        stack = b.internStack(stack, id);
        leaf = { id, line: f.line };
      }
    }
    const n = splitInto(s);
    for (let k = 0; k < n; k++) b.addStackSample(stack, value / n);
    if (value > 0 && leaf && leaf.line > 0 && leaf.line <= 0x7fffffff) b.addLineTime(leaf.id, leaf.line, value);
  }
  const profiles: Profile[] = [...builders.values()].map((b) => b.build());
  if (profiles.length === 0) throw new RangeError(`the pprof profile holds no samples with ${pick.label}`);
  const total = profiles.reduce((t, pr) => t + profileTotal(pr), 0);
  const warnings: string[] = [];
  if (missing.size > 0) warnings.push(`the samples refer to ${missing.size} locations or functions that are not in the file (${[...missing].slice(0, 3).join(", ")}): skipped`);
  const others = types.filter((t, i) => i !== pick.index && !(t.type === "samples" && t.unit === "count"));
  if (others.length > 0) warnings.push(`shown: ${pick.label} (the file also holds ${others.map((t) => t.type).join(", ")})`);
  const duration = Number(p.durationNanos) / 1e6;
  return {
    version: 1,
    meta: {
      runtime: wrote?.[0] || "pprof",
      runtimeVersion: wrote?.slice(1).join(" ") ?? "",
      intervalMs: pick.periodMs ?? 1,
      startTime: Number(p.timeNanos) / 1e6,
      durationMs: duration > 0 ? duration : total,
      ...(cwd ? { cwd } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    profiles,
  };
}

/** More samples than this (counted) stay one per stack: hours of samples at a time. */
const MAX_SPLIT_SAMPLES = 10_000_000;

/** Which sample value to read, and its scale to milliseconds. */
function chooseValue(
  types: readonly { type: string; unit: string }[],
  periodUnit: string,
  period: number,
): { index: number; scale: number; label: string; periodMs?: number } | undefined {
  const periodMs = TIME_UNITS[periodUnit] !== undefined && period > 0 ? period * TIME_UNITS[periodUnit]! : undefined;
  const timed = types.map((t, index) => ({ ...t, index })).filter((t) => Object.hasOwn(TIME_UNITS, t.unit));
  const best = timed.find((t) => t.type === "wall") ?? timed.find((t) => t.type === "cpu") ?? timed[0];
  if (best) return { index: best.index, scale: TIME_UNITS[best.unit]!, label: `${best.type} time`, ...(periodMs !== undefined ? { periodMs } : {}) };
  // A count of samples taken every `period` units of time.
  const counted = types.findIndex((t) => t.unit === "count" && t.type === "samples");
  if (counted !== -1 && periodMs !== undefined) return { index: counted, scale: periodMs, label: "samples × period", periodMs };
  return undefined;
}

function frameOf(name: string, file: string, line: number, byTsprof: boolean): Frame {
  // Frames pprof has no kind for (the runtime's and tsprof's labels) are known by their name where they have no file.
  const label = file === "" ? pseudoFrameNamed(name) : undefined;
  if (label) return label;
  // No file, in a JavaScript profile tsprof wrote: the runtime's own code (V8's builtins, JSC's
  // natives), which the report folds away. Other tools' file-less frames are native code to show.
  const frame: { -readonly [K in keyof Frame]: Frame[K] } = { name: name || "(anonymous)", kind: byTsprof && file === "" && name !== "" ? "native" : "js" };
  if (file !== "") frame.file = file;
  if (Number.isSafeInteger(line) && line > 0) frame.line = line;
  return frame;
}
