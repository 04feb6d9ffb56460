/**
 * Reads the `.cpuprofile` that Chrome and Node wrote before 2016 (and that
 * some tools still write): a `head` call tree instead of a `nodes` list,
 * times in seconds, and absolute `timestamps` instead of `timeDeltas`. It is
 * brought to today's form, which the V8 importer then reads.
 *
 * @module
 */

/**
 * True when `data` has the shape of a legacy `.cpuprofile`: a `head` node
 * with `children`, and `startTime`/`endTime`.
 *
 * @example
 * ```ts
 * import { isLegacyCpuProfile } from "./legacy_cpuprofile.ts";
 * isLegacyCpuProfile({ head: { functionName: "(root)", children: [] }, startTime: 1, endTime: 2 }); // true
 * isLegacyCpuProfile({ nodes: [] }); // false
 * ```
 */
export function isLegacyCpuProfile(data: unknown): boolean {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return false;
  const o = data as Record<string, unknown>;
  const head = o.head as Record<string, unknown> | undefined;
  return typeof head === "object" && head !== null && "functionName" in head && "startTime" in o && "endTime" in o;
}

/**
 * Converts a legacy `.cpuprofile` to today's shape (`nodes`, microseconds,
 * `timeDeltas`); fields it cannot make sense of are passed on as they are,
 * for `checkCpuProfile` to name.
 *
 * @example
 * ```ts
 * import { modernCpuProfile } from "./legacy_cpuprofile.ts";
 * const modern = modernCpuProfile({
 *   head: { functionName: "(root)", url: "", lineNumber: 0, id: 1, children: [{ functionName: "main", url: "", lineNumber: 3, id: 2, children: [] }] },
 *   startTime: 1.0001, endTime: 1.002, samples: [2, 2], timestamps: [1000500, 1001500],
 * }) as { timeDeltas: number[] };
 * modern.timeDeltas; // [400, 1000]
 * ```
 */
export function modernCpuProfile(data: Record<string, unknown>): unknown {
  const nodes: unknown[] = [];
  const todo: unknown[] = [data.head];
  while (todo.length > 0) {
    const n = todo.pop();
    if (typeof n !== "object" || n === null) {
      nodes.push(n);
      continue;
    }
    const node = n as Record<string, unknown>;
    const kids = Array.isArray(node.children) ? node.children : [];
    nodes.push({
      id: node.id,
      callFrame: {
        functionName: node.functionName,
        url: node.url ?? "",
        lineNumber: node.lineNumber ?? -1,
        columnNumber: node.columnNumber ?? -1,
        scriptId: node.scriptId ?? 0,
      },
      ...(node.hitCount !== undefined ? { hitCount: node.hitCount } : {}),
      children: kids.map((k) => (typeof k === "object" && k !== null ? (k as { id?: unknown }).id : k)),
    });
    for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]);
  }
  const seconds = (v: unknown) => (typeof v === "number" ? v * 1e6 : v);
  let startTime = seconds(data.startTime);
  let endTime = seconds(data.endTime);
  const samples = Array.isArray(data.samples) ? data.samples : [];
  let timeDeltas: unknown[];
  const ts = Array.isArray(data.timestamps) ? data.timestamps : undefined;
  if (ts && ts.length >= samples.length && samples.length > 0 && ts.every((t) => typeof t === "number")) {
    // Absolute microseconds. Some writers cut the start and end to whole
    // seconds, and add the end as one more timestamp: the timestamps then
    // say best when it started and ended.
    const times = ts as number[];
    if (typeof startTime !== "number" || Number.isInteger(data.startTime) || startTime > times[0]!) startTime = times[0]!;
    const last = times[times.length - 1]!;
    if (typeof endTime !== "number" || Number.isInteger(data.endTime) || endTime < last) endTime = last;
    const start: number = startTime as number;
    timeDeltas = samples.map((_, i) => times[i]! - (i === 0 ? start : times[i - 1]!));
  } else {
    // No sample times: spread the samples evenly over the recording.
    const span = typeof startTime === "number" && typeof endTime === "number" ? endTime - startTime : 0;
    timeDeltas = samples.map(() => (samples.length > 0 ? span / samples.length : 0));
  }
  return { nodes, startTime, endTime, samples, timeDeltas };
}
