/**
 * Helpers for the format tests: the committed fixtures, per-function totals
 * and a tree comparison that tolerates rounding.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { frameKey } from "../src/format/builder.ts";
import type { Profile, Session } from "../src/format/types.ts";
import { loadProfileFile } from "../src/import/load.ts";
import { buildCallTree, type CallNode } from "../src/tree/call_tree.ts";
import { ROOT } from "./_cli.ts";

/** The folder of format fixtures (see its generate.mjs). */
export const FORMATS: string = join(ROOT, "test/fixtures/formats");

/** Fixture files written by a real tool on this machine, by what wrote them. */
export const FIXTURES = {
  "node --cpu-prof (Node 20)": "node20.cpuprofile",
  "node --cpu-prof (Node 24)": "node24.cpuprofile",
  "deno run --cpu-prof": "deno.cpuprofile",
  "bun --cpu-prof": "bun.cpuprofile",
  "Chromium (DevTools protocol)": "chrome.cpuprofile",
  "Chromium trace (Tracing domain, JavaScript sampler)": "chrome-trace.json",
  "speedscope's export (evented)": "speedscope-evented.speedscope.json",
  "speedscope's export, gzipped": "speedscope-evented.speedscope.json.gz",
  "tsprof -r speedscope (sampled)": "tsprof.speedscope.json",
  "tsprof -r json": "tsprof.json",
  "tsprof session (.tsprof)": "tsprof.tsprof",
} as const;

/** The bytes of a fixture. */
export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(join(FORMATS, name));
}

/** A fixture, loaded as tsprof loads any file. */
export function loadFixture(name: string): Session {
  return loadProfileFile(fixtureBytes(name), name);
}

/** Text as bytes. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Total ms per function name, each sample counted once per function on its stack (speedscope's Sandwich "Total"). */
export function functionTotals(profile: Profile): Map<string, number> {
  const out = new Map<string, number>();
  const names = new Set<string>();
  for (let i = 0; i < profile.samples.length; i++) {
    names.clear();
    for (let s = profile.samples[i]!; s !== -1; s = profile.stacks.parent[s]!) names.add(profile.frames[profile.stacks.frame[s]!]!.name);
    for (const n of names) out.set(n, (out.get(n) ?? 0) + profile.weights[i]!);
  }
  return out;
}

/** Sum of the weights of samples whose leaf is an `[await]` frame: waiting charged to an await. */
export function awaitTotal(profile: Profile): number {
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    if (s !== -1 && profile.frames[profile.stacks.frame[s]!]!.name.startsWith("[await]")) t += profile.weights[i]!;
  }
  return t;
}

/** Sum of the weights of samples with no stack or an idle leaf. */
export function idleTotal(profile: Profile): number {
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    if (s === -1 || profile.frames[profile.stacks.frame[s]!]!.kind === "idle") t += profile.weights[i]!;
  }
  return t;
}

/** Sum of a profile's weights. */
export function total(profile: Profile): number {
  let t = 0;
  for (const w of profile.weights) t += w;
  return t;
}

/**
 * Asserts two profiles have the same call tree (frames by name, file, line,
 * column and kind) with times equal within `tolerance` ms. Iterative.
 */
export function assertSameTree(actual: Profile, expected: Profile, tolerance: number): void {
  const a = buildCallTree(actual);
  const b = buildCallTree(expected);
  const key = (n: CallNode) => frameKey(n.frame);
  const todo: [CallNode, CallNode, string][] = [[a, b, "(root)"]];
  let nodes = 0;
  while (todo.length > 0) {
    const [x, y, path] = todo.pop()!;
    nodes++;
    assert.ok(Math.abs(x.time - y.time) <= tolerance, `${path}: ${x.time} ms, expected ${y.time} ms`);
    const xs = [...x.children].sort((p, q) => (key(p) < key(q) ? -1 : key(p) > key(q) ? 1 : 0));
    const ys = [...y.children].sort((p, q) => (key(p) < key(q) ? -1 : key(p) > key(q) ? 1 : 0));
    assert.deepEqual(xs.map(key), ys.map(key), `children of ${path}`);
    for (let i = 0; i < xs.length; i++) todo.push([xs[i]!, ys[i]!, nodes < 50 ? `${path} > ${xs[i]!.frame.name}` : "(deep)"]);
  }
}
