/**
 * Moves frames to the line where their function is defined, by reading the
 * source. For engines that report where a function ran but not where it
 * starts: JavaScriptCore (Bun) gives each sample's executing line, so the
 * best a backend knows is the lowest line seen, usually the first statement
 * of the body.
 *
 * The search is textual, not a parse: from the line reported, upwards, the
 * nearest line that defines a function of the frame's name (`function name`,
 * a method `name(`, `name = (...) =>`, `name: function`, `class name` for a
 * constructor). It stops at the top of the file or after
 * {@linkcode MAX_LINES_UP} lines; a frame without a match keeps its line.
 *
 * @module
 */
import { ANONYMOUS_NAME, type Frame, MODULE_FRAME_NAME, type Profile } from "../format/types.ts";
import { toPath } from "./map_source.ts";
import type { ReadLines, SourceLines } from "./source_lines.ts";
import { arrowBodyName, arrowStartAtBody, boundName, DECLARATION_MODIFIER_WORDS, declaredName, nameColumn, paramListStart, passedAsArgument } from "./name_column.ts";
import { rebuild } from "./remap.ts";
import { reinternProfile } from "../format/builder.ts";

/** How far above the reported line a definition is looked for. */
export const MAX_LINES_UP = 400;

const IDENT = /^[#A-Za-z_$][\w$]*$/;
const IDENT_CHAR = /[\w$]/;
const WORD_CHAR = /\w/;
const SPACE = /\s/;
const MODIFIERS: ReadonlySet<string> = new Set(DECLARATION_MODIFIER_WORDS);

// What may come before and after a function's name where it is defined;
// tried at each place the name occurs on a line, so that no pattern is
// made per name (a 9 MB compiler has a thousand of them). What comes
// before is read backwards from the name, only as far as it can matter: a
// minified line is a megabyte, and a short name occurs on it thousands of times.
/** A method's parameters (its type parameters first). */
const METHOD_AFTER = /\s*(?:<.*)?\(/y;
/** `name = function`, `name = (`, `name = x =>`, with a type and `async`. */
const ASSIGNED_AFTER = /\s*(?::[^=]*)?=\s*(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)/y;
/** `name: function`, `name: (`, `name: x =>` in an object. */
const PROPERTY_AFTER = /\s*:\s*(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)/y;
/** What may come before an assigned function's name, and before a property's. */
const ASSIGNED_PRECEDED = /[\s,{(;]/;
const PROPERTY_PRECEDED = /[\s,{]/;

/** Whether `after` matches at `at` in `text`. */
function matchesAt(after: RegExp, text: string, at: number): boolean {
  after.lastIndex = at;
  return after.test(text);
}

/** Where the spaces that end at `end` begin. */
function spacesFrom(text: string, end: number): number {
  let i = end;
  while (i > 0 && SPACE.test(text[i - 1]!)) i--;
  return i;
}

/** Whether the keyword `word` ends at `end`, a word of its own. */
function keywordEndsAt(text: string, end: number, word: string): boolean {
  const start = end - word.length;
  return start >= 0 && text.startsWith(word, start) && (start === 0 || !WORD_CHAR.test(text[start - 1]!));
}

/** `function name`, `function* name`: `function`, spaces, an optional `*`, spaces before `at`. */
function functionBefore(text: string, at: number): boolean {
  let i = spacesFrom(text, at);
  if (text[i - 1] === "*") i = spacesFrom(text, i - 1);
  return keywordEndsAt(text, i, "function");
}

/** `class name`: `class` and at least one space before `at`. */
function classBefore(text: string, at: number): boolean {
  const i = spacesFrom(text, at);
  return i < at && keywordEndsAt(text, i, "class");
}

/** A method: the line up to `at` is spaces, modifiers (each followed by spaces) and `*`s. */
function methodBefore(text: string, at: number): boolean {
  let i = at;
  for (;;) {
    const spaced = spacesFrom(text, i);
    const followedBySpace = spaced < i;
    i = spaced;
    if (i === 0) return true;
    if (text[i - 1] === "*") {
      i--;
      continue;
    }
    let start = i;
    while (start > 0 && IDENT_CHAR.test(text[start - 1]!)) start--;
    if (!followedBySpace || !MODIFIERS.has(text.slice(start, i))) return false;
    i = start;
  }
}

/** Whether the `name` at `at` in `text` (0-based) is where a function or class called so is defined. */
function definedAt(text: string, at: number, name: string): boolean {
  const end = at + name.length;
  if (end < text.length && IDENT_CHAR.test(text[end]!)) return false;
  if (functionBefore(text, at) || classBefore(text, at)) return true;
  if (methodBefore(text, at) && matchesAt(METHOD_AFTER, text, end)) return true;
  const preceding = at === 0 ? undefined : text[at - 1]!;
  if ((preceding === undefined || ASSIGNED_PRECEDED.test(preceding)) && matchesAt(ASSIGNED_AFTER, text, end)) return true;
  return (preceding === undefined || PROPERTY_PRECEDED.test(preceding)) && matchesAt(PROPERTY_AFTER, text, end);
}

/**
 * The 1-based line and column of `name`'s definition at or above `line`
 * (on `line` itself, with the name at or before column `col`: minified
 * code is one long line).
 */
export function findDefinition(lines: SourceLines, name: string, line: number, col = Infinity): { line: number; col: number } | undefined {
  const short = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : name;
  if (!IDENT.test(short)) return undefined;
  const stop = Math.max(1, line - MAX_LINES_UP);
  for (let l = Math.min(line, lines.count); l >= stop; l--) {
    const text = lines.line(l)!;
    // On the reported line, the name starts at or before the column; the
    // rest of the definition may run past it (`time = async () =>`, reported at `async`).
    // The nearest definition: the last on the line.
    let at = text.lastIndexOf(short, l === line ? col - 1 : Infinity);
    for (; at !== -1; at = at === 0 ? -1 : text.lastIndexOf(short, at - 1)) {
      if (definedAt(text, at, short)) return { line: l, col: at + 1 };
    }
  }
  return undefined;
}

/**
 * Moves every named JS frame to its function's definition, reading the
 * sources' lines with `readLines`. Frames that end up equal merge.
 *
 * @example
 * ```ts
 * import { placeAtDefinitions } from "./definitions.ts";
 * import { textLineReader } from "./source_lines.ts";
 * import { ProfileBuilder } from "tsprof/format";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "f", file: "/app/a.ts", line: 2, col: 3, kind: "js" }], 1);
 * const p = placeAtDefinitions(b.build(), textLineReader(() => "function f() {\n  work();\n}\n")); // f at /app/a.ts:1:10
 * ```
 */
export function placeAtDefinitions(profile: Profile, readLines: ReadLines): Profile {
  prefetch(profile.frames, (f) => unnamedAt(f) ?? reportedAt(f), readLines);
  let changed = false;
  // Async arrows' bodies, named after their arrows here.
  const bodies = new Set<Frame>();
  const frames: Frame[] = profile.frames.map((frame) => {
    // JavaScriptCore's frame for a module's top level: the module starts the file.
    if (frame.kind === "js" && frame.name === MODULE_FRAME_NAME && frame.file !== undefined && frame.line !== undefined) {
      if (frame.line === 1 && frame.col === 1) return frame;
      changed = true;
      return { ...frame, line: 1, col: 1 };
    }
    // An async arrow's body, which JavaScriptCore leaves unnamed, at its `{`: the arrow's name and place.
    const body = unnamedAt(frame);
    if (body !== undefined) {
      const text = readLines(body.path)?.line(body.line);
      const bound = text === undefined ? undefined : arrowBodyName(text, body.col);
      // A callback has no name to take, but has V8's place: its `async` or its parameters.
      const place = bound ?? (text === undefined ? undefined : arrowStartAtBody(text, body.col));
      if (place === undefined) return frame;
      changed = true;
      const placed: Frame = typeof place === "number" ? { ...frame, col: place } : { ...frame, name: place.name, col: place.col };
      bodies.add(placed);
      return placed;
    }
    const at = reportedAt(frame);
    const lines = at && readLines(at.path);
    if (!at || !lines) return frame;
    const def = findDefinition(lines, frame.name, at.line, frame.col);
    if (!def || (def.line === at.line && def.col === frame.col)) return frame;
    changed = true;
    return { ...frame, line: def.line, col: def.col };
  });
  if (!changed) return profile;
  if (bodies.size === 0) return rebuild(profile, frames);
  // A body called by its arrow's wrapper (its first run, before an await): one frame, as
  // `mergeAsyncPairs` makes of an async function's pair. The wrapper is the arrow of the same
  // name on the body's line, placed by now or not.
  return reinternProfile(profile, frames, {
    skipParent: (outer, inner) => bodies.has(inner) && outer !== inner && outer.name === inner.name && outer.file === inner.file && outer.line === inner.line,
  });
}

/**
 * Reads ahead the line `at` gives for each frame, each file in one pass: a
 * 9 MB compiler has a thousand such lines, which read one by one would cost
 * a call each.
 */
function prefetch(frames: readonly Frame[], at: (frame: Frame) => { path: string; line: number } | undefined, readLines: ReadLines): void {
  const wanted = new Map<string, number[]>();
  for (const frame of frames) {
    const where = at(frame);
    if (where === undefined) continue;
    const lines = wanted.get(where.path);
    if (lines) lines.push(where.line);
    else wanted.set(where.path, [where.line]);
  }
  for (const [path, lines] of wanted) readLines(path)?.prefetch?.(lines);
}

/** Where an unnamed JS frame with a column is, in a file on disk. */
function unnamedAt(frame: Frame): { path: string; line: number; col: number } | undefined {
  if (frame.kind !== "js" || frame.name !== ANONYMOUS_NAME || frame.file === undefined || frame.line === undefined || frame.col === undefined) return undefined;
  const path = toPath(frame.file);
  return path === undefined ? undefined : { path, line: frame.line, col: frame.col };
}

/** Where a frame placed at its definition is reported, in a file on disk; `undefined` for a frame that is not placed. */
function reportedAt(frame: Frame): { path: string; line: number } | undefined {
  if (frame.kind !== "js" || frame.file === undefined || frame.line === undefined || frame.name === ANONYMOUS_NAME || frame.name === MODULE_FRAME_NAME) return undefined;
  const path = toPath(frame.file);
  return path === undefined ? undefined : { path, line: frame.line };
}

/** Where a named JS frame is, in a file on disk; `undefined` for any other frame. */
function namedAt(frame: Frame): { path: string; line: number; col: number; name: string | undefined } | undefined {
  if (frame.kind !== "js" || frame.file === undefined || frame.line === undefined || frame.col === undefined) return undefined;
  const path = toPath(frame.file);
  if (path === undefined) return undefined;
  // An unnamed function may be bound to a name the engine did not see (see `boundName`).
  if (frame.name === ANONYMOUS_NAME) return { path, line: frame.line, col: frame.col, name: undefined };
  const name = declaredName(frame.name);
  return name === undefined ? undefined : { path, line: frame.line, col: frame.col, name };
}

/**
 * Moves every named JS frame whose column is V8's (the parameter list) to
 * where its function's name starts, reading the sources' lines with `readLines`:
 * the convention every runtime and mode shares, as editors show a function.
 * Frames already at their name, and frames whose source says otherwise,
 * keep their position. An unnamed function bound to a name in the source
 * (`const parse = (`) takes that name and its place, as the engine names it
 * when it sees the binding (tsx's `keepNames` hides it from V8); another
 * unnamed arrow sits at its parameter list. A function passed as an argument
 * that V8 named after the call and an object literal following it
 * (`el.addEventListener.once`) is unnamed, as its source says. A module's top level without a
 * position (V8's, after a top-level await) is placed at 1:1, where the
 * module starts.
 *
 * @example
 * ```ts
 * import { placeAtNames } from "./definitions.ts";
 * import { textLineReader } from "./source_lines.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "f", file: "/app/a.js", line: 1, col: 11, kind: "js" }], 1);
 * const p = placeAtNames(b.build(), textLineReader(() => "function f() {}\n")); // f at /app/a.js:1:10
 * ```
 */
export function placeAtNames(profile: Profile, readLines: ReadLines): Profile {
  prefetch(profile.frames, namedAt, readLines);
  let changed = false;
  const frames: Frame[] = profile.frames.map((frame) => {
    if (frame.kind !== "js" || frame.file === undefined) return frame;
    // A module's top level resumed after a top-level await comes without a
    // position: it is the module, which starts the file, as before the await.
    if (frame.line === undefined && frame.name === ANONYMOUS_NAME && toPath(frame.file) !== undefined) {
      changed = true;
      return { ...frame, name: MODULE_FRAME_NAME, line: 1, col: 1 };
    }
    const at = namedAt(frame);
    if (at === undefined) return frame;
    const text = readLines(at.path)?.line(at.line);
    if (text !== undefined && at.name === undefined) {
      // From where the function starts: its parameter list, as V8 reports it, where tsx's maps put it one past.
      const start = paramListStart(text, at.col) ?? at.col;
      const bound = boundName(text, start);
      const moved = bound === undefined ? { ...frame, col: start } : { ...frame, name: bound.name, col: bound.col };
      if (moved.col === frame.col && moved.name === frame.name) return frame;
      changed = true;
      return moved;
    }
    const col = text === undefined || at.name === undefined ? undefined : nameColumn(text, at.name, at.col);
    // A dotted name the source does not declare, on a function passed as an argument: V8's inference, no name.
    if (col === undefined && text !== undefined && frame.name.includes(".") && passedAsArgument(text, at.col, () => readLines(at.path)?.line(at.line - 1))) {
      changed = true;
      return { ...frame, name: ANONYMOUS_NAME, col: paramListStart(text, at.col) ?? at.col };
    }
    if (col === undefined || col === frame.col) return frame;
    changed = true;
    return { ...frame, col };
  });
  // V8 now and then gives a function a line tick from code inlined into it
  // from another script, past the end of the function's own file: that
  // line says nothing of the function, so the tick keeps its time but loses
  // its line.
  const lineCount = (f: number): number | undefined => {
    const path = frames[f]!.file === undefined ? undefined : toPath(frames[f]!.file!);
    return path === undefined ? undefined : readLines(path)?.count;
  };
  let outside = false;
  profile.lines?.forEach((ticks, f) => {
    const count = lineCount(f);
    if (count !== undefined) for (const line of ticks.keys()) if (line > count) outside = true;
  });
  if (outside) return rebuild(profile, frames, (f, line) => (line > (lineCount(f) ?? Infinity) ? undefined : line));
  return changed ? rebuild(profile, frames) : profile;
}
