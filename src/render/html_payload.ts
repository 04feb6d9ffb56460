/**
 * The data inside an HTML report: a session's tables in a compact binary
 * form, deflated with fflate. The renderer encodes it; the page decodes it
 * and builds every view from it.
 *
 * What travels is the interned stack table plus the samples run-length
 * encoded (consecutive samples of the same stack merged into one run with
 * their summed weight). That is lossless for every view: the aggregated
 * views only need weight per stack, and the timeline only needs the order
 * of stacks over time. Its size grows with unique stacks and stack changes,
 * not with samples times depth as a serialised timeline tree would.
 *
 * Layout (little-endian): `u32` length of a UTF-8 JSON header
 * ({@linkcode PayloadHeader}), the header, padding to 4 bytes, then per
 * profile four `Int32Array`s: stack frames, stack parent deltas
 * (`s - parent`, so `s + 1` for a root), run stack deltas (from the previous
 * run's stack), run weights in whole microseconds.
 *
 * @module
 */
import { deflateSync, inflateSync } from "fflate";
import type { Frame, Profile, SessionMeta } from "../format/types.ts";

/** Processor settings the page applies, as chosen on the command line. */
export interface PayloadOptions {
  /** Show every frame. */
  readonly showAll: boolean;
  /** Nodes under this share of the total fold into their parent in the call tree. */
  readonly filterThreshold: number;
  /** Fold recursion. */
  readonly foldRecursion: boolean;
  /** A library group folds only if it hides at least this many frames. */
  readonly groupMinHidden: number;
  /** A library frame stays in view if its own time is over this share. */
  readonly groupShowShare: number;
  /** Source of the regular expression for files shown as app code. */
  readonly showRegex?: string;
  /** Source of the regular expression for files folded as library code. */
  readonly hideRegex?: string;
  /** File prefixes of tsprof's own code, never shown. */
  readonly toolPaths: readonly string[];
  /** Open on the timeline instead of the call tree (`--timeline`). */
  readonly timeline: boolean;
  /** Show times as seconds or as percentages at first. */
  readonly time: "seconds" | "percent";
}

/** Per-profile facts in the header; the tables follow in binary. */
export interface PayloadProfileHeader {
  readonly name: string;
  readonly frames: readonly Frame[];
  /** Number of stacks in the table. */
  readonly stackCount: number;
  /** Number of runs of identical consecutive samples. */
  readonly runCount: number;
  /** Number of samples before run-length encoding. */
  readonly sampleCount: number;
}

/** The JSON part of the payload. */
export interface PayloadHeader {
  readonly format: "tsprof-html";
  readonly version: 1;
  /** tsprof's version, for the page's footer. */
  readonly tsprof: string;
  readonly meta: SessionMeta;
  readonly options: PayloadOptions;
  readonly profiles: readonly PayloadProfileHeader[];
}

/** What the page works on: a header and each profile as a {@linkcode Profile}. */
export interface DecodedPayload {
  readonly header: PayloadHeader;
  /**
   * One per profile. `samples`/`weights` hold runs, not single samples;
   * stacks are parent-first (every parent id is below its children's).
   */
  readonly profiles: readonly Profile[];
}

/** The most microseconds one run holds; longer runs are split. */
const MAX_RUN_US = 0xffffffff;
/** A year in microseconds: no real sample weighs more. */
const MAX_SAMPLE_US = 365 * 24 * 3600 * 1e6;

/**
 * Encodes profiles for an HTML report: stacks no sample reaches and frames
 * no stack uses are dropped, stacks are renumbered parent-first.
 *
 * @example
 * ```ts
 * import { encodePayload, decodePayload } from "./html_payload.ts";
 * // const bytes = encodePayload(session.meta, session.profiles, options, "0.1.0");
 * // decodePayload(bytes).profiles[0].frames
 * ```
 */
export function encodePayload(meta: SessionMeta, profiles: readonly Profile[], options: PayloadOptions, version: string): Uint8Array {
  const headers: PayloadProfileHeader[] = [];
  const blocks: Int32Array[] = [];
  for (const p of profiles) {
    const c = compactProfile(p);
    headers.push({ name: p.name, frames: c.frames, stackCount: c.frame.length, runCount: c.runStack.length, sampleCount: p.samples.length });
    blocks.push(c.frame, c.parentDelta, c.runDelta, c.runUs);
  }
  const header: PayloadHeader = { format: "tsprof-html", version: 1, tsprof: version, meta, options, profiles: headers };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const jsonEnd = 4 + json.length;
  const start = (jsonEnd + 3) & ~3;
  let size = start;
  for (const b of blocks) size += b.byteLength;
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  let at = start;
  for (const b of blocks) {
    out.set(littleEndianBytes(b), at);
    at += b.byteLength;
  }
  return deflateSync(out, { level: 6, mem: 8 });
}

/**
 * Decodes what {@linkcode encodePayload} made.
 *
 * @throws {TypeError} when the bytes are not a payload of this version
 */
export function decodePayload(compressed: Uint8Array): DecodedPayload {
  const raw = inflateSync(compressed);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const jsonLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(raw.subarray(4, 4 + jsonLength))) as PayloadHeader;
  if (header.format !== "tsprof-html" || header.version !== 1) throw new TypeError("The report's data is not tsprof HTML data of version 1");
  let at = (4 + jsonLength + 3) & ~3;
  const next = (n: number): Int32Array => {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++, at += 4) a[i] = view.getInt32(at, true);
    return a;
  };
  const profiles = header.profiles.map((h): Profile => {
    const frame = next(h.stackCount);
    const parent = next(h.stackCount);
    for (let s = 0; s < parent.length; s++) parent[s] = s - parent[s]!;
    const samples = next(h.runCount);
    for (let i = 1; i < samples.length; i++) samples[i] = samples[i - 1]! + samples[i]!;
    const us = next(h.runCount);
    const weights = new Float64Array(h.runCount);
    for (let i = 0; i < us.length; i++) weights[i] = (us[i]! >>> 0) / 1000;
    return { name: h.name, frames: h.frames, stacks: { length: h.stackCount, frame, parent }, samples, weights };
  });
  return { header, profiles };
}

interface Compact {
  frames: Frame[];
  frame: Int32Array;
  parentDelta: Int32Array;
  runStack: Int32Array;
  runDelta: Int32Array;
  runUs: Int32Array;
}

function compactProfile(p: Profile): Compact {
  const { stacks } = p;
  const n = stacks.length;
  // Keep the stacks some sample reaches, ordered parent-first by depth.
  const used = new Uint8Array(n);
  for (const s of p.samples) for (let t = s; t !== -1 && !used[t]; t = stacks.parent[t]!) used[t] = 1;
  const depth = new Int32Array(n).fill(-1);
  const depthOf = (s: number): number => {
    const chain: number[] = [];
    let t = s;
    while (t !== -1 && depth[t] === -1) {
      chain.push(t);
      t = stacks.parent[t]!;
    }
    let d = t === -1 ? 0 : depth[t]! + 1;
    for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]!] = d++;
    return depth[s]!;
  };
  const kept: number[] = [];
  let sorted = true;
  for (let s = 0; s < n; s++) {
    if (!used[s]) continue;
    kept.push(s);
    if (stacks.parent[s]! >= s) sorted = false;
  }
  if (!sorted) {
    for (const s of kept) depthOf(s);
    kept.sort((a, b) => depth[a]! - depth[b]! || a - b);
  }
  const newId = new Int32Array(n).fill(-1);
  const frameId = new Int32Array(p.frames.length).fill(-1);
  const frames: Frame[] = [];
  const frame = new Int32Array(kept.length);
  const parentDelta = new Int32Array(kept.length);
  kept.forEach((s, i) => {
    newId[s] = i;
    const f = stacks.frame[s]!;
    if (frameId[f] === -1) {
      frameId[f] = frames.length;
      frames.push(cleanFrame(p.frames[f]!));
    }
    frame[i] = frameId[f]!;
    const parent = stacks.parent[s]!;
    parentDelta[i] = parent === -1 ? i + 1 : i - newId[parent]!;
  });
  // Runs: consecutive samples of one stack become one, split at MAX_RUN_US.
  const runStack: number[] = [];
  const runUs: number[] = [];
  let prev = -2;
  for (let i = 0; i < p.samples.length; i++) {
    const s = p.samples[i]!;
    const id = s === -1 ? -1 : newId[s]!;
    const us = Math.round(p.weights[i]! * 1000);
    // Splitting an absurd weight into 2^32-µs runs would never end.
    if (!(us <= MAX_SAMPLE_US)) throw new RangeError(`Cannot render HTML: sample ${i} of "${p.name}" weighs ${p.weights[i]} ms, over a year`);
    if (id === prev && runUs[runUs.length - 1]! + us <= MAX_RUN_US) {
      runUs[runUs.length - 1]! += us;
      continue;
    }
    let left = us;
    while (left > MAX_RUN_US) {
      runStack.push(id);
      runUs.push(MAX_RUN_US);
      left -= MAX_RUN_US;
    }
    runStack.push(id);
    runUs.push(left);
    prev = id;
  }
  const runDelta = new Int32Array(runStack.length);
  for (let i = 0; i < runStack.length; i++) runDelta[i] = runStack[i]! - (i === 0 ? 0 : runStack[i - 1]!);
  return { frames, frame, parentDelta, runStack: Int32Array.from(runStack), runDelta, runUs: Int32Array.from(runUs, (u) => u | 0) };
}

/** Only the fields of a frame; nothing else a foreign importer attached. */
function cleanFrame(f: Frame): Frame {
  const out: { -readonly [K in keyof Frame]: Frame[K] } = { name: f.name, kind: f.kind };
  if (f.file !== undefined) out.file = f.file;
  if (f.line !== undefined) out.line = f.line;
  if (f.col !== undefined) out.col = f.col;
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndianBytes(a: Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setInt32(i * 4, a[i]!, true);
  return out;
}
