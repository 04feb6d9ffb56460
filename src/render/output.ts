/**
 * Renders a session by renderer name, for the library and the HTTP
 * integrations: one call for every format in the registry.
 *
 * @module
 */
import type { Session } from "../format/types.ts";
import { RENDERERS, rendererByName, rendererForFile, type Renderer, type RenderOptions } from "./registry.ts";
import { TsprofError } from "../errors.ts";

/** MIME type of each renderer's output, for HTTP responses. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  console: "text/plain; charset=utf-8",
  html: "text/html; charset=utf-8",
  speedscope: "application/json; charset=utf-8",
  json: "application/json; charset=utf-8",
  session: "application/gzip",
};

/**
 * The renderer called `name`.
 *
 * @throws {TsprofError} `UNKNOWN_RENDERER`, naming the renderers there are, when none is called `name`
 */
export function requireRenderer(name: string): Renderer {
  const r = rendererByName(name);
  if (!r) throw new TsprofError("UNKNOWN_RENDERER", `Cannot render: unknown renderer "${name}": choose one of ${RENDERERS.map((x) => x.name).join(", ")}`);
  return r;
}

/**
 * The renderer a file name asks for, or the one named in `name`.
 *
 * @throws {TsprofError} `UNKNOWN_RENDERER` when neither names a renderer
 */
export function rendererForSave(path: string, name?: string): Renderer {
  if (name !== undefined) return requireRenderer(name);
  const r = rendererForFile(path);
  if (!r) {
    const endings = RENDERERS.flatMap((x) => x.extensions).join(", ");
    throw new TsprofError("UNKNOWN_RENDERER", `Cannot tell the format of "${path}" from its name: end it with one of ${endings}, or give a renderer`);
  }
  return r;
}

/**
 * Renders `session` with the renderer called `name` (`console`, `json`,
 * `speedscope`, `session`, `html` where present, ...).
 *
 * @throws {RangeError} for an unknown renderer
 * @example
 * ```ts
 * import { ProfileBuilder } from "tsprof/format";
 * import { renderSession } from "tsprof";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "work", file: "/app/a.ts", line: 1, kind: "js" }], 5);
 * const session = {
 *   version: 1 as const,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 5 },
 *   profiles: [b.build()],
 * };
 * const text = renderSession(session, "console"); // a call tree as text
 * const speedscope = renderSession(session, "speedscope"); // JSON for speedscope.app
 * ```
 */
export function renderSession(session: Session, name: string, options: RenderOptions = {}): string | Uint8Array {
  return requireRenderer(name).render(session, options);
}

/** MIME type of a renderer's output; `application/octet-stream` when unknown. */
export function contentType(name: string): string {
  return CONTENT_TYPES[name] ?? (rendererByName(name)?.extensions.some((e) => e.endsWith(".json")) ? "application/json; charset=utf-8" : "application/octet-stream");
}
