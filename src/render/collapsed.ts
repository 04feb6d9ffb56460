/**
 * Writes collapsed stacks (Brendan Gregg's "folded" format), the input of
 * `flamegraph.pl`, inferno and speedscope's text importer: one line per
 * distinct stack, frames outermost first joined by `;`, then a space and a
 * count.
 *
 * The count is **integer microseconds** of wall time (the stack's summed
 * weights, rounded): folded-stack tools want whole numbers, and milliseconds
 * would round a 1 ms sampler's samples away. Use `flamegraph.pl
 * --countname=us` to label it. Frames read `name (path:line)`, paths relative
 * to the profile's working directory; a sample with no stack at all is
 * written as `(idle)`. With several threads or processes, each line starts
 * with the profile's name.
 *
 * @module
 */
import { StackInterner } from "../format/stack_interner.ts";
import type { Frame, Session } from "../format/types.ts";
import { shortPath } from "../paths.ts";
import { keptStacks } from "../tree/kept_stacks.ts";
import { encodePieces } from "./_bytes.ts";

/** One frame as a folded-stack entry; `;` and line breaks cannot appear in it. */
export function collapsedFrameName(frame: Frame, cwd?: string): string {
  let text = frame.name;
  if (frame.file !== undefined && frame.file !== "") {
    text += ` (${shortPath(frame.file, cwd)}${frame.line !== undefined ? `:${frame.line}` : ""})`;
  }
  // ";" separates frames and a line ends a record: neither may appear inside one.
  return text.replace(/;/g, ":").replace(/[\r\n]+/g, " ");
}

/**
 * Renders a session as collapsed stacks in stack order (frame by frame,
 * names in code-unit order, a stack before the stacks it calls), counts in
 * integer microseconds.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { renderCollapsed } from "tsprof/render";
 * const b = new ProfileBuilder("main");
 * const main = { name: "main", file: "/app/a.ts", line: 1, col: 1, kind: "js" } as const;
 * b.addSample([main], 2.5);
 * const text = renderCollapsed({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 2.5, cwd: "/app" },
 *   profiles: [b.build()],
 * });
 * // text === "main (a.ts:1) 2500\n"
 * ```
 */
export function renderCollapsed(session: Session): string {
  let out = "";
  for (const line of collapsedLines(session)) out += line;
  return out;
}

/**
 * {@linkcode renderCollapsed} as UTF-8 bytes, encoded a line at a time: a
 * long profile with many distinct stacks makes more text than an engine's
 * longest string.
 *
 * @example
 * ```ts
 * import { renderCollapsedBytes } from "tsprof/render";
 * // await Deno.writeFile("out.collapsed", renderCollapsedBytes(session));
 * ```
 */
export function renderCollapsedBytes(session: Session): Uint8Array {
  return encodePieces(collapsedLines(session));
}

/** The lines of the collapsed file, each ending in a newline. */
function* collapsedLines(session: Session): Generator<string> {
  // One tree of frame names over every profile: stacks whose names read
  // the same are one line, whatever frames they came from.
  const paths = new StackInterner();
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const nameId = (name: string): number => {
    let id = nameIds.get(name);
    if (id === undefined) nameIds.set(name, (id = names.push(name) - 1));
    return id;
  };
  let weight = new Float64Array(1024);
  const add = (path: number, ms: number) => {
    if (path >= weight.length) {
      const grown = new Float64Array(Math.max(weight.length * 2, path + 1));
      grown.set(weight);
      weight = grown;
    }
    weight[path]! += ms;
  };
  const several = session.profiles.length > 1;
  for (const p of session.profiles) {
    const root = several ? paths.intern(-1, nameId(collapsedFrameName({ name: p.name, kind: "root" }))) : -1;
    const frameName = p.frames.map((f) => nameId(collapsedFrameName(f, session.meta.cwd)));
    const { table, of } = keptStacks(p, new Uint8Array(p.frames.length));
    const path = new Int32Array(table.length);
    for (let k = 0; k < table.length; k++) {
      const parent = table.parent[k]!;
      path[k] = paths.intern(parent === -1 ? root : path[parent]!, frameName[table.frame[k]!]!);
    }
    for (let i = 0; i < p.samples.length; i++) {
      const s = p.samples[i]!;
      const k = s < 0 ? -1 : of[s]!;
      // A sample with no stack at all is idle time.
      add(k < 0 ? paths.intern(root, nameId("(idle)")) : path[k]!, p.weights[i]!);
    }
  }
  // Depth first, siblings by name: stack by stack, frame by frame, each
  // stack's own line before those of what it calls. A line's text is its
  // caller's plus one name, kept only while the walk is below it.
  const { parent, frame, length } = paths.table();
  const children: number[][] = Array.from({ length: length + 1 }, () => []);
  for (let k = 0; k < length; k++) children[parent[k]! + 1]!.push(k);
  const byName = (a: number, b: number) => (names[frame[a]!]! < names[frame[b]!]! ? -1 : 1);
  const todo: [number, string][] = children[0]!.sort(byName).reverse().map((k) => [k, names[frame[k]!]!]);
  while (todo.length > 0) {
    const [k, line] = todo.pop()!;
    const us = Math.round((k < weight.length ? weight[k]! : 0) * 1000);
    if (us > 0) yield `${line} ${us}\n`;
    const kids = children[k + 1]!.sort(byName);
    for (let c = kids.length - 1; c >= 0; c--) todo.push([kids[c]!, `${line};${names[frame[kids[c]!]!]!}`]);
  }
}
