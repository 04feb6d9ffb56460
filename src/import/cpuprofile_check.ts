/**
 * Checks a parsed `.cpuprofile` from any source before it is imported: every
 * field's type, node ids, the node graph (one root, one parent per node, no
 * cycles) and the sample table. Errors are `TypeError`/`RangeError` naming
 * the field, which `loadProfileFile` turns into one line about the file.
 *
 * @module
 */
import type { V8CallFrame, V8CpuProfile, V8ProfileNode } from "./v8_cpuprofile.ts";

/** True when `data` has the keys of a V8 CPU profile (it may still be broken). */
export function looksLikeCpuProfile(data: unknown): boolean {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return false;
  const o = data as Record<string, unknown>;
  return "nodes" in o && ("samples" in o || "timeDeltas" in o || "startTime" in o);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Returns the profile with every node's `children` filled in (Chrome trace
 * chunks give a `parent` instead), or throws naming what is wrong.
 *
 * @example
 * ```ts
 * import { checkCpuProfile } from "tsprof/import";
 * const root = { functionName: "(root)", url: "", lineNumber: -1, columnNumber: -1 };
 * checkCpuProfile({ nodes: [{ id: 1, callFrame: root }], startTime: 0, endTime: 0, samples: [], timeDeltas: [] });
 * ```
 */
export function checkCpuProfile(data: unknown, warnings: string[] = []): V8CpuProfile {
  const o = object(data, "the profile");
  if (!Array.isArray(o.nodes)) throw new TypeError(`"nodes" must be an array`);
  if (o.nodes.length === 0) throw new RangeError(`"nodes" is empty: the profile has no call tree`);
  const startTime = finite(o.startTime, "startTime");
  const endTime = finite(o.endTime, "endTime");

  const nodes: Mutable<V8ProfileNode>[] = [];
  const index = new Map<number, number>();
  for (let i = 0; i < o.nodes.length; i++) {
    const at = `nodes[${i}]`;
    const n = object(o.nodes[i], `"${at}"`);
    if (!Number.isSafeInteger(n.id)) throw new TypeError(`"${at}.id" must be an integer`);
    const id = n.id as number;
    if (index.has(id)) throw new RangeError(`"${at}.id" ${id} is used twice (also by nodes[${index.get(id)}])`);
    index.set(id, i);
    const node: Mutable<V8ProfileNode> = { id, callFrame: checkCallFrame(n.callFrame, `${at}.callFrame`) };
    if (n.hitCount !== undefined) {
      if (!Number.isSafeInteger(n.hitCount) || (n.hitCount as number) < 0) throw new RangeError(`"${at}.hitCount" must be an integer >= 0`);
      node.hitCount = n.hitCount as number;
    }
    if (n.positionTicks !== undefined) node.positionTicks = checkTicks(n.positionTicks, `${at}.positionTicks`);
    nodes.push(node);
  }

  // One parent per node, from `children` or `parent`. A reference to a node
  // that is not in the file (a trace that lost a chunk) is skipped, as
  // speedscope and DevTools do, and said in a warning.
  const parentOf = new Map<number, number>();
  const danglingChildren: unknown[] = [];
  const orphans: number[] = [];
  const setParent = (child: unknown, parent: number, at: string) => {
    if (!Number.isSafeInteger(child)) throw new TypeError(`"${at}" must be a node id`);
    if (!index.has(child as number)) return void danglingChildren.push(child);
    const c = child as number;
    if (c === parent) throw new RangeError(`"${at}": node ${c} is its own child (a cycle in the node graph)`);
    const before = parentOf.get(c);
    if (before !== undefined && before !== parent) throw new RangeError(`"${at}": node ${c} has two parents, ${before} and ${parent}`);
    parentOf.set(c, parent);
  };
  for (let i = 0; i < o.nodes.length; i++) {
    const n = o.nodes[i] as Record<string, unknown>;
    if (n.children !== undefined) {
      if (!Array.isArray(n.children)) throw new TypeError(`"nodes[${i}].children" must be an array`);
      for (let j = 0; j < n.children.length; j++) setParent(n.children[j], nodes[i]!.id, `nodes[${i}].children[${j}]`);
    }
    if (n.parent !== undefined) {
      if (!Number.isSafeInteger(n.parent)) throw new TypeError(`"nodes[${i}].parent" must be a node id`);
      if (index.has(n.parent as number)) setParent(nodes[i]!.id, n.parent as number, `nodes[${i}].parent`);
      else orphans.push(nodes[i]!.id);
    }
  }
  const orphaned = new Set(orphans.filter((id) => !parentOf.has(id)));
  const roots = nodes.filter((n) => !parentOf.has(n.id) && !orphaned.has(n.id));
  if (roots.length === 1) for (const id of orphaned) parentOf.set(id, roots[0]!.id);
  if (danglingChildren.length > 0) warnings.push(`${danglingChildren.length} child references name nodes that are not in the file (${list(danglingChildren)}): skipped`);
  if (orphaned.size > 0) warnings.push(`${orphaned.size} nodes name a parent that is not in the file (nodes ${list([...orphaned])}): shown under the root`);
  if (roots.length === 0) throw new RangeError(`"nodes" has no root: every node has a parent, so the node graph is a cycle`);
  if (roots.length > 1) throw new RangeError(`"nodes" has ${roots.length} roots (nodes ${roots.slice(0, 3).map((n) => n.id).join(", ")}${roots.length > 3 ? ", ..." : ""}); expected one`);

  // Children in file order, then a walk from the root: with one parent each,
  // a node the walk does not reach sits on a cycle.
  const children = new Map<number, number[]>();
  for (const n of nodes) {
    const p = parentOf.get(n.id);
    if (p === undefined) continue;
    let list = children.get(p);
    if (!list) children.set(p, (list = []));
    list.push(n.id);
  }
  const seen = new Set<number>([roots[0]!.id]);
  const todo = [roots[0]!.id];
  while (todo.length > 0) {
    for (const c of children.get(todo.pop()!) ?? []) {
      if (!seen.has(c)) {
        seen.add(c);
        todo.push(c);
      }
    }
  }
  if (seen.size < nodes.length) {
    const lost = nodes.find((n) => !seen.has(n.id))!;
    throw new RangeError(`"nodes[${index.get(lost.id)}]" (node ${lost.id}) is not reachable from the root: the node graph has a cycle`);
  }
  for (const n of nodes) {
    const list = children.get(n.id);
    if (list) n.children = list;
  }

  const samples = o.samples ?? [];
  if (!Array.isArray(samples)) throw new TypeError(`"samples" must be an array`);
  const lost: unknown[] = [];
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isSafeInteger(samples[i])) throw new TypeError(`"samples[${i}]" must be a node id`);
    if (!index.has(samples[i])) lost.push(samples[i]);
  }
  if (lost.length > 0) {
    // Their time stays in the total, at the root, where no function is charged.
    warnings.push(`${lost.length} samples name nodes that are not in the file (${list(lost)}): counted at the root`);
  }
  const timeDeltas = o.timeDeltas ?? [];
  if (!Array.isArray(timeDeltas)) throw new TypeError(`"timeDeltas" must be an array`);
  if (timeDeltas.length !== samples.length) throw new RangeError(`"timeDeltas" has ${timeDeltas.length} entries but "samples" has ${samples.length}`);
  // Negative deltas are tolerated (V8 writes them now and then; readers clamp
  // them), but not NaN, infinities or non-numbers.
  for (let i = 0; i < timeDeltas.length; i++) finite(timeDeltas[i], `timeDeltas[${i}]`);
  return { nodes, startTime, endTime, samples: samples as number[], timeDeltas: timeDeltas as number[] };
}

function checkCallFrame(v: unknown, at: string): V8CallFrame {
  const cf = object(v, `"${at}"`);
  if (typeof cf.functionName !== "string") throw new TypeError(`"${at}.functionName" must be a string`);
  if (typeof cf.url !== "string") throw new TypeError(`"${at}.url" must be a string`);
  for (const k of ["lineNumber", "columnNumber"]) {
    if (cf[k] === undefined) continue;
    if (!Number.isSafeInteger(cf[k]) || (cf[k] as number) < -1) throw new RangeError(`"${at}.${k}" must be an integer >= -1`);
  }
  const out: Mutable<V8CallFrame> = {
    functionName: cf.functionName,
    url: cf.url,
    lineNumber: (cf.lineNumber as number | undefined) ?? -1,
    columnNumber: (cf.columnNumber as number | undefined) ?? -1,
  };
  if (typeof cf.scriptId === "string" || typeof cf.scriptId === "number") out.scriptId = cf.scriptId;
  return out;
}

function checkTicks(v: unknown, at: string): { line: number; ticks: number }[] {
  if (!Array.isArray(v)) throw new TypeError(`"${at}" must be an array`);
  return v.map((t: unknown, i: number) => {
    const o = object(t, `"${at}[${i}]"`);
    if (!Number.isSafeInteger(o.line) || (o.line as number) < 0) throw new RangeError(`"${at}[${i}].line" must be an integer >= 0`);
    if (!Number.isSafeInteger(o.ticks) || (o.ticks as number) < 0) throw new RangeError(`"${at}[${i}].ticks" must be an integer >= 0`);
    return { line: o.line as number, ticks: o.ticks as number };
  });
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function finite(v: unknown, at: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`"${at}" must be a finite number`);
  return v;
}

/** The first few of a list of ids, for a warning. */
function list(ids: readonly unknown[]): string {
  const distinct = [...new Set(ids.map((x) => JSON.stringify(x)))];
  return distinct.length > 3 ? `${distinct.slice(0, 3).join(", ")}, ...` : distinct.join(", ");
}
