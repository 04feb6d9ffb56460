/**
 * Every output format, by name: what the CLI's `-r` chooses from and what
 * `-o` infers from a file name.
 *
 * @module
 */
import { encodeSessionFile } from "../import/load.ts";
import { sessionToJson } from "../format/session_json.ts";
import type { Session } from "../format/types.ts";
import type { ConsoleOptions } from "./console.ts";
import { CONSOLE_RENDERER } from "./console_renderer.ts";
import { renderHtml } from "./html.ts";
import { renderSpeedscopeBytes } from "./speedscope.ts";
import { renderCpuProfile } from "./cpuprofile.ts";
import { renderCollapsedBytes } from "./collapsed.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderPprof } from "./pprof.ts";
import { FORMATS, formatForFile, type OutputFormat } from "./formats.ts";

/**
 * Options every renderer accepts; each reads what it needs.
 *
 * @example
 * ```ts
 * import { renderSession, type RenderOptions } from "tsprof";
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
 * One output format and its renderer.
 *
 * @example
 * ```ts
 * import type { Renderer } from "tsprof/render";
 * const summary: Renderer = {
 *   name: "summary",
 *   extensions: [".summary.txt"],
 *   description: "one line per profile",
 *   render: (s) => s.profiles.map((p) => `${p.name}: ${p.samples.length} samples`).join("\n"),
 * };
 * ```
 */
export interface Renderer extends OutputFormat {
  /** Renders a session; text or bytes. */
  render(session: Session, options: RenderOptions): string | Uint8Array;
}

/** How each format is rendered, by name. */
const RENDER: Record<string, Renderer["render"]> = {
  console: CONSOLE_RENDERER.render,
  // Bytes: an hour of deep stacks outgrows the longest string an engine allows.
  speedscope: (s, o) => renderSpeedscopeBytes(s, o.version ?? "0.0.0"),
  html: (s, o) => renderHtml(s, o),
  json: (s) => sessionToJson(s),
  session: (s) => encodeSessionFile(s),
  cpuprofile: (s) => renderCpuProfile(s),
  // Bytes: many distinct deep stacks outgrow the longest string an engine allows.
  collapsed: (s) => renderCollapsedBytes(s),
  markdown: (s, o) => renderMarkdown(s, o),
  pprof: (s) => renderPprof(s),
};

/**
 * All renderers, in the order `--help` lists them.
 *
 * @example
 * ```ts
 * import { RENDERERS } from "tsprof/render";
 * RENDERERS.map((r) => r.name); // ["console", "speedscope", "json", "session", ...]
 * ```
 */
export const RENDERERS: readonly Renderer[] = FORMATS.map((f) => ({ ...f, render: RENDER[f.name]! }));

/**
 * The renderer called `name`, if any.
 *
 * @example
 * ```ts
 * import { rendererByName } from "tsprof/render";
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
 * import { rendererForFile } from "tsprof/render";
 * rendererForFile("out.speedscope.json")?.name; // "speedscope" (the longest ending wins over ".json")
 * ```
 */
export function rendererForFile(file: string): Renderer | undefined {
  return formatForFile(RENDERERS, file);
}
