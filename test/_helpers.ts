/**
 * Shared test helpers: hand-built profiles and tree checks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ProfileBuilder } from "../src/format/builder.ts";
import type { Frame, Profile, Session } from "../src/format/types.ts";
import { type CallNode, walk } from "../src/tree/call_tree.ts";

const frames = new Map<string, Frame>();

/**
 * A frame from a short spec: `"name"` (app code in /app/app.ts),
 * `"name@/path/file.ts:3"`, or a pseudo-frame name like `"(idle)"`.
 */
export function f(spec: string): Frame {
  let frame = frames.get(spec);
  if (frame) return frame;
  if (spec === "(idle)") frame = { name: spec, kind: "idle" };
  else if (spec === "(garbage collector)") frame = { name: spec, kind: "gc" };
  else if (spec.endsWith("@")) frame = { name: spec.slice(0, -1), kind: "native" };
  else {
    const at = spec.indexOf("@");
    const name = at === -1 ? spec : spec.slice(0, at);
    const where = at === -1 ? undefined : spec.slice(at + 1);
    const m = where ? /^(.*?)(?::(\d+))?$/.exec(where)! : undefined;
    frame = { name, file: m ? m[1]! : "/app/app.ts", line: m?.[2] ? Number(m[2]) : 1, col: 1, kind: "js" };
  }
  frames.set(spec, frame);
  return frame;
}

/** A profile from `[stack, ms]` pairs; a stack is `"a;b;c"`, outermost first. */
export function profileOf(samples: readonly [string, number][], name = "main"): Profile {
  const b = new ProfileBuilder(name);
  for (const [stack, ms] of samples) b.addSample(stack === "" ? [] : stack.split(";").map(f), ms);
  return b.build();
}

/** A session around profiles. */
export function sessionOf(...profiles: Profile[]): Session {
  let total = 0;
  for (const p of profiles) for (const w of p.weights) total += w;
  return {
    version: 1,
    meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: Date.UTC(2026, 0, 1), durationMs: total, cwd: "/app", command: ["app.ts"] },
    profiles,
  };
}

/**
 * Asserts the tree invariants every processor keeps: children add up to no
 * more than their parent, every node but the root has time, `[self]` leaves
 * are leaves and never under the root, siblings of an aggregated tree have
 * distinct frames, and library groups are consistent (each member's group
 * root is itself or an ancestor in the same group; the root is never hidden;
 * hidden nodes are members). There are no parent links to check.
 */
export function assertValidTree(root: CallNode, options: { timeline?: boolean } = {}): void {
  const path: CallNode[] = [];
  walk(root, (node, depth) => {
    path.length = depth;
    path.push(node);
    let sum = 0;
    const seen = new Set<Frame>();
    for (const c of node.children) {
      sum += c.time;
      if (!options.timeline) {
        assert.ok(!seen.has(c.frame), `${node.frame.name} has two children "${c.frame.name}" in an aggregated tree`);
        seen.add(c.frame);
      }
      if (node === root) assert.ok(c.frame.kind !== "self", "a [self] leaf under the root");
    }
    assert.ok(sum <= node.time + 1e-6, `children of ${node.frame.name} (${sum}) exceed its time (${node.time})`);
    assert.ok(node.time > 0 || node.frame.kind === "root", `${node.frame.name} has no time`);
    if (node.frame.kind === "self") assert.equal(node.children.length, 0, "a [self] leaf has children");
    const g = node.group;
    if (g) {
      assert.ok(path.includes(g.root), `${node.frame.name}: its group root is not on its path`);
      for (let i = path.indexOf(g.root); i < path.length; i++) assert.equal(path[i]!.group, g, `${node.frame.name}: the group is broken between it and its root`);
      assert.ok(!g.hidden.has(g.root), "a group root is hidden");
      assert.ok(g.hidden.size <= g.count, "a group hides more nodes than it has");
    }
  });
}

/** The tree as `name:time` lines, with `{group}`/`{hidden}` marks, for snapshots of a whole tree. */
export function snapshot(root: CallNode): string {
  const lines: string[] = [];
  walk(root, (node, depth) => {
    const g = node.group;
    const mark = g ? (g.root === node ? ` {group ${g.count}/${g.hidden.size} ${g.libraries.join(",")}}` : g.hidden.has(node) ? " {hidden}" : " {in group}") : "";
    lines.push(`${"  ".repeat(depth)}${node.frame.name}:${node.time}${mark}`);
  });
  return lines.join("\n");
}

/** The tree as `name:time` lines with indentation, for readable asserts. */
export function dump(root: CallNode): string {
  const lines: string[] = [];
  walk(root, (node, depth) => {
    if (depth > 0) lines.push(`${"  ".repeat(depth - 1)}${node.frame.name}:${+node.time.toFixed(3)}`);
  });
  return lines.join("\n");
}

/**
 * A session of 1 ms samples, as a sampler records them: `count` samples on
 * each stack (frames outermost first), so that sample counts are real.
 */
export function sessionOfCounts(stacks: readonly [readonly Frame[], number][], meta: Partial<Session["meta"]> = {}): Session {
  const b = new ProfileBuilder("main");
  let ms = 0;
  for (const [stack, count] of stacks) {
    for (let i = 0; i < count; i++) b.addSample(stack, 1);
    ms += count;
  }
  return { version: 1, meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: ms, cwd: "/app", ...meta }, profiles: [b.build()] };
}
