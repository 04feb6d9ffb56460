/**
 * Names what each `[await]` frame waited for, from the source line of the
 * `await` once positions are the user's: `[await] fetch` for
 * `await fetch(url)`, `[await] Promise.all`, `[await] for await` for a
 * `for await` loop. Runtime-neutral: the caller says how to read a file.
 *
 * @module
 */
import type { Frame, Profile, Session } from "../format/types.ts";
import { AWAIT_FRAME_NAME } from "./charge_awaits.ts";

/** Reads a source file's text, or `undefined` when it cannot. */
export type ReadSource = (file: string) => string | undefined;

const CALLEE = /^(?:new\s+)?([A-Za-z_$][\w$]*(?:\s*\??\.\s*#?[A-Za-z_$][\w$]*)*)/;

/**
 * What the `await` at `col` (1-based) of `line` waits for, or `undefined`.
 *
 * @example
 * ```ts
 * import { awaitedName } from "./label_awaits.ts";
 * awaitedName("  const res = await fetch(url);", 21); // "fetch"
 * awaitedName("  for await (const x of src) n += x;", 3); // "for await"
 * awaitedName("  await sleep(5);", 3); // "sleep"
 * ```
 */
export function awaitedName(line: string, col: number): string | undefined {
  const rest = line.slice(col - 1);
  if (/^for\s+await\b/.test(rest)) return "for await";
  // At the `await` itself (the portable backend's positions).
  const own = /^await\b\s*/.exec(rest);
  if (own) return rest.slice(own[0].length).match(CALLEE)?.[1]?.replace(/\s+/g, "");
  const upTo = line.slice(0, Math.max(0, col - 1) + 1);
  const at = upTo.lastIndexOf("await");
  if (at < 0) return line.slice(col - 1).match(CALLEE)?.[1]?.replace(/\s+/g, "");
  if (/\bfor\s+$/.test(line.slice(0, at))) return "for await";
  const m = line.slice(at + 5).replace(/^\s+/, "").match(CALLEE);
  return m?.[1]?.replace(/\s+/g, "");
}

/**
 * The session with each bare `[await]` frame named after what it awaited,
 * where its source can be read.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { labelAwaits } from "./label_awaits.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "[await]", file: "/app/a.ts", line: 1, col: 7, kind: "js" }], 5);
 * const session = { version: 1 as const, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 5 }, profiles: [b.build()] };
 * labelAwaits(session, () => "await sleep(5)").profiles[0]!.frames[0]!.name; // "[await] sleep"
 * ```
 */
export function labelAwaits(session: Session, read: ReadSource): Session {
  const lines = linesReader(read);
  const profiles = session.profiles.map((p) => labelProfile(p, lines));
  return profiles.some((p, i) => p !== session.profiles[i]) ? { ...session, profiles } : session;
}

/**
 * {@linkcode labelAwaits} for one profile (a backend's recording).
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { labelProfileAwaits } from "./label_awaits.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "[await]", file: "/app/a.ts", line: 1, col: 7, kind: "js" }], 5);
 * labelProfileAwaits(b.build(), () => "await fetch(url)").frames[0]!.name; // "[await] fetch"
 * ```
 */
export function labelProfileAwaits(profile: Profile, read: ReadSource): Profile {
  return labelProfile(profile, linesReader(read));
}

/** Each file's lines, read once. */
function linesReader(read: ReadSource): (file: string) => string[] | undefined {
  const lines = new Map<string, string[] | undefined>();
  return (file) => {
    if (!lines.has(file)) lines.set(file, read(file)?.split(/\r?\n/));
    return lines.get(file);
  };
}

function labelProfile(p: Profile, linesOf: (file: string) => string[] | undefined): Profile {
  let frames: Frame[] | undefined;
  p.frames.forEach((f, i) => {
    if (f.name !== AWAIT_FRAME_NAME || f.file === undefined || f.line === undefined) return;
    const text = linesOf(f.file)?.[f.line - 1];
    const name = text === undefined ? undefined : awaitedName(text, f.col ?? 1);
    if (name === undefined) return;
    frames ??= p.frames.slice();
    frames[i] = { ...f, name: `${AWAIT_FRAME_NAME} ${name}` };
  });
  return frames ? { ...p, frames } : p;
}
