/**
 * tsprof: a wall-clock sampling profiler for JavaScript and TypeScript on
 * Node, Deno and Bun.
 *
 * As a library: profile a block, a function or HTTP requests, then render
 * or save the session in any format.
 *
 * ```ts
 * import { Profiler, profile } from "tsprof";
 * const profiler = new Profiler();
 * await profiler.start();
 * JSON.stringify(Array.from({ length: 1e5 }, (_, i) => ({ i })));
 * await profiler.stop();
 * console.log(profiler.render("console"));
 *
 * const { result, session } = await profile(() => [3, 1, 2].sort());
 * ```
 *
 * As a command on Deno: `deno run -A ./mod.ts script.ts [args...]` (the JSR
 * entry of `@tsprof/cli`).
 *
 * @module
 */
// What a user needs: record, render and save, load, the HTTP wrappers, and
// the types of what these return. Everything else has a subpath named for
// who it is for: tsprof/format (the model and its JSON), tsprof/import
// (readers of other tools' files), tsprof/render (writers), tsprof/tree
// (call trees and processors, for custom reports), tsprof/backend (engine
// backends), tsprof/portable and tsprof/esbuild (the pure-JS profiler).
// test/library/exports_test.ts holds this list to an allow-list.
export { Profiler, profile, profileFetch, profileMiddleware, profileNodeHandler, saveSession } from "./runtimes/bound_api.ts";
export type { ProfileResult, ProfilerOptions, SaveOptions } from "./src/profiler.ts";
export { renderSession } from "./src/render/output.ts";
export type { RenderOptions } from "./src/render/registry.ts";
export { loadProfileFile } from "./src/import/load.ts";
export { profileTotal } from "./src/format/types.ts";
export type { Profile, Session, SessionMeta } from "./src/format/types.ts";
export { ProfileFormatError, TsprofError, type TsprofErrorCode } from "./src/errors.ts";
export type { HttpProfilingOptions } from "./src/http/common.ts";
export type { FetchHandler } from "./src/http/fetch.ts";
export type { NextFunction, NodeMiddleware, NodeRequestLike, NodeResponseLike } from "./src/http/node.ts";
export { VERSION } from "./src/version.ts";

// `deno run -A ./mod.ts script.ts` is the CLI on Deno (and what
// `jsr:@tsprof/cli` runs); imported as a library, this does nothing.
if (import.meta.main) {
  const { runCli } = await import("./src/cli/run_cli.ts");
  await runCli();
}
