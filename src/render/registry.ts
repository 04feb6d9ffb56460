/**
 * Every output format, by name: what the CLI's `-r` chooses from and what
 * `-o` infers from a file name.
 *
 * @module
 */
import { encodeSessionFile } from "../import/load.ts";
import { sessionToJson } from "../format/session_json.ts";
import type { Session } from "../format/types.ts";
import { type ConsoleOptions, renderConsole } from "./console.ts";
import { renderHtml } from "./html.ts";
import { renderSpeedscopeBytes } from "./speedscope.ts";
import { renderCpuProfile } from "./cpuprofile.ts";
import { renderCollapsedBytes } from "./collapsed.ts";

/**
 * Options every renderer accepts; each reads what it needs.
 *
 * @example
 * ```ts
 * import { renderSession, type RenderOptions } from "../../mod.ts";
 * const options: RenderOptions = { version: "0.1.0", showAll: true };
 * const json = renderSession({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 0 },
 *   profiles: [],
 * }, "speedscope", options);
 * ```
 */
export interface RenderOptions extends ConsoleOptions {
  /** tsprof's version, for headers and `exporter` fields. */
  version?: string;
}

/**
 * One output format.
 *
 * @example
 * ```ts
 * import type { Renderer } from "./registry.ts";
 * const summary: Renderer = {
 *   name: "summary",
 *   extensions: [".summary.txt"],
 *   description: "one line per profile",
 *   render: (s) => s.profiles.map((p) => `${p.name}: ${p.samples.length} samples`).join("\n"),
 * };
 * ```
 */
export interface Renderer {
  /** Name given to `-r`. */
  readonly name: string;
  /** File name endings that select it, longest first. */
  readonly extensions: readonly string[];
  /** What it is, for `--help`. */
  readonly description: string;
  /** Renders a session; text or bytes. */
  render(session: Session, options: RenderOptions): string | Uint8Array;
}

/**
 * All renderers, in the order `--help` lists them.
 *
 * @example
 * ```ts
 * import { RENDERERS } from "./registry.ts";
 * RENDERERS.map((r) => r.name); // ["console", "speedscope", "json", "session", ...]
 * ```
 */
export const RENDERERS: readonly Renderer[] = [
  {
    name: "console",
    extensions: [".txt"],
    description: "call tree as text",
    render: (s, o) => renderConsole(s, o),
  },
  {
    name: "speedscope",
    extensions: [".speedscope.json"],
    description: "speedscope file (the shared format)",
    // Bytes: an hour of deep stacks outgrows the longest string an engine allows.
    render: (s, o) => renderSpeedscopeBytes(s, o.version ?? "0.0.0"),
  },
  {
    name: "html",
    extensions: [".html", ".htm"],
    description: "self-contained HTML report (call tree, flame graph, timeline, functions)",
    render: (s, o) => renderHtml(s, o),
  },
  {
    name: "json",
    extensions: [".json"],
    description: "tsprof JSON (lossless, versioned)",
    render: (s) => sessionToJson(s),
  },
  {
    name: "session",
    extensions: [".tsprof"],
    description: "saved session (gzipped tsprof JSON), for --load",
    render: (s) => encodeSessionFile(s),
  },
  {
    name: "cpuprofile",
    extensions: [".cpuprofile"],
    description: "Chrome/V8 .cpuprofile of the main thread (DevTools, VS Code, speedscope)",
    render: (s) => renderCpuProfile(s),
  },
  {
    name: "collapsed",
    extensions: [".collapsed", ".folded"],
    description: "collapsed stacks for flamegraph.pl and inferno (counts in microseconds)",
    // Bytes: many distinct deep stacks outgrow the longest string an engine allows.
    render: (s) => renderCollapsedBytes(s),
  },
];

/**
 * The renderer called `name`, if any.
 *
 * @example
 * ```ts
 * import { rendererByName } from "./registry.ts";
 * rendererByName("speedscope")?.extensions; // [".speedscope.json"]
 * ```
 */
export function rendererByName(name: string): Renderer | undefined {
  return RENDERERS.find((r) => r.name === name);
}

/**
 * The renderer a file name asks for by its ending, if any.
 *
 * @example
 * ```ts
 * import { rendererForFile } from "./registry.ts";
 * rendererForFile("out.speedscope.json")?.name; // "speedscope" (the longest ending wins over ".json")
 * ```
 */
export function rendererForFile(file: string): Renderer | undefined {
  let best: Renderer | undefined;
  let bestLen = 0;
  for (const r of RENDERERS) {
    for (const ext of r.extensions) {
      if (file.endsWith(ext) && ext.length > bestLen) {
        best = r;
        bestLen = ext.length;
      }
    }
  }
  return best;
}
