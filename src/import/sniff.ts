/**
 * Names what a file looks like when tsprof cannot read it, so that the one
 * line a user gets says what they gave it ("a Firefox Profiler file") and
 * what would work instead, not only that it failed.
 *
 * @module
 */

/** What tsprof reads, for the end of every such message. */
export const READABLE_FORMATS = "tsprof reads tsprof sessions, speedscope files, .cpuprofile files, Chrome traces and pprof profiles";

/**
 * What a parsed JSON file that no importer took looks like, if tsprof knows.
 *
 * @example
 * ```ts
 * import { describeJson } from "./sniff.ts";
 * describeJson({ meta: {}, threads: [] }); // "a Firefox Profiler file: open it at profiler.firefox.com"
 * describeJson({ a: 1 }); // undefined
 * ```
 */
export function describeJson(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  const o = data as Record<string, unknown>;
  const has = (v: unknown, ...keys: string[]) => typeof v === "object" && v !== null && keys.every((k) => k in v);
  if (has(o, "meta", "threads") || has(o.profile, "meta", "threads")) return "a Firefox Profiler file: open it at profiler.firefox.com";
  if (has(o.head, "callFrame", "selfSize")) return "a V8 heap profile (.heapprofile): memory, not time";
  if (has(o, "recording", "version")) return "a Safari timeline recording";
  if (has(o, "mode", "frames", "interval")) return "a Ruby stackprof file";
  if (has(o, "program", "total_ticks")) return "a GHC (Haskell) JSON profile";
  if (has(o, "$schema", "profiles")) return "a file claiming an unknown speedscope schema";
  return undefined;
}

/**
 * What a text or binary file that is not JSON looks like, if tsprof knows.
 *
 * @example
 * ```ts
 * import { describeBytes } from "./sniff.ts";
 * describeBytes(new TextEncoder().encode("main;work 12\nmain 3\n")); // "collapsed stacks (flamegraph.pl input), whose counts have no unit of time"
 * ```
 */
export function describeBytes(bytes: Uint8Array): string | undefined {
  const b = bytes;
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return "a zip archive (an Instruments .trace?): unzip it first";
  if (b[0] === 0x46 && b[1] === 0x4c && b[2] === 0x52 && b[3] === 0) return "a Java Flight Recorder file";
  // gperftools' legacy CPU profile: a header of words 0, 3, 0 (64- or 32-bit).
  const words32 = b.length >= 16 ? new DataView(b.buffer, b.byteOffset, 16) : undefined;
  if (words32 && words32.getUint32(0, true) === 0 && (words32.getUint32(8, true) === 3 || words32.getUint32(4, true) === 3)) {
    return "a legacy gperftools/Go CPU profile: `go tool pprof -proto FILE > FILE.pb.gz` turns it into a pprof profile";
  }
  const head = new TextDecoder("utf-8", { fatal: false }).decode(b.subarray(0, 4096));
  if (/^v8-version,/.test(head)) return "a V8 tick log (node --prof): record with --cpu-prof for a .cpuprofile";
  if (/^(heap|threadcreate|goroutine|growth) profile:|^--- contention/m.test(head)) return "a legacy pprof text profile (memory, threads or contention, not time)";
  if (/^# callgrind format|^events: /m.test(head)) return "a callgrind file";
  if (/^(Weight|Running Time)\s+Self/.test(head)) return "an Instruments deep copy";
  if (/^\S.*?\s+\d+(?:\/\d+)?\s+(?:\[\d+\]\s+)?\d+\.\d+:\s/m.test(head) && /^\s+[0-9a-f]+ .+$/m.test(head)) return "a perf script: `perf script | stackcollapse-perf.pl` gives collapsed stacks";
  if (/^@ \S+ \[\d+ samples\]/m.test(head)) return "a pmcstat call graph";
  // tsprof's own reports are views of a profile, not one to read back: that is kept with -o x.tsprof.
  const keep = "to view a profile again, keep it with -o out.tsprof";
  if (/^\s*(?:<!doctype html|<html)/i.test(head)) return /tsprof/.test(head) ? `tsprof's HTML report: open it in a browser; ${keep}` : "an HTML page";
  if (/^### tsprof: /.test(head)) return `tsprof's Markdown summary, not a profile; ${keep}`;
  if (/^tsprof(?: \S+)?\s+(?:Recorded: \S+\s+)?Samples: \d+/.test(head)) return `tsprof's console report, not a profile; ${keep}`;
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== "");
  // The last line may be cut short by the 4096 bytes looked at.
  const whole = b.length > 4096 ? lines.slice(0, -1) : lines;
  if (whole.length > 0 && whole.every((l) => /^\S.* \d+$/.test(l))) return "collapsed stacks (flamegraph.pl input), whose counts have no unit of time";
  return undefined;
}
