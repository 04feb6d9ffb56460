/**
 * Writes a session as a pprof profile (gzipped protobuf), for `go tool
 * pprof`, Pyroscope, Grafana, Parca and the like, with the `pprof-format`
 * library for the encoding. Two sample types: `samples/count` and
 * `wall/nanoseconds` (the default); each profile's samples carry its name
 * as the label `thread`. Identical stacks of a profile are one sample.
 *
 * @module
 */
import { gzipSync } from "fflate";
import { Profile as PprofProfile, StringTable, type FunctionInput, type LocationInput, type SampleInput } from "pprof-format";
import type { Session } from "../format/types.ts";

/**
 * Renders a session as gzipped pprof bytes.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderPprof } from "./pprof.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.ts", line: 1, kind: "js" }], 5);
 * const bytes = renderPprof({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 5 },
 *   profiles: [b.build()],
 * });
 * // bytes[0] === 0x1f: gzip
 * ```
 */
export function renderPprof(session: Session): Uint8Array {
  const strings = new StringTable();
  const functions: FunctionInput[] = [];
  const locations: LocationInput[] = [];
  const functionIds = new Map<string, number>();
  const locationIds = new Map<string, number>();
  const locationOf = (name: string, file: string | undefined, line: number | undefined): number => {
    const fkey = `${name}\u0000${file ?? ""}\u0000${line ?? 0}`;
    let fid = functionIds.get(fkey);
    if (fid === undefined) {
      fid = functions.length + 1;
      functionIds.set(fkey, fid);
      functions.push({ id: fid, name: strings.dedup(name), systemName: strings.dedup(name), filename: strings.dedup(file ?? ""), startLine: line ?? 0 });
    }
    let lid = locationIds.get(fkey);
    if (lid === undefined) {
      lid = locations.length + 1;
      locationIds.set(fkey, lid);
      locations.push({ id: lid, line: [{ functionId: fid, line: line ?? 0 }] });
    }
    return lid;
  };
  const threadKey = strings.dedup("thread");
  const samples: SampleInput[] = [];
  for (const profile of session.profiles) {
    const { frame, parent } = profile.stacks;
    // Time and count per stack, then one sample per stack.
    const ns = new Float64Array(profile.stacks.length + 1);
    const count = new Float64Array(profile.stacks.length + 1);
    for (let i = 0; i < profile.samples.length; i++) {
      const s = profile.samples[i]! + 1;
      ns[s]! += profile.weights[i]! * 1e6;
      count[s]! += 1;
    }
    const locs = new Map<number, number>();
    const label = [{ key: threadKey, str: strings.dedup(profile.name) }];
    for (let s = 0; s < ns.length; s++) {
      if (count[s] === 0) continue;
      const ids: number[] = [];
      for (let at = s - 1; at !== -1; at = parent[at]!) {
        let lid = locs.get(frame[at]!);
        if (lid === undefined) {
          const f = profile.frames[frame[at]!]!;
          lid = locationOf(f.name, f.file, f.line);
          locs.set(frame[at]!, lid);
        }
        ids.push(lid);
      }
      samples.push({ locationId: ids, value: [count[s]!, Math.round(ns[s]!)], label });
    }
  }
  const wall = { type: strings.dedup("wall"), unit: strings.dedup("nanoseconds") };
  const pprof = new PprofProfile({
    sampleType: [{ type: strings.dedup("samples"), unit: strings.dedup("count") }, wall],
    sample: samples,
    location: locations,
    function: functions,
    stringTable: strings,
    timeNanos: nanos(session.meta.startTime),
    durationNanos: nanos(session.meta.durationMs),
    periodType: wall,
    period: nanos(session.meta.intervalMs),
    defaultSampleType: wall.type,
    // Read back by tsprof's importer: the runtime, and the folder paths are shown relative to (and diffs match by).
    comment: [
      strings.dedup(`tsprof: ${session.meta.runtime} ${session.meta.runtimeVersion}`.trim()),
      ...(session.meta.cwd ? [strings.dedup(`tsprof-cwd: ${session.meta.cwd}`)] : []),
    ],
  });
  return gzipSync(pprof.encode(), { level: 6 });
}

/** Milliseconds as whole nanoseconds; 0 for what no int64 holds (a broken time field). */
function nanos(ms: number): bigint {
  const ns = Math.round(ms * 1e6);
  return Number.isFinite(ns) && Math.abs(ns) < 2 ** 63 ? BigInt(ns) : 0n;
}
