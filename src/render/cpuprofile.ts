/**
 * Writes a profile as a Chrome/V8 `.cpuprofile` (the DevTools protocol's
 * `Profiler.Profile`): what Chrome DevTools, VS Code, speedscope and most
 * JS tooling open.
 *
 * A `.cpuprofile` holds one thread, so the session's first (main) profile is
 * written. Each interned stack becomes one node; V8's pseudo-frames keep
 * their V8 names under the root; an empty stack is a sample of the root node.
 * Positions go back to V8's 0-based convention, paths to `file://` URLs.
 *
 * @module
 */
import { ProfileBuilder } from "../format/builder.ts";
import type { Frame, Profile, Session } from "../format/types.ts";
import { TSPROF_CPU_PROFILE_KEY, type TsprofCpuProfileNote, type V8CallFrame, type V8CpuProfile, type V8ProfileNode } from "../import/v8_cpuprofile.ts";

/**
 * A file path as the URL V8 would report for it: absolute paths become
 * `file://` URLs; URLs and runtime specifiers (`node:fs`) stay as they are.
 */
export function fileToUrl(file: string): string {
  const encode = (path: string) => path.split("/").map(encodeURIComponent).join("/");
  if (file.startsWith("/")) return `file://${encode(file)}`;
  if (/^[A-Za-z]:[\\/]/.test(file)) return `file:///${file.slice(0, 2)}${encode(file.slice(2).replace(/\\/g, "/"))}`;
  return file;
}

function callFrame(frame: Frame, scriptIds: Map<string, string>): V8CallFrame {
  const url = frame.file === undefined ? "" : fileToUrl(frame.file);
  let scriptId = "0";
  if (url !== "") {
    scriptId = scriptIds.get(url) ?? String(scriptIds.size + 1);
    scriptIds.set(url, scriptId);
  }
  return {
    functionName: frame.kind === "js" && frame.name === "(anonymous)" ? "" : frame.name,
    scriptId,
    url,
    lineNumber: frame.line === undefined ? -1 : frame.line - 1,
    columnNumber: frame.col === undefined ? -1 : frame.col - 1,
  };
}

/**
 * Spreads `total` ticks over lines in proportion to their time, in whole
 * ticks that add up to `total` (largest remainder first).
 */
function lineTicks(lines: ReadonlyMap<number, number>, total: number): { line: number; ticks: number }[] {
  let ms = 0;
  for (const v of lines.values()) ms += v;
  if (!(ms > 0) || total <= 0) return [];
  const shares = [...lines].map(([line, v]) => ({ line, exact: (v / ms) * total }));
  const out = shares.map((s) => ({ line: s.line, ticks: Math.floor(s.exact) }));
  let left = total - out.reduce((a, b) => a + b.ticks, 0);
  const order = shares.map((s, i) => [s.exact - Math.floor(s.exact), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0 && k < order.length; k++, left--) out[order[k]![1]]!.ticks++;
  return out.filter((t) => t.ticks > 0).sort((a, b) => a.line - b.line);
}

/**
 * Converts one profile to a V8 CPU profile object. Sample `i` is stamped at
 * the sum of the weights before it (in whole microseconds, rounded on the
 * running sum so that no drift adds up), and `endTime` closes the last one:
 * a V8 reader that weighs each sample until the next gets the weights back.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { profileToCpuProfile } from "tsprof/render";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "main", file: "/app/a.js", line: 1, col: 1, kind: "js" }], 2);
 * const cpu = profileToCpuProfile(b.build());
 * // cpu.nodes[1].callFrame: { functionName: "main", url: "file:///app/a.js", lineNumber: 0, ... }
 * ```
 */
export function profileToCpuProfile(profile: Profile, startTimeUs = 0): V8CpuProfile {
  const { stacks, frames } = profile;
  const scriptIds = new Map<string, string>();
  const frameCalls = frames.map((f) => callFrame(f, scriptIds));
  // Node 1 is the root; stack s is node s + 2. Stacks are interned
  // parent-first, but order them anyway for foreign files.
  const nodes: { id: number; callFrame: V8CallFrame; hitCount: number; children: number[]; positionTicks?: { line: number; ticks: number }[] }[] = [
    { id: 1, callFrame: { functionName: "(root)", scriptId: "0", url: "", lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [] },
  ];
  for (let s = 0; s < stacks.length; s++) {
    nodes.push({ id: s + 2, callFrame: frameCalls[stacks.frame[s]!]!, hitCount: 0, children: [] });
  }
  for (let s = 0; s < stacks.length; s++) nodes[stacks.parent[s]! + 1]!.children.push(s + 2);

  const samples: number[] = new Array(profile.samples.length);
  const timeDeltas: number[] = new Array(profile.samples.length);
  let sum = 0;
  let prevUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = profile.samples[i]! + 2;
    samples[i] = node;
    nodes[node - 1]!.hitCount++;
    const atUs = Math.round(sum * 1000);
    timeDeltas[i] = atUs - prevUs;
    prevUs = atUs;
    sum += profile.weights[i]!;
  }
  if (profile.lines) {
    for (let s = 0; s < stacks.length; s++) {
      const node = nodes[s + 1]!;
      const lines = profile.lines.get(stacks.frame[s]!);
      if (lines && node.hitCount > 0) {
        const ticks = lineTicks(lines, node.hitCount);
        if (ticks.length > 0) node.positionTicks = ticks;
      }
    }
  }
  const out: V8ProfileNode[] = nodes.map((n) => {
    const node: { -readonly [K in keyof V8ProfileNode]: V8ProfileNode[K] } = { id: n.id, callFrame: n.callFrame, hitCount: n.hitCount };
    if (n.children.length > 0) node.children = n.children;
    if (n.positionTicks) node.positionTicks = n.positionTicks;
    return node;
  });
  return { nodes: out, startTime: startTimeUs, endTime: startTimeUs + Math.round(sum * 1000), samples, timeDeltas };
}

/**
 * Renders a session's main profile as `.cpuprofile` JSON text.
 *
 * @example
 * ```ts
 * import { renderCpuProfile } from "tsprof/render";
 * // Deno.writeTextFileSync("run.cpuprofile", renderCpuProfile(session));
 * ```
 */
export function renderCpuProfile(session: Session): string {
  const main = session.profiles[0];
  const { runtime, runtimeVersion, intervalMs } = session.meta;
  const note: TsprofCpuProfileNote = { runtime, runtimeVersion, intervalMs };
  // A session with no profile is written as one with no sample: the root alone.
  // V8 stamps times on a monotonic clock; tsprof's own files start at 0, which no reader cares about.
  return JSON.stringify({ ...profileToCpuProfile(main ?? new ProfileBuilder("main").build(), 0), [TSPROF_CPU_PROFILE_KEY]: note });
}
