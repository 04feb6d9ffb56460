/**
 * JavaScriptCore's sampler gives an unnamed function's frame where it ran
 * (a callback's body, its wrapper's `=>`), which varies from run to run,
 * while its waits' frames are placed at the function's start (its `async`
 * or parameters, where V8 places it). The two did not match: the callback's
 * wait went under a frame at one column in one run and another in the next.
 * The unnamed frames of the files the waits are in go to the start of the
 * innermost function around them, as the waits' do.
 *
 * @module
 */
import { reinternProfile } from "../format/builder.ts";
import { ANONYMOUS_NAME, type Frame, type Profile } from "../format/types.ts";
import { toPath } from "../sourcemap/map_source.ts";
import type { NamedSpan } from "./source_functions.ts";
import { enclosingSpan } from "./spans.ts";

/**
 * `profile` with each unnamed frame of `files` at the start of the function
 * around it (`functionsOf` gives a file's functions by its path, asked for
 * each frame: the caller keeps what it parsed, which its waits need too); a function
 * with a name in its source keeps its frames as placed. Frames that end up
 * at one place merge, and a wrapper whose body is placed with it is one
 * frame. The same profile when nothing moves.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { placeUnnamedAtSpans } from "./unnamed_at_spans.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "(anonymous)", file: "/app/a.ts", line: 3, col: 40, kind: "js" }], 1);
 * const spans = [{ start: { line: 3, col: 28 }, end: { line: 5, col: 2 } }];
 * const p = placeUnnamedAtSpans(b.build(), new Set(["/app/a.ts"]), () => spans);
 * // p.frames[0]: (anonymous) at 3:28
 * ```
 */
export function placeUnnamedAtSpans(profile: Profile, files: ReadonlySet<string>, functionsOf: (path: string) => readonly NamedSpan[] | undefined): Profile {
  let moved = false;
  const frames = profile.frames.map((f): Frame => {
    if (f.kind !== "js" || f.name !== ANONYMOUS_NAME || f.file === undefined || f.line === undefined || f.col === undefined || !files.has(f.file)) return f;
    const path = toPath(f.file);
    if (path === undefined) return f;
    const spans = functionsOf(path);
    const span = spans && enclosingSpan(spans, { line: f.line, col: f.col });
    if (span === undefined || span.name !== undefined || (span.start.line === f.line && span.start.col === f.col)) return f;
    moved = true;
    return { ...f, line: span.start.line, col: span.start.col };
  });
  if (!moved) return profile;
  const same = (a: Frame, b: Frame) => a.name === ANONYMOUS_NAME && b.name === ANONYMOUS_NAME && a.file === b.file && a.line === b.line && a.col === b.col;
  return reinternProfile(profile, frames, { skipParent: (outer, inner) => outer !== inner && same(outer, inner) });
}
