/**
 * The console report as a {@linkcode Renderer}, in a module of its own: the
 * CLI prints it after a run without loading every other format's code
 * (the HTML viewer, the pprof codec).
 *
 * @module
 */
import { renderConsole } from "./console.ts";
import { FORMATS } from "./formats.ts";
import type { Renderer } from "./registry.ts";

/**
 * The `console` format and its renderer, as `RENDERERS` holds it.
 *
 * @example
 * ```ts
 * import { CONSOLE_RENDERER } from "./console_renderer.ts";
 * CONSOLE_RENDERER.extensions; // [".txt"]
 * ```
 */
export const CONSOLE_RENDERER: Renderer = { ...FORMATS.find((f) => f.name === "console")!, render: (s, o) => renderConsole(s, o) };
