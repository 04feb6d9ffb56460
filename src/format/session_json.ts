/**
 * tsprof's own JSON: a lossless, versioned serialisation of a
 * {@linkcode Session}. `-r json` writes it; `.tsprof` files are the same
 * JSON compressed. The schema is `schema/tsprof.schema.json`.
 *
 * @module
 */
import { type Frame, type FrameKind, type Profile, type Session, type SessionMeta, topLevelName } from "./types.ts";
import { metaAsWritten, profileAsWritten } from "./microseconds.ts";

/**
 * The JSON form of a session.
 *
 * @example
 * ```ts
 * import type { SessionJson } from "tsprof/format";
 * import { sessionToJson } from "tsprof/format";
 * const json: SessionJson = JSON.parse(sessionToJson({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 },
 *   profiles: [],
 * }));
 * // json.format === "tsprof"
 * ```
 */
export interface SessionJson {
  /** The schema's URL, for editors. */
  readonly $schema?: string;
  /** Always `tsprof`: tells the file from other JSON profiles. */
  readonly format: "tsprof";
  /** Format version. */
  readonly version: 1;
  /** What, where and when. */
  readonly meta: SessionMeta;
  /** One per thread or process. */
  readonly profiles: readonly ProfileJson[];
}

/**
 * The JSON form of a profile: the same tables as arrays.
 *
 * @example
 * ```ts
 * import type { ProfileJson } from "tsprof/format";
 * const empty: ProfileJson = { name: "main", frames: [], stacks: { frame: [], parent: [] }, samples: [], weights: [] };
 * ```
 */
export interface ProfileJson {
  /** Thread or process name. */
  readonly name: string;
  /** Interned frames. */
  readonly frames: readonly Frame[];
  /** Interned stacks: leaf frame and parent stack of each. */
  readonly stacks: { readonly frame: readonly number[]; readonly parent: readonly number[] };
  /** Stack id of each sample, in time order. */
  readonly samples: readonly number[];
  /** Milliseconds each sample stands for. */
  readonly weights: readonly number[];
  /** Frame index → [line, ms] pairs. */
  readonly lines?: Readonly<Record<string, readonly (readonly [number, number])[]>>;
}

/**
 * Schema URL written into `-r json` output.
 *
 * @example
 * ```ts
 * import { SESSION_SCHEMA_URL, sessionToJson } from "tsprof/format";
 * const json = JSON.parse(sessionToJson({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 },
 *   profiles: [],
 * }));
 * json.$schema === SESSION_SCHEMA_URL; // true
 * ```
 */
export const SESSION_SCHEMA_URL = "https://tsprof.dev/schema/tsprof-1.json";

/**
 * Serialises a session to tsprof JSON text.
 *
 * @example
 * ```ts
 * import { sessionToJson, sessionFromJson } from "tsprof/format";
 * // const again = sessionFromJson(JSON.parse(sessionToJson(session)), "file.json");
 * ```
 */
export function sessionToJson(session: Session): string {
  const json: SessionJson = {
    $schema: SESSION_SCHEMA_URL,
    format: "tsprof",
    version: 1,
    meta: metaAsWritten(session.meta),
    profiles: session.profiles.map(profileToJson),
  };
  return JSON.stringify(json);
}

function profileToJson(profile: Profile): ProfileJson {
  // Microsecond precision is all a sampler has; it keeps files small.
  const p = profileAsWritten(profile);
  const out: ProfileJson = {
    name: p.name,
    frames: p.frames,
    stacks: { frame: Array.from(p.stacks.frame), parent: Array.from(p.stacks.parent) },
    samples: Array.from(p.samples),
    weights: Array.from(p.weights),
  };
  if (!p.lines) return out;
  const lines: Record<string, [number, number][]> = {};
  for (const [f, byLine] of p.lines) lines[f] = [...byLine];
  return { ...out, lines };
}

/** True when `data` looks like tsprof JSON (it may still be broken). */
export function isSessionJson(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { format?: unknown }).format === "tsprof";
}

const KINDS: ReadonlySet<string> = new Set<FrameKind>(["js", "native", "idle", "gc", "program", "root"]);

/**
 * Reads tsprof JSON, checking every field; throws a `TypeError` or
 * `RangeError` naming the field that is wrong.
 *
 * @example
 * ```ts
 * import { sessionFromJson, sessionToJson } from "tsprof/format";
 * const json = sessionToJson({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 },
 *   profiles: [],
 * });
 * const session = sessionFromJson(JSON.parse(json)); // the same session again
 * ```
 */
export function sessionFromJson(data: unknown): Session {
  const obj = asObject(data, "the file");
  if (obj.format !== "tsprof") throw new TypeError(`"format" must be "tsprof"`);
  if (obj.version !== 1) throw new RangeError(`"version" ${JSON.stringify(obj.version)} is not supported (expected 1)`);
  const meta = sessionMetaFromJson(obj.meta, "meta");
  if (!Array.isArray(obj.profiles)) throw new TypeError(`"profiles" must be an array`);
  const profiles = obj.profiles.map((p: unknown, i: number) => profileFromJson(p, `profiles[${i}]`));
  return { version: 1, meta, profiles };
}

/**
 * Reads and checks a {@linkcode SessionMeta} (at `at`, for messages), keeping
 * only the fields tsprof knows.
 */
export function sessionMetaFromJson(data: unknown, at: string): SessionMeta {
  const m = asObject(data, `"${at}"`);
  const out: { -readonly [K in keyof SessionMeta]: SessionMeta[K] } = {
    runtime: "",
    runtimeVersion: "",
    intervalMs: 0,
    startTime: 0,
    durationMs: 0,
  };
  // Fields this version does not know are kept, so that what a newer tsprof
  // (or another tool) added survives a round trip; but not nested without end.
  for (const [k, v] of Object.entries(m)) {
    if (META_FIELDS.has(k)) continue;
    checkDepth(v, `${at}.${k}`);
    (out as Record<string, unknown>)[k] = v;
  }
  for (const k of ["runtime", "runtimeVersion"] as const) {
    if (typeof m[k] !== "string") throw new TypeError(`"${at}.${k}" must be a string`);
    out[k] = m[k];
  }
  for (const k of ["intervalMs", "startTime", "durationMs"] as const) {
    if (!isFiniteNumber(m[k]) || (k !== "startTime" && m[k] < 0)) throw new TypeError(`"${at}.${k}" must be a finite number${k === "startTime" ? "" : " >= 0"}`);
    out[k] = m[k];
  }
  if (m.cpuTimeMs !== undefined) {
    if (!isFiniteNumber(m.cpuTimeMs) || m.cpuTimeMs < 0) throw new TypeError(`"${at}.cpuTimeMs" must be a finite number >= 0`);
    out.cpuTimeMs = m.cpuTimeMs;
  }
  if (m.exitCode !== undefined) {
    if (!Number.isSafeInteger(m.exitCode)) throw new TypeError(`"${at}.exitCode" must be an integer`);
    out.exitCode = m.exitCode as number;
  }
  for (const k of ["cwd", "description"] as const) {
    if (m[k] === undefined) continue;
    if (typeof m[k] !== "string") throw new TypeError(`"${at}.${k}" must be a string`);
    out[k] = m[k];
  }
  for (const k of ["command", "warnings", "toolPaths"] as const) {
    if (m[k] === undefined) continue;
    const v = m[k];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new TypeError(`"${at}.${k}" must be an array of strings`);
    out[k] = v as string[];
  }
  return out;
}

function profileFromJson(data: unknown, at: string): Profile {
  const p = asObject(data, `"${at}"`);
  if (typeof p.name !== "string") throw new TypeError(`"${at}.name" must be a string`);
  if (!Array.isArray(p.frames)) throw new TypeError(`"${at}.frames" must be an array`);
  const frames: Frame[] = p.frames.map((f: unknown, i: number) => {
    // Checked inline: a message built for each of thousands of frames cost more than the check.
    if (typeof f !== "object" || f === null || Array.isArray(f)) throw new TypeError(`"${at}.frames[${i}]" must be an object`);
    const fo = f as Record<string, unknown>;
    if (typeof fo.name !== "string") throw new TypeError(`"${at}.frames[${i}].name" must be a string`);
    if (typeof fo.kind !== "string" || !KINDS.has(fo.kind)) throw new TypeError(`"${at}.frames[${i}].kind" is not a frame kind`);
    if (fo.file !== undefined && typeof fo.file !== "string") throw new TypeError(`"${at}.frames[${i}].file" must be a string`);
    const frame: { -readonly [K in keyof Frame]: Frame[K] } = { name: fo.name, kind: fo.kind as FrameKind };
    if (fo.file !== undefined) frame.file = fo.file as string;
    for (const k of ["line", "col"] as const) {
      if (fo[k] === undefined) continue;
      if (!(Number.isSafeInteger(fo[k]) && (fo[k] as number) >= 1)) throw new TypeError(`"${at}.frames[${i}].${k}" must be a positive integer`);
      frame[k] = fo[k] as number;
    }
    // Sessions before 0.2 named a module's top level as V8 does.
    if (frame.kind === "js" && frame.name === "(anonymous)") frame.name = topLevelName(frame.name, frame.file, frame.line, frame.col);
    return frame;
  });
  const stacks = asObject(p.stacks, `"${at}.stacks"`);
  const frame = intArray(stacks.frame, `${at}.stacks.frame`, 0, frames.length - 1);
  const parent = intArray(stacks.parent, `${at}.stacks.parent`, -1, frame.length - 1);
  if (frame.length !== parent.length) throw new RangeError(`"${at}.stacks.frame" and "${at}.stacks.parent" differ in length`);
  // A parent must come first: that also rules out cycles.
  for (let s = 0; s < parent.length; s++) {
    if (parent[s]! >= s) throw new RangeError(`"${at}.stacks.parent[${s}]" must refer to an earlier stack`);
  }
  const samples = intArray(p.samples, `${at}.samples`, -1, frame.length - 1);
  if (!Array.isArray(p.weights)) throw new TypeError(`"${at}.weights" must be an array`);
  const weights = new Float64Array(p.weights.length);
  p.weights.forEach((w: unknown, i: number) => {
    if (!isFiniteNumber(w) || w < 0) throw new RangeError(`"${at}.weights[${i}]" must be a finite number >= 0`);
    weights[i] = w;
  });
  if (weights.length !== samples.length) throw new RangeError(`"${at}.weights" and "${at}.samples" differ in length`);
  const profile: Profile = { name: p.name, frames, stacks: { length: frame.length, frame, parent }, samples, weights };
  if (p.lines === undefined) return profile;
  const linesObj = asObject(p.lines, `"${at}.lines"`);
  const lines = new Map<number, Map<number, number>>();
  for (const [k, v] of Object.entries(linesObj)) {
    const f = Number(k);
    if (!Number.isInteger(f) || f < 0 || f >= frames.length || !Array.isArray(v)) throw new RangeError(`"${at}.lines.${k}" is invalid`);
    lines.set(f, new Map(v.map((pair: unknown) => {
      if (!Array.isArray(pair) || !Number.isSafeInteger(pair[0]) || pair[0] < 1 || !isFiniteNumber(pair[1]) || pair[1] < 0) {
        throw new TypeError(`"${at}.lines.${k}" must hold [line, ms] pairs: a line from 1 and a finite number of ms >= 0`);
      }
      return [pair[0], pair[1]] as [number, number];
    })));
  }
  return { ...profile, lines };
}

const META_FIELDS: ReadonlySet<string> = new Set([
  "runtime", "runtimeVersion", "intervalMs", "startTime", "durationMs", "cpuTimeMs", "command", "cwd", "description", "exitCode", "warnings",
  "toolPaths",
]);

/** Deepest nesting kept in a field tsprof does not know. */
const MAX_DEPTH = 32;

/** Throws if `v` nests objects or arrays deeper than {@linkcode MAX_DEPTH}; iterative. */
function checkDepth(v: unknown, at: string): void {
  const todo: [unknown, number][] = [[v, 0]];
  while (todo.length > 0) {
    const [x, d] = todo.pop()!;
    if (typeof x !== "object" || x === null) continue;
    if (d >= MAX_DEPTH) throw new RangeError(`"${at}" nests deeper than ${MAX_DEPTH} levels`);
    for (const c of Object.values(x)) todo.push([c, d + 1]);
  }
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function intArray(v: unknown, at: string, min: number, max: number): Int32Array {
  if (!Array.isArray(v)) throw new TypeError(`"${at}" must be an array`);
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isInteger(x) || x < min || x > max) throw new RangeError(`"${at}[${i}]" must be an integer from ${min} to ${max}`);
    out[i] = x;
  }
  return out;
}
