/**
 * The difference of two sessions: their call trees matched path by path and
 * their functions matched by name and file, each with the change in time
 * and how sure it is ({@linkcode assessChange}).
 *
 * A function is the same in both when its name, kind and file (as
 * `shortPath` shows it, so two checkouts in different folders match) are:
 * one that moved lines is the same function, one that was renamed is not.
 * Library frames fold as in the console tree: a frame a `[N frames
 * hidden]` line hides gives its time to the nearest frame shown. The
 * profiles of a session (threads, processes) are summed into one tree.
 *
 * @module
 */
import type { Frame, Session } from "../format/types.ts";
import { shortPath } from "../paths.ts";
import type { CallNode } from "../tree/call_tree.ts";
import { type ProcessOptions, processProfile } from "../tree/processors.ts";
import { assessChange, type Change, isSignificant, type NoiseModel } from "./significance.ts";
import { machineRatio } from "./machine_ratio.ts";
import { isAwaitFrame } from "../async/charge_awaits.ts";

/**
 * One call path in either profile, with its time in both.
 *
 * @example
 * ```ts
 * import type { DiffNode } from "./diff_tree.ts";
 * const isNew = (n: DiffNode) => n.change.base === 0 && n.change.head > 0;
 * ```
 */
export interface DiffNode {
  /** The head's frame where the path is in the head, else the base's. */
  readonly frame: Frame;
  /** Name, kind and file: what matches a function across profiles. */
  readonly key: string;
  /** Total time on this path in each profile and how it changed. */
  readonly change: Change;
  /** Own time (not in any child shown) in each profile and how it changed. */
  readonly self: Change;
  /** Callees, biggest change first. */
  readonly children: readonly DiffNode[];
}

/**
 * One function over the whole profile, in both.
 *
 * @example
 * ```ts
 * import type { FunctionDiff } from "./diff_tree.ts";
 * const grew = (f: FunctionDiff) => f.total.delta > 0;
 * ```
 */
export interface FunctionDiff {
  /** The head's frame where the function ran in the head, else the base's. */
  readonly frame: Frame;
  /** Name, kind and file. */
  readonly key: string;
  /** Time in the function itself. */
  readonly self: Change;
  /** Time with the function on the stack (recursion counted once). */
  readonly total: Change;
}

/** Facts about one side of a diff. */
export interface DiffSide {
  /** Runtime and version, e.g. `node 20.20.2`. */
  readonly runtime: string;
  /** Milliseconds of all its profiles' samples. */
  readonly totalMs: number;
  /** How many samples. */
  readonly samples: number;
  /**
   * Milliseconds a sample stands for, as the noise model counts them:
   * Σw² / Σw over the weights of the samples not idle. With even weights it is the
   * interval; where a busy machine stretched some samples, the long ones
   * count for more, as they should (a few long samples are less sure than
   * many short ones).
   */
  readonly sampleMs: number;
  /** CPU time over wall time (at most 1), where the profile says both: how much of the machine the run got. */
  readonly machine?: number;
  /** The command profiled, where known. */
  readonly command?: readonly string[];
  /** Working directory it was recorded in, where known. */
  readonly cwd?: string;
}

/**
 * Two sessions compared.
 *
 * @example
 * ```ts
 * import type { SessionDiff } from "./diff_tree.ts";
 * const slower = (d: SessionDiff) => d.root.change.delta > 0;
 * ```
 */
export interface SessionDiff {
  readonly base: DiffSide;
  readonly head: DiffSide;
  /** The relative run-to-run spread the noise model allowed for. */
  readonly noise: number;
  /** The synthetic root: the whole profile, its children the top-level calls. */
  readonly root: DiffNode;
  /** Every function, biggest change in self time first. */
  readonly functions: readonly FunctionDiff[];
}

/**
 * Options for {@linkcode diffSessions}: the pipeline's (what counts as
 * library code, `showAll`), plus the noise model's spread.
 *
 * @example
 * ```ts
 * import type { DiffOptions } from "./diff_tree.ts";
 * const options: DiffOptions = { noise: 0.2, hideRegex: /generated\// };
 * ```
 */
export interface DiffOptions extends ProcessOptions {
  /**
   * Relative run-to-run spread of a time beyond sampling (see
   * `significance.ts`): higher flags fewer changes.
   * @default {0.05}
   */
  noise?: number;
}

/** A path being built: times in both profiles, children by key. */
interface Building {
  frame: Frame;
  readonly key: string;
  base: number;
  head: number;
  readonly children: Map<string, Building>;
}

/**
 * Compares two sessions: the head's time on every call path and in every
 * function against the base's.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import type { Session } from "../format/types.ts";
 * import { diffSessions } from "./diff_tree.ts";
 * const session = (ms: number): Session => {
 *   const b = new ProfileBuilder("main");
 *   for (let i = 0; i < ms; i++) b.addSample([{ name: "work", file: "/app/a.ts", line: 1, kind: "js" }], 1);
 *   return { version: 1, meta: { runtime: "node", runtimeVersion: "20", intervalMs: 1, startTime: 0, durationMs: ms }, profiles: [b.build()] };
 * };
 * const diff = diffSessions(session(100), session(200));
 * diff.root.children[0]!.change.confidence; // "sure"
 * ```
 */
export function diffSessions(base: Session, head: Session, options: DiffOptions = {}): SessionDiff {
  const baseSide = side(base);
  const headSide = side(head);
  const root: Building = { frame: { name: "(root)", kind: "root" }, key: "(root)", base: 0, head: 0, children: new Map() };
  addSession(root, base, "base", options);
  addSession(root, head, "head", options);
  // The machine's share counts only where both runs know it.
  const share = baseSide.machine !== undefined && headSide.machine !== undefined ? { baseMachine: baseSide.machine, headMachine: headSide.machine } : {};
  const sampling = { baseSampleMs: baseSide.sampleMs, headSampleMs: headSide.sampleMs, noise: options.noise ?? 0.05 };
  const machine = machineRatio(ownTimes(root), sampling);
  const model: NoiseModel = { ...sampling, ...share, ...(machine ? { machine } : {}) };
  const tree = finishTree(root, model);
  return { base: baseSide, head: headSide, noise: model.noise!, root: tree, functions: functionDiffs(tree, model) };
}

function side(session: Session): DiffSide {
  let totalMs = 0;
  let codeMs = 0;
  let squares = 0;
  let samples = 0;
  for (const p of session.profiles) {
    samples += p.samples.length;
    for (let i = 0; i < p.samples.length; i++) {
      const w = p.weights[i]!;
      totalMs += w;
      // Idle and start-up stretches can be one long sample (Bun's gaps, `(module loading)`), and
      // so can a wait charged from one (`[await]`): they say nothing of how sure code time is.
      const s = p.samples[i]!;
      if (s < 0) continue;
      const leaf = p.frames[p.stacks.frame[s]!]!;
      if (unjudgedKind(leaf) || isAwaitFrame(leaf)) continue;
      codeMs += w;
      squares += w * w;
    }
  }
  const m = session.meta;
  return {
    runtime: `${m.runtime} ${m.runtimeVersion}`.trim(),
    totalMs,
    samples,
    sampleMs: codeMs > 0 ? squares / codeMs : m.intervalMs,
    // CPU time counts every thread (GC, the thread pool): past one core it says nothing of a starved main thread.
    ...(m.cpuTimeMs !== undefined && m.cpuTimeMs > 0 && m.durationMs > 0 ? { machine: Math.min(1, m.cpuTimeMs / m.durationMs) } : {}),
    ...(m.command ? { command: m.command } : {}),
    ...(m.cwd ? { cwd: m.cwd } : {}),
  };
}

/**
 * The key that matches a frame across profiles: kind, name and file, the
 * file as `shortPath` shows it (relative to the profile's folder, or the
 * package's path), never the line.
 *
 * @example
 * ```ts
 * import { frameMatchKey } from "./diff_tree.ts";
 * frameMatchKey({ name: "f", file: "/a/src/x.ts", line: 3, kind: "js" }, "/a") ===
 *   frameMatchKey({ name: "f", file: "file:///b/src/x.ts", line: 9, kind: "js" }, "/b"); // true
 * ```
 */
export function frameMatchKey(frame: Frame, cwd?: string): string {
  return `${frame.kind}\0${frame.name}\0${frame.file ? shortPath(frame.file, cwd) : ""}`;
}

/** Adds each profile's processed tree of `session` into `root` as one side's times. */
function addSession(root: Building, session: Session, which: "base" | "head", options: DiffOptions): void {
  const cwd = options.cwd ?? session.meta.cwd;
  const toolPaths = [...(options.toolPaths ?? []), ...(session.meta.toolPaths ?? [])];
  for (const profile of session.profiles) {
    const tree = processProfile(profile, { ...options, filterThreshold: 0, timeline: false, selfNodes: false, toolPaths, ...(cwd ? { cwd } : {}) });
    root[which] += tree.time;
    // Depth-first; a node its library group hides adds its callees to the nearest shown frame.
    const todo: [CallNode, Building][] = tree.children.map((c) => [c, root]);
    while (todo.length > 0) {
      const [node, parent] = todo.pop()!;
      let into = parent;
      if (!node.group?.hidden.has(node)) {
        const key = frameMatchKey(node.frame, cwd);
        let b = parent.children.get(key);
        if (!b) parent.children.set(key, (b = { frame: node.frame, key, base: 0, head: 0, children: new Map() }));
        // The head's frame names the path where both have it (its line is the current one).
        if (which === "head") b.frame = node.frame;
        b[which] += node.time;
        into = b;
      }
      for (const c of node.children) todo.push([c, into]);
    }
  }
}

/** Each function's own time in both runs, over all its paths: what the machine's factor is taken from (code only, no waits). */
function ownTimes(root: Building): { base: number; head: number }[] {
  const byKey = new Map<string, { base: number; head: number }>();
  const todo = [...root.children.values()];
  while (todo.length > 0) {
    const b = todo.pop()!;
    let base = b.base;
    let head = b.head;
    for (const c of b.children.values()) {
      base -= c.base;
      head -= c.head;
      todo.push(c);
    }
    if (unjudgedKind(b.frame) || isAwaitFrame(b.frame)) continue;
    const t = byKey.get(b.key) ?? { base: 0, head: 0 };
    t.base += clamp(base);
    t.head += clamp(head);
    byKey.set(b.key, t);
  }
  return [...byKey.values()];
}

/** The built paths as {@linkcode DiffNode}s, children biggest change first. */
function finishTree(root: Building, model: NoiseModel): DiffNode {
  // Post-order without recursion: children are made before their parent.
  const order: Building[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const b = todo.pop()!;
    order.push(b);
    for (const c of b.children.values()) todo.push(c);
  }
  const made = new Map<Building, DiffNode>();
  // The rest of a path is the rest of the code: waiting is the machine's and the network's as much as the code's.
  let idleBase = 0;
  let idleHead = 0;
  for (const c of root.children.values()) {
    if (!unjudgedKind(c.frame)) continue;
    idleBase += c.base;
    idleHead += c.head;
  }
  const rest = (b: number, h: number) => ({ base: root.base - idleBase - b, head: root.head - idleHead - h });
  const judge = (frame: Frame, b: number, h: number): Change => (unjudgedKind(frame) ? unjudged(b, h, model) : assessChange(b, h, model, rest(b, h)));
  for (let i = order.length - 1; i >= 0; i--) {
    const b = order[i]!;
    const children = [...b.children.values()].map((c) => made.get(c)!);
    children.sort(byChange);
    let baseSelf = b.base;
    let headSelf = b.head;
    for (const c of children) {
      baseSelf -= c.change.base;
      headSelf -= c.change.head;
    }
    made.set(b, {
      frame: b.frame,
      key: b.key,
      change: judge(b.frame, b.base, b.head),
      self: judge(b.frame, clamp(baseSelf), clamp(headSelf)),
      children,
    });
  }
  const top = made.get(root)!;
  // The whole run has no rest to compare with: the first test alone.
  return { ...top, change: assessChange(root.base, root.head, model), self: assessChange(top.self.base, top.self.head, model) };
}

/**
 * Time no code of the program decides, so no change of it is called
 * significant: idle (the network and the machine decide it), and the
 * runtime's own `(program)` and start-up stretches (`(module loading)`,
 * `(tsprof start-up)`), often one long sample that counts nothing, whose
 * length follows the machine's load and disk cache.
 */
function unjudgedKind(frame: Frame): boolean {
  return frame.kind === "idle" || frame.kind === "program";
}

/** A change shown but never called significant (see {@linkcode unjudgedKind}). */
function unjudged(base: number, head: number, model: NoiseModel): Change {
  return { ...assessChange(base, head, model), z: 0, p: 1, confidence: "noise" };
}

/** Floating-point sums may leave a hair below zero. */
function clamp(t: number): number {
  return t > 1e-9 ? t : 0;
}

/** Biggest absolute change first, then the bigger head, then by name (a stable order). */
function byChange(a: DiffNode, b: DiffNode): number {
  return Math.abs(b.change.delta) - Math.abs(a.change.delta) || b.change.head - a.change.head || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Per function: self time summed over its paths, total time counted once per path (recursion). */
function functionDiffs(root: DiffNode, model: NoiseModel): FunctionDiff[] {
  const idle = root.children.filter((c) => unjudgedKind(c.frame));
  const codeBase = root.change.base - idle.reduce((t, c) => t + c.change.base, 0);
  const codeHead = root.change.head - idle.reduce((t, c) => t + c.change.head, 0);
  const rest = (b: number, h: number) => ({ base: codeBase - b, head: codeHead - h });
  const rows = new Map<string, { frame: Frame; baseSelf: number; headSelf: number; baseTotal: number; headTotal: number }>();
  const onPath = new Map<string, number>();
  const todo: (DiffNode | { leave: string })[] = [...root.children];
  while (todo.length > 0) {
    const e = todo.pop()!;
    if ("leave" in e) {
      onPath.set(e.leave, onPath.get(e.leave)! - 1);
      continue;
    }
    let row = rows.get(e.key);
    if (!row) rows.set(e.key, (row = { frame: e.frame, baseSelf: 0, headSelf: 0, baseTotal: 0, headTotal: 0 }));
    if (e.change.head > 0) row.frame = e.frame;
    row.baseSelf += e.self.base;
    row.headSelf += e.self.head;
    const depth = onPath.get(e.key) ?? 0;
    if (depth === 0) {
      row.baseTotal += e.change.base;
      row.headTotal += e.change.head;
    }
    onPath.set(e.key, depth + 1);
    todo.push({ leave: e.key });
    for (const c of e.children) todo.push(c);
  }
  const out: FunctionDiff[] = [];
  for (const [key, r] of rows) {
    const judge = (b: number, h: number) => (unjudgedKind(r.frame) ? unjudged(b, h, model) : assessChange(b, h, model, rest(b, h)));
    out.push({ frame: r.frame, key, self: judge(r.baseSelf, r.headSelf), total: judge(r.baseTotal, r.headTotal) });
  }
  return out.sort((a, b) => Math.abs(b.self.delta) - Math.abs(a.self.delta) || b.self.head - a.self.head || (a.key < b.key ? -1 : 1));
}

/**
 * The paths to show: those whose change the data supports (or all, with
 * `all`), with the paths that lead to them, and none under `minShare` of
 * the larger total in both profiles. Returns a pruned copy.
 *
 * @example
 * ```ts
 * import { shownPaths, type DiffNode } from "./diff_tree.ts";
 * declare const root: DiffNode;
 * // shownPaths(root, { all: false, minShare: 0.01 }): only what changed for sure, with its callers
 * ```
 */
export function shownPaths(root: DiffNode, options: { all: boolean; minShare: number }): DiffNode {
  const floor = options.minShare * Math.max(root.change.base, root.change.head);
  const order: DiffNode[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const n = todo.pop()!;
    order.push(n);
    for (const c of n.children) if (Math.max(c.change.base, c.change.head) >= floor && !(c.change.base === 0 && c.change.head === 0)) todo.push(c);
  }
  const kept = new Map<DiffNode, DiffNode>();
  for (let i = order.length - 1; i >= 1; i--) {
    const n = order[i]!;
    const children = n.children.filter((c) => kept.has(c)).map((c) => kept.get(c)!);
    if (options.all || children.length > 0 || isSignificant(n.change) || isSignificant(n.self)) kept.set(n, { ...n, children });
  }
  return { ...root, children: root.children.filter((c) => kept.has(c)).map((c) => kept.get(c)!) };
}

/**
 * The paths whose own change is significant, biggest first: what a short
 * report lists as "the biggest changes".
 *
 * @example
 * ```ts
 * import { biggestChanges, type DiffNode } from "./diff_tree.ts";
 * declare const root: DiffNode;
 * // biggestChanges(root, 5): [{ path: [main, parse], node, change }, ...] (change: own time where that changed)
 * ```
 */
export function biggestChanges(root: DiffNode, limit: number): { path: DiffNode[]; node: DiffNode; change: Change }[] {
  const found: { path: DiffNode[]; node: DiffNode; change: Change }[] = [];
  const todo: [DiffNode, DiffNode[]][] = root.children.map((c) => [c, [c]]);
  while (todo.length > 0) {
    const [n, path] = todo.pop()!;
    // A path whose callees explain its change adds nothing: report where the time changed.
    if (isSignificant(n.self)) found.push({ path, node: n, change: n.self });
    else if (isSignificant(n.change) && !n.children.some((c) => isSignificant(c.change))) found.push({ path, node: n, change: n.change });
    for (const c of n.children) todo.push([c, [...path, c]]);
  }
  found.sort((a, b) => Math.abs(b.change.delta) - Math.abs(a.change.delta));
  return found.slice(0, limit);
}
