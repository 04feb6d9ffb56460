/**
 * The real-world corpus (test/fixtures/corpus): its manifest, and each
 * file's total as the file itself states it, computed here from the raw
 * data without tsprof's importers, so that the tests compare tsprof with the
 * file and not with itself.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "fflate";
import { Profile as PprofProfile } from "pprof-format";
import { ROOT } from "./_cli.ts";

/** The folder of the corpus. */
export const CORPUS: string = join(ROOT, "test/fixtures/corpus");

/** One row of the manifest. */
export interface CorpusEntry {
  readonly file: string;
  /** The format the file is in (`chrome-trace`, `pprof`, `firefox`, ...). */
  readonly format: string;
  /** What tsprof must do with it. */
  readonly expect: "read" | "refused";
  /** What the file is. */
  readonly what: string;
  /** Where it came from, at which commit. */
  readonly source: string;
  /** Its licence. */
  readonly licence: string;
  /** For a refused file: what the one-line error must say. */
  readonly says?: string;
}

/** The manifest's rows. */
export const CORPUS_FILES: readonly CorpusEntry[] = (JSON.parse(readFileSync(join(CORPUS, "manifest.json"), "utf8")) as { files: CorpusEntry[] }).files;

/** A corpus file's bytes, as stored (gzipped or not). */
export function corpusBytes(file: string): Uint8Array {
  return readFileSync(join(CORPUS, file));
}

function raw(file: string): Uint8Array {
  const b = corpusBytes(file);
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
}

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * The total of each profile (thread) the file holds, in ms, by the file's
 * own numbers: its span (end - start, or the time deltas where they cover
 * more) for V8 profiles and traces, its weights or events for speedscope,
 * the sample values for pprof. Largest first.
 */
export function ownTotals(entry: CorpusEntry): number[] {
  const bytes = raw(entry.file);
  if (entry.format === "pprof") return [pprofTotal(bytes)];
  const json: Json = JSON.parse(new TextDecoder().decode(bytes));
  let totals: number[];
  switch (entry.format) {
    case "cpuprofile":
      totals = [Math.max(json.endTime - json.startTime, sum(json.timeDeltas)) / 1000];
      break;
    case "cpuprofile-legacy": {
      // Start and end in whole seconds here; the timestamps (µs) are finer.
      const ts: number[] = json.timestamps;
      totals = [(ts[ts.length - 1]! - ts[0]!) / 1000];
      break;
    }
    case "chrome-trace":
      totals = traceTotals(Array.isArray(json) ? json : json.traceEvents);
      break;
    case "speedscope":
      totals = json.profiles.map(speedscopeTotal);
      break;
    default:
      throw new Error(`no total for format ${entry.format}`);
  }
  return totals.sort((a, b) => b - a);
}

function sum(a: readonly unknown[] | undefined): number {
  let s = 0;
  for (const x of a ?? []) s += Number(x);
  return s;
}

const UNIT_MS: Record<string, number> = { nanoseconds: 1e-6, microseconds: 1e-3, milliseconds: 1, seconds: 1000, none: 1 };

function speedscopeTotal(p: Json): number {
  const scale = UNIT_MS[p.unit]!;
  if (p.type === "sampled") return Math.max(Number(p.endValue) - Number(p.startValue), sum(p.weights)) * scale;
  const at = p.events.map((e: Json) => Number(e.at));
  return (Math.max(Number(p.endValue), ...at) - Math.min(Number(p.startValue), ...at)) * scale;
}

/** Per thread: the span its profile events state, in ms. */
function traceTotals(events: Json[]): number[] {
  const threads = new Map<string, { start?: number; end?: number; deltas: number; samples: number }>();
  for (const e of events) {
    if (!e || typeof e !== "object" || !["Profile", "ProfileChunk", "CpuProfile"].includes(e.name)) continue;
    const data = e.args?.data;
    if (!data) continue;
    const key = `${e.pid}/${e.id ?? `tid ${e.tid}`}`;
    const t = threads.get(key) ?? { deltas: 0, samples: 0 };
    threads.set(key, t);
    const cpu = e.name === "CpuProfile" ? data.cpuProfile : undefined;
    if (e.name === "Profile") t.start = data.startTime;
    if (e.name === "ProfileChunk") {
      t.deltas += sum(data.timeDeltas);
      t.samples += data.cpuProfile?.samples?.length ?? 0;
      if (typeof data.endTime === "number") t.end = data.endTime;
    }
    if (cpu) {
      t.start = cpu.startTime;
      t.end = cpu.endTime;
      t.deltas += sum(cpu.timeDeltas ?? data.timeDeltas);
      t.samples += cpu.samples?.length ?? 0;
    }
  }
  return [...threads.values()].filter((t) => t.samples > 0).map((t) => Math.max((t.end ?? 0) - (t.start ?? 0), t.deltas) / 1000);
}

const PPROF_MS: Record<string, number> = { nanoseconds: 1e-6, microseconds: 1e-3, milliseconds: 1, seconds: 1000 };

/** The sum of the file's time values: wall, else cpu, else the first timed type. */
function pprofTotal(bytes: Uint8Array): number {
  const p = PprofProfile.decode(bytes);
  const str = (i: unknown) => p.stringTable.strings[Number(i)]!;
  const types = p.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  let index = types.findIndex((t) => t.type === "wall" && t.unit in PPROF_MS);
  if (index === -1) index = types.findIndex((t) => t.type === "cpu" && t.unit in PPROF_MS);
  if (index === -1) index = types.findIndex((t) => t.unit in PPROF_MS);
  // A count of samples taken every `period` of a unit of time: the count times the period.
  const periodUnit = str(p.periodType?.unit);
  const counted = types.findIndex((t) => t.type === "samples" && t.unit === "count");
  if (index === -1 && counted !== -1 && periodUnit in PPROF_MS) {
    let n = 0;
    for (const s of p.sample) n += Number(s.value[counted] ?? 0);
    return n * Number(p.period) * PPROF_MS[periodUnit]!;
  }
  // No sample type at all: the one value is in the period's unit (as go tool pprof reads it).
  const unit = index === -1 ? periodUnit : types[index]!.unit;
  let total = 0;
  for (const s of p.sample) total += Number(s.value[Math.max(index, 0)] ?? 0);
  return total * PPROF_MS[unit]!;
}
