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
import type { Frame, Profile, Session } from "../format/types.ts";
import { shortPath } from "../paths.ts";
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

function collapseProfile(profile: Profile, prefix: string | undefined, cwd: string | undefined, out: Map<string, number>): void {
  const byStack = new Float64Array(profile.stacks.length);
  let empty = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    if (s < 0) empty += profile.weights[i]!;
    else byStack[s]! += profile.weights[i]!;
  }
  const names = profile.frames.map((f) => collapsedFrameName(f, cwd));
  const add = (key: string, ms: number) => out.set(key, (out.get(key) ?? 0) + ms);
  const chain: string[] = [];
  for (let s = 0; s < profile.stacks.length; s++) {
    const ms = byStack[s]!;
    if (ms <= 0) continue;
    chain.length = 0;
    for (let t = s; t !== -1; t = profile.stacks.parent[t]!) chain.push(names[profile.stacks.frame[t]!]!);
    if (prefix !== undefined) chain.push(prefix);
    add(chain.reverse().join(";"), ms);
  }
  if (empty > 0) add(prefix === undefined ? "(idle)" : `${prefix};(idle)`, empty);
}

/**
 * Renders a session as collapsed stacks, sorted by stack text (as
 * `stackcollapse-*` tools do), counts in integer microseconds.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { renderCollapsed } from "./collapsed.ts";
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
 * import { renderCollapsedBytes } from "./collapsed.ts";
 * // await Deno.writeFile("out.collapsed", renderCollapsedBytes(session));
 * ```
 */
export function renderCollapsedBytes(session: Session): Uint8Array {
  return encodePieces(collapsedLines(session));
}

/** The lines of the collapsed file, each ending in a newline. */
function* collapsedLines(session: Session): Generator<string> {
  const totals = new Map<string, number>();
  const several = session.profiles.length > 1;
  for (const p of session.profiles) collapseProfile(p, several ? collapsedFrameName({ name: p.name, kind: "root" }) : undefined, session.meta.cwd, totals);
  for (const key of [...totals.keys()].sort()) {
    const us = Math.round(totals.get(key)! * 1000);
    if (us > 0) yield `${key} ${us}\n`;
  }
}
