/**
 * Brings a `.cpuprofile` written by `bun --cpu-prof` to V8's conventions, so
 * the V8 importer reads it like Node's and Deno's. Idle time is the one thing
 * left to the importer: JavaScriptCore takes no sample while the thread
 * waits, so import Bun's profiles with `importV8CpuProfile(..., { idleGapsMs })`,
 * which turns long gaps between samples into idle time.
 *
 * - An async function is two nested nodes, the same function at two columns
 *   of its first line (wrapper and body): they are merged into one, and after
 *   an `await` the body alone is one frame with the wrapper.
 * - Bun before oven-sh/bun#29241 (2026) wrote one node per sampled line,
 *   with the line being executed as the node's position and no
 *   `positionTicks`: nodes of one named function in one file are merged, at
 *   the lowest line seen, and the lines become line ticks.
 * - Native functions carry made-up positions (`0:10`): they are dropped.
 * - Bun runs a CommonJS module inside a function of its own,
 *   `(function (exports, require, module, __filename, __dirname) {`, which
 *   it reports as an unnamed function at the module's 1:10: it is the
 *   module's top level, `(module)` at 1:1 as Bun names an ES module's.
 *
 * @module
 */
import { MODULE_FRAME_NAME } from "../format/types.ts";
import type { V8CallFrame, V8CpuProfile, V8ProfileNode } from "./v8_cpuprofile.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const V8_PSEUDO = new Set(["(program)", "(idle)", "(garbage collector)"]);
/** Where Bun reports the function it runs a CommonJS module in (0-based): after `(function `. */
const COMMONJS_WRAPPER_COLUMN = 9;

/**
 * True when a checked profile was written by Bun: it has none of V8's
 * pseudo-nodes, and either a `(module)` node or Bun's epoch-microsecond
 * clock (V8 uses a monotonic one, far below 10^15 µs).
 *
 * @example
 * ```ts
 * import { isBunCpuProfile } from "tsprof/import";
 * const root = { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1, columnNumber: -1 }, children: [2] };
 * const mod = { id: 2, callFrame: { functionName: "(module)", url: "/app/a.ts", lineNumber: 0, columnNumber: 0 } };
 * isBunCpuProfile({ nodes: [root, mod], startTime: 0, endTime: 1 }); // true: Bun names top-level code "(module)"
 * ```
 */
export function isBunCpuProfile(cpu: V8CpuProfile): boolean {
  let module = false;
  for (const n of cpu.nodes) {
    const cf = n.callFrame;
    if (cf.url === "" && V8_PSEUDO.has(cf.functionName)) return false;
    if (cf.functionName === "(module)" && cf.url !== "") module = true;
  }
  return module || cpu.startTime > 1e15;
}

/**
 * Returns the V8-shaped equivalent of a checked Bun profile (see the module
 * notes). Works without recursion on graphs of any depth.
 *
 * @example
 * ```ts
 * import { normalizeBunCpuProfile } from "tsprof/import";
 * // importV8CpuProfile(normalizeBunCpuProfile(checkCpuProfile(json)), "main", { idleGapsMs: 1 })
 * ```
 */
export function normalizeBunCpuProfile(cpu: V8CpuProfile): V8CpuProfile {
  const perLine = !cpu.nodes.some((n) => (n.positionTicks?.length ?? 0) > 0);
  const byId = new Map<number, V8ProfileNode>();
  const parentOf = new Map<number, number>();
  for (const n of cpu.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parentOf.set(c, n.id);
  }
  const root = cpu.nodes.find((n) => !parentOf.has(n.id))!;

  // Frames first: natives lose their positions; per-line nodes of a named
  // function share one position (its lowest line) and record their line.
  const lowest = new Map<string, V8CallFrame>();
  const fnKey = (cf: V8CallFrame) => `${cf.url}\u0000${cf.functionName}`;
  if (perLine) {
    for (const n of cpu.nodes) {
      const cf = n.callFrame;
      if (cf.url === "" || cf.functionName === "") continue;
      const seen = lowest.get(fnKey(cf));
      if (!seen || cf.lineNumber < seen.lineNumber || (cf.lineNumber === seen.lineNumber && cf.columnNumber < seen.columnNumber)) lowest.set(fnKey(cf), cf);
    }
  }
  // The async wrapper and body sit at two columns of one line: one frame, at the first.
  const firstCol = new Map<string, number>();
  const lineKey = (cf: V8CallFrame) => `${fnKey(cf)}\u0000${cf.lineNumber}`;
  for (const n of cpu.nodes) {
    const k = lineKey(n.callFrame);
    firstCol.set(k, Math.min(firstCol.get(k) ?? Infinity, n.callFrame.columnNumber));
  }
  const frameOf = (n: V8ProfileNode): V8CallFrame => {
    const cf = n.callFrame;
    // A builtin (JavaScriptCore's own code, `Promise`, an unnamed helper of its): the runtime's, wherever it was.
    if (cf.url === "") return { ...cf, lineNumber: -1, columnNumber: -1, scriptId: "0" };
    if (cf.functionName === "" && cf.lineNumber === 0 && cf.columnNumber === COMMONJS_WRAPPER_COLUMN) return { ...cf, functionName: MODULE_FRAME_NAME, columnNumber: 0 };
    if (perLine) return (cf.functionName !== "" && lowest.get(fnKey(cf))) || cf;
    return { ...cf, columnNumber: firstCol.get(lineKey(cf))! };
  };

  // Walk root-down; a node that continues its parent's function (an async
  // body under its wrapper) becomes an alias of the parent.
  const alias = new Map<number, number>();
  const out = new Map<number, Mutable<V8ProfileNode> & { children: number[] }>();
  out.set(root.id, { id: root.id, callFrame: root.callFrame, hitCount: 0, children: [] });
  alias.set(root.id, root.id);
  const todo = [...(root.children ?? [])].reverse();
  while (todo.length > 0) {
    const id = todo.pop()!;
    const n = byId.get(id);
    // The CLI hands Bun's own file over unchecked: never loop on a cycle.
    if (!n || alias.has(id)) continue;
    const parent = out.get(alias.get(parentOf.get(id)!)!)!;
    const pcf = byId.get(parent.id)!.callFrame;
    const cf = n.callFrame;
    const continues = !perLine && cf.url !== "" && cf.url === pcf.url && cf.functionName === pcf.functionName &&
      cf.lineNumber === pcf.lineNumber && cf.columnNumber !== pcf.columnNumber;
    if (continues) {
      alias.set(id, parent.id);
    } else {
      alias.set(id, id);
      out.set(id, { id, callFrame: frameOf(n), hitCount: 0, children: [] });
      parent.children.push(id);
    }
    const target = out.get(alias.get(id)!)!;
    const ticks = perLine && n.callFrame.url !== "" && (n.hitCount ?? 0) > 0 ? [{ line: n.callFrame.lineNumber + 1, ticks: n.hitCount! }] : n.positionTicks;
    if (ticks && ticks.length > 0) target.positionTicks = [...(target.positionTicks ?? []), ...ticks];
    for (let k = (n.children?.length ?? 0) - 1; k >= 0; k--) todo.push(n.children![k]!);
  }

  const samples = (cpu.samples ?? []).map((id) => alias.get(id) ?? id);
  const nodes: V8ProfileNode[] = [];
  for (const n of out.values()) {
    const node: Mutable<V8ProfileNode> = { id: n.id, callFrame: n.callFrame };
    if (n.children.length > 0) node.children = n.children;
    if (n.positionTicks) node.positionTicks = n.positionTicks;
    nodes.push(node);
  }
  return { nodes, startTime: cpu.startTime, endTime: cpu.endTime, samples, timeDeltas: cpu.timeDeltas ?? [] };
}

/** How far past a profile's end an exit time may lie and still be taken (µs): beyond, the clocks differ. */
const MAX_TAIL_US = 60_000_000;

/**
 * The profile made to end when the program ended, `endedAtMs` on Bun's clock
 * (the wall clock, ms since the epoch). Bun ends its profile at the last
 * sample: when the sampler thread got no CPU in the program's last
 * milliseconds (a loaded machine), that time was missing from the profile,
 * and a run measured at 950 ms showed a 0.46 s profile. The time added is the
 * last sample's gap, shared between its stack and idle like any other.
 *
 * @example
 * ```ts
 * import { endBunProfileAt } from "./bun_cpuprofile.ts";
 * const cpu = { nodes: [], startTime: 1.7e15, endTime: 1.7e15 + 500_000 };
 * endBunProfileAt(cpu, 1.7e12 + 600).endTime; // 1.7e15 + 600_000
 * ```
 */
export function endBunProfileAt(cpu: V8CpuProfile, endedAtMs: number | undefined): V8CpuProfile {
  if (endedAtMs === undefined || !Number.isFinite(endedAtMs)) return cpu;
  const end = endedAtMs * 1000;
  return end > cpu.endTime && end - cpu.endTime < MAX_TAIL_US ? { ...cpu, endTime: end } : cpu;
}
