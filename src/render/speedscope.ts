/**
 * Writes a session as a speedscope file: one sampled profile per thread or
 * process, frames deduplicated across them, tsprof's metadata in an extra
 * `tsprof` field that speedscope ignores.
 *
 * @module
 */
import { frameKey } from "../format/builder.ts";
import type { Frame, FrameKind, Session, SessionMeta } from "../format/types.ts";

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
 * Renders `session` as speedscope JSON text.
 *
 * @example
 * ```ts
 * import { renderSpeedscope } from "./speedscope.ts";
 * // Deno.writeTextFileSync("out.speedscope.json", renderSpeedscope(session, "0.1.0"));
 * ```
 */
export function renderSpeedscope(session: Session, version: string): string {
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
  const profiles = session.profiles.map((p) => {
    const local = p.frames.map(shared);
    const samples: string[] = new Array(p.samples.length);
    let lastStack = -2;
    let lastText = "";
    const chain: number[] = [];
    let total = 0;
    for (let i = 0; i < p.samples.length; i++) {
      const s = p.samples[i]!;
      if (s !== lastStack) {
        chain.length = 0;
        for (let t = s; t !== -1; t = p.stacks.parent[t]!) chain.push(local[p.stacks.frame[t]!]!);
        lastText = `[${chain.reverse().join(",")}]`;
        lastStack = s;
      }
      samples[i] = lastText;
      total += p.weights[i]!;
    }
    const weights = Array.from(p.weights, (w) => Math.round(w * 1000) / 1000);
    // Built by hand: the samples are already JSON and can be millions long.
    return `{"type":"sampled","name":${JSON.stringify(p.name)},"unit":"milliseconds","startValue":0,` +
      `"endValue":${Math.round(total * 1000) / 1000},"samples":[${samples.join(",")}],"weights":${JSON.stringify(weights)}}`;
  });
  const tsprof: SpeedscopeTsprofField = { version: 1, meta: session.meta, frameKinds: kinds };
  const name = session.meta.command?.join(" ") || session.profiles[0]?.name || "tsprof";
  return `{"$schema":${JSON.stringify(SPEEDSCOPE_SCHEMA)},"exporter":${JSON.stringify(`tsprof@${version}`)},` +
    `"name":${JSON.stringify(name)},"activeProfileIndex":0,"shared":{"frames":${JSON.stringify(frames)}},` +
    `"profiles":[${profiles.join(",")}],"tsprof":${JSON.stringify(tsprof)}}`;
}
