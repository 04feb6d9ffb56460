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

/** Asserts the tree invariants: no negative self time, no empty nodes. */
export function assertValidTree(root: CallNode): void {
  walk(root, (node) => {
    let sum = 0;
    for (const c of node.children) sum += c.time;
    assert.ok(sum <= node.time + 1e-6, `children of ${node.frame.name} (${sum}) exceed its time (${node.time})`);
    assert.ok(node.time > 0 || node.frame.kind === "root", `${node.frame.name} has no time`);
  });
}

/** The tree as `name:time` lines with indentation, for readable asserts. */
export function dump(root: CallNode): string {
  const lines: string[] = [];
  walk(root, (node, depth) => {
    if (depth > 0) lines.push(`${"  ".repeat(depth - 1)}${node.frame.name}:${+node.time.toFixed(3)}`);
  });
  return lines.join("\n");
}
