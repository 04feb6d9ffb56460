/**
 * Writes a session as a speedscope file: one sampled profile per thread or
 * process, frames deduplicated across them, tsprof's metadata in an extra
 * `tsprof` field that speedscope ignores.
 *
 * @module
 */
import { frameKey } from "../format/builder.ts";
import { encodePieces } from "./_bytes.ts";
import { microsecondWeights } from "../format/microseconds.ts";
import { type Frame, type FrameKind, profileTotal, type Session, type SessionMeta } from "../format/types.ts";

/** The `$schema` speedscope recognises its files by. */
export const SPEEDSCOPE_SCHEMA = "https://www.speedscope.app/file-format-schema.json";

/** tsprof's extension field in a speedscope file. */
export interface SpeedscopeTsprofField {
  readonly version: 1;
  readonly meta: SessionMeta;
  /** Kind of each shared frame, by index. */
  readonly frameKinds: readonly FrameKind[];
}

/**
 * Renders `session` as speedscope JSON text. For very long profiles (an hour
 * at 1 ms on deep stacks) the text can exceed the longest string a JS engine
 * allows: {@linkcode renderSpeedscopeBytes} has no such limit.
 *
 * @example
 * ```ts
 * import { renderSpeedscope } from "tsprof/render";
 * // Deno.writeTextFileSync("out.speedscope.json", renderSpeedscope(session, "0.1.0"));
 * ```
 */
export function renderSpeedscope(session: Session, version: string): string {
  let out = "";
  for (const part of speedscopeParts(session, version)) out += part;
  return out;
}

/**
 * Renders `session` as speedscope JSON, UTF-8 encoded piece by piece, so its
 * size is bounded by memory, not by the engine's string length limit.
 *
 * @example
 * ```ts
 * import { renderSpeedscopeBytes } from "tsprof/render";
 * // await Deno.writeFile("out.speedscope.json", renderSpeedscopeBytes(session, "0.1.0"));
 * ```
 */
export function renderSpeedscopeBytes(session: Session, version: string): Uint8Array {
  return encodePieces(speedscopeParts(session, version));
}

/** The speedscope file as a sequence of JSON pieces, one sample at a time. */
function* speedscopeParts(session: Session, version: string): Generator<string> {
  const frames: { name: string; file?: string; line?: number; col?: number }[] = [];
  const kinds: FrameKind[] = [];
  const ids = new Map<string, number>();
  const shared = (f: Frame): number => {
    const key = frameKey(f);
    let id = ids.get(key);
    if (id === undefined) {
      id = frames.length;
      const out: { name: string; file?: string; line?: number; col?: number } = { name: f.name };
      if (f.file !== undefined) out.file = f.file;
      if (f.line !== undefined) out.line = f.line;
      if (f.col !== undefined) out.col = f.col;
      frames.push(out);
      kinds.push(f.kind);
      ids.set(key, id);
    }
    return id;
  };
  // Frames first: every profile's frame indices refer to the shared list.
  const locals = session.profiles.map((p) => p.frames.map(shared));
  const name = session.meta.command?.join(" ") || session.profiles[0]?.name || "tsprof";
  yield `{"$schema":${JSON.stringify(SPEEDSCOPE_SCHEMA)},"exporter":${JSON.stringify(`tsprof@${version}`)},` +
    `"name":${JSON.stringify(name)},"activeProfileIndex":0,"shared":{"frames":${JSON.stringify(frames)}},"profiles":[`;
  for (let k = 0; k < session.profiles.length; k++) {
    const p = session.profiles[k]!;
    const local = locals[k]!;
    const total = profileTotal(p);
    yield `${k > 0 ? "," : ""}{"type":"sampled","name":${JSON.stringify(p.name)},"unit":"milliseconds","startValue":0,` +
      `"endValue":${Math.round(total * 1000) / 1000},"samples":[`;
    let lastStack = -2;
    let lastText = "";
    const chain: number[] = [];
    for (let i = 0; i < p.samples.length; i++) {
      const s = p.samples[i]!;
      if (s !== lastStack) {
        chain.length = 0;
        for (let t = s; t !== -1; t = p.stacks.parent[t]!) chain.push(local[p.stacks.frame[t]!]!);
        lastText = `[${chain.reverse().join(",")}]`;
        lastStack = s;
      }
      yield i === 0 ? lastText : `,${lastText}`;
    }
    yield `],"weights":[`;
    // Whole microseconds keep the file short, rounded without drift.
    const weights = microsecondWeights(p.weights);
    for (let i = 0; i < weights.length; i++) yield `${i === 0 ? "" : ","}${weights[i]}`;
    yield "]}";
  }
  const tsprof: SpeedscopeTsprofField = { version: 1, meta: session.meta, frameKinds: kinds };
  yield `],"tsprof":${JSON.stringify(tsprof)}}`;
}
