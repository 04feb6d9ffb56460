/**
 * Reads speedscope files (sampled and evented profiles) into a session.
 *
 * @module
 */
import { ProfileBuilder } from "../format/builder.ts";
import { GC_FRAME, IDLE_FRAME, PROGRAM_FRAME, type Frame, type FrameKind, type Profile, type Session, type SessionMeta } from "../format/types.ts";
import { SPEEDSCOPE_SCHEMA } from "../render/speedscope.ts";
import { sessionMetaFromJson } from "../format/session_json.ts";

/** True when `data` claims to be a speedscope file. */
export function isSpeedscopeFile(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { $schema?: unknown }).$schema === SPEEDSCOPE_SCHEMA;
}

/** Half the last decimal that writers (tsprof: 3) round `endValue` and weights to: less is no gap. */
const ROUNDING = 5e-4;

const UNIT_MS: Record<string, number> = { nanoseconds: 1e-6, microseconds: 1e-3, milliseconds: 1, seconds: 1000, none: 1, bytes: 1 };

/**
 * Converts a parsed speedscope file. Throws `TypeError`/`RangeError` naming
 * the field that is wrong.
 *
 * @example
 * ```ts
 * import { importSpeedscope } from "tsprof/import";
 * const session = importSpeedscope({
 *   $schema: "https://www.speedscope.app/file-format-schema.json",
 *   shared: { frames: [{ name: "main" }] },
 *   profiles: [{ type: "sampled", name: "main", unit: "milliseconds", startValue: 0, endValue: 2, samples: [[0], [0]], weights: [1, 1] }],
 * });
 * // session.profiles[0].samples.length === 2
 * ```
 */
export function importSpeedscope(data: unknown): Session {
  const file = obj(data, "the file");
  const shared = obj(file.shared, `"shared"`);
  if (!Array.isArray(shared.frames)) throw new TypeError(`"shared.frames" must be an array`);
  // tsprof's extension field: checked like the rest, since anyone may write it.
  let extMeta: SessionMeta | undefined;
  let frameKinds: readonly FrameKind[] | undefined;
  if (file.tsprof !== undefined) {
    const ext = obj(file.tsprof, `"tsprof"`);
    if (ext.meta !== undefined) extMeta = sessionMetaFromJson(ext.meta, "tsprof.meta");
    if (ext.frameKinds !== undefined) {
      const kinds = ext.frameKinds;
      if (!Array.isArray(kinds) || kinds.length !== shared.frames.length || !kinds.every((k) => KINDS.has(k))) {
        throw new TypeError(`"tsprof.frameKinds" must list a frame kind for each of the ${shared.frames.length} frames`);
      }
      frameKinds = kinds as FrameKind[];
    }
  }
  const frames: Frame[] = shared.frames.map((f: unknown, i: number) => {
    const fo = obj(f, `"shared.frames[${i}]"`);
    if (typeof fo.name !== "string") throw new TypeError(`"shared.frames[${i}].name" must be a string`);
    const kind = frameKinds?.[i] ?? guessKind(fo.name);
    if (kind === "idle") return IDLE_FRAME;
    if (kind === "gc") return GC_FRAME;
    // tsprof's labels ("(module loading)", "(tsprof start-up)", ...) are of this kind too: each keeps its name.
    if (kind === "program") return fo.name === PROGRAM_FRAME.name ? PROGRAM_FRAME : { name: fo.name, kind };
    const out: { -readonly [K in keyof Frame]: Frame[K] } = { name: fo.name, kind };
    if (typeof fo.file === "string" && fo.file !== "") out.file = fo.file;
    if (Number.isInteger(fo.line) && (fo.line as number) >= 1) out.line = fo.line as number;
    if (Number.isInteger(fo.col) && (fo.col as number) >= 1) out.col = fo.col as number;
    return out;
  });
  if (!Array.isArray(file.profiles) || file.profiles.length === 0) throw new RangeError(`"profiles" must be a non-empty array`);
  const units = new Set<string>();
  const warnings: string[] = [];
  const profiles = file.profiles.map((p: unknown, i: number) => importOne(p, frames, `profiles[${i}]`, units, warnings));
  const total = profiles.reduce((m: number, p: Profile) => Math.max(m, sum(p.weights)), 0);
  if (profiles.every((p: Profile) => p.samples.length === 0)) throw new RangeError(`"profiles" hold no samples: the profile recorded nothing`);
  if (extMeta) return { version: 1, meta: warnings.length > 0 ? { ...extMeta, warnings: [...(extMeta.warnings ?? []), ...warnings] } : extMeta, profiles };
  const exporter = typeof file.exporter === "string" ? file.exporter.split("@") : [];
  const meta: SessionMeta = {
    runtime: exporter[0] || "speedscope",
    runtimeVersion: exporter[1] ?? "",
    intervalMs: 1,
    startTime: 0,
    durationMs: total,
  };
  if (units.has("bytes") || units.has("none")) warnings.unshift(`the weights are ${units.has("bytes") ? "bytes" : "plain numbers"}, not time; shown as milliseconds`);
  if (warnings.length > 0) return { version: 1, meta: { ...meta, warnings }, profiles };
  return { version: 1, meta, profiles };
}

const KINDS: ReadonlySet<unknown> = new Set<FrameKind>(["js", "native", "idle", "gc", "program", "root"]);

function guessKind(name: string): FrameKind {
  if (name === "(idle)") return "idle";
  if (name === "(garbage collector)") return "gc";
  if (name === "(program)") return "program";
  // A frame without a file is still code: other tools and languages often
  // write none. Only tsprof's own "frameKinds" marks a frame as a builtin.
  return "js";
}

/**
 * A number, or a string that is one: dotnet-trace writes `startValue` and
 * `endValue` as strings, and speedscope reads them. Anything else is kept
 * for the caller to refuse.
 */
function num(v: unknown): unknown {
  return typeof v === "string" && NUMERIC.test(v) ? Number(v) : v;
}
const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function importOne(data: unknown, frames: readonly Frame[], at: string, units: Set<string>, warnings: string[]): Profile {
  const p = obj(data, `"${at}"`);
  const scale = typeof p.unit === "string" && Object.hasOwn(UNIT_MS, p.unit) ? UNIT_MS[p.unit] : undefined;
  if (scale === undefined) throw new TypeError(`"${at}.unit" must be a speedscope unit (${Object.keys(UNIT_MS).join(", ")})`);
  units.add(p.unit as string);
  for (const k of ["startValue", "endValue"]) {
    const v = num(p[k]);
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) throw new TypeError(`"${at}.${k}" must be a finite number`);
  }
  const startValue = num(p.startValue) as number | undefined;
  const endValue = num(p.endValue) as number | undefined;
  const name = typeof p.name === "string" ? p.name : `profile ${at}`;
  const b = new ProfileBuilder(name);
  // A reference to a frame that is not in "shared.frames" is skipped and
  // said once per profile; a non-integer one is an error.
  const dangling = new Set<number>();
  const frameId = (raw: unknown, where: string): number => {
    const i = num(raw);
    if (!Number.isInteger(i) || (i as number) < 0) throw new RangeError(`"${where}" must be a frame index, not ${JSON.stringify(raw)}`);
    if ((i as number) >= frames.length) {
      dangling.add(i as number);
      return -1;
    }
    return b.internFrame(frames[i as number]!);
  };
  const warnDangling = () => {
    if (dangling.size === 0) return;
    const ids = [...dangling].slice(0, 3).join(", ") + (dangling.size > 3 ? ", ..." : "");
    warnings.push(`profile "${name}" refers to ${dangling.size} frames that are not in "shared.frames" (${ids}): skipped`);
  };
  if (p.type === "sampled") {
    if (!Array.isArray(p.samples) || !Array.isArray(p.weights)) throw new TypeError(`"${at}.samples" and "${at}.weights" must be arrays`);
    if (p.samples.length !== p.weights.length) throw new RangeError(`"${at}.samples" and "${at}.weights" differ in length`);
    let covered = 0;
    for (let i = 0; i < p.samples.length; i++) {
      const stack = p.samples[i];
      const w = num(p.weights[i]);
      if (!Array.isArray(stack)) throw new TypeError(`"${at}.samples[${i}]" must be an array`);
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0) throw new RangeError(`"${at}.weights[${i}]" must be a finite number >= 0`);
      let s = -1;
      for (let d = 0; d < stack.length; d++) {
        const f = frameId(stack[d], `${at}.samples[${i}][${d}]`);
        if (f !== -1) s = b.internStack(s, f);
      }
      b.addStackSample(s, w * scale);
      covered += w;
    }
    // speedscope shows max(endValue - startValue, sum of weights): the rest is a gap at the end.
    // Not a rounding's worth (tsprof writes both to 3 decimals): that was one sample too many.
    const gap = startValue !== undefined && endValue !== undefined ? endValue - startValue - covered : 0;
    if (gap > ROUNDING) b.addStackSample(-1, gap * scale);
    warnDangling();
    return b.build();
  }
  if (p.type === "evented") {
    if (!Array.isArray(p.events)) throw new TypeError(`"${at}.events" must be an array`);
    const open: { frame: number; stack: number }[] = [];
    const first = num((p.events[0] as { at?: unknown } | undefined)?.at);
    let last = Math.min(startValue ?? Infinity, typeof first === "number" && Number.isFinite(first) ? first : 0);
    for (let i = 0; i < p.events.length; i++) {
      const e = obj(p.events[i], `"${at}.events[${i}]"`);
      const t = num(e.at);
      if (typeof t !== "number" || !Number.isFinite(t) || t < last) throw new RangeError(`"${at}.events[${i}].at" must be a finite number not below the previous one`);
      const f = frameId(e.frame, `${at}.events[${i}].frame`);
      const top = open[open.length - 1];
      if (t > last) b.addStackSample(top ? top.stack : -1, (t - last) * scale);
      last = t;
      // The opening and closing of a frame that is not there are both skipped.
      if (f === -1) continue;
      if (e.type === "O") open.push({ frame: f, stack: b.internStack(top ? top.stack : -1, f) });
      else if (e.type === "C") {
        if (!top || top.frame !== f) throw new RangeError(`"${at}.events[${i}]" closes a frame that is not on top`);
        open.pop();
      } else throw new TypeError(`"${at}.events[${i}].type" must be "O" or "C"`);
    }
    if (open.length > 0) throw new RangeError(`"${at}.events" leaves ${open.length} frames open`);
    if (endValue !== undefined && endValue > last) b.addStackSample(-1, (endValue - last) * scale);
    warnDangling();
    return b.build();
  }
  throw new TypeError(`"${at}.type" must be "sampled" or "evented"`);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}
