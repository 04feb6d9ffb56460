/**
 * `tsprof/render`: every output format as a function, for tools that render
 * a session themselves. {@linkcode renderSession} picks a renderer by name;
 * the others write one format each.
 *
 * @example
 * ```ts
 * import { renderSession } from "tsprof/render";
 * import { profile } from "tsprof";
 * const { session } = await profile(() => [3, 1, 2].sort());
 * const speedscope = renderSession(session, "speedscope");
 * ```
 *
 * @module
 */
export { renderSession } from "./output.ts";
export { RENDERERS, rendererByName, rendererForFile, type Renderer, type RenderOptions } from "./registry.ts";
export type { OutputFormat } from "./formats.ts";
export { renderConsole, type ConsoleOptions } from "./console.ts";
export { renderSpeedscope, renderSpeedscopeBytes } from "./speedscope.ts";
export { profileToCpuProfile, renderCpuProfile } from "./cpuprofile.ts";
export { renderCollapsed, renderCollapsedBytes } from "./collapsed.ts";
export { renderPprof } from "./pprof.ts";
