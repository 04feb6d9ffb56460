/**
 * tsprof: a wall-clock sampling profiler for JavaScript and TypeScript on
 * Node, Deno and Bun.
 *
 * As a library: profile a block, a function or HTTP requests, then render
 * or save the session in any format.
 *
 * ```ts
 * import { Profiler, profile } from "./mod.ts";
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
export type { Frame, FrameKind, Profile, Session, SessionMeta, StackTable } from "./src/format/types.ts";
export { GC_FRAME, IDLE_FRAME, PROGRAM_FRAME, profileTotal } from "./src/format/types.ts";
export { frameKey, ProfileBuilder, stackFrames } from "./src/format/builder.ts";
export { sessionFromJson, sessionToJson } from "./src/format/session_json.ts";
export type { SessionJson, ProfileJson } from "./src/format/session_json.ts";
export type { Backend, BackendName, BackendStartOptions, Recording, RecordingContext } from "./src/backend.ts";
export { recordingToSession } from "./src/backend.ts";
export { ProfileFormatError, TsprofError, type TsprofErrorCode } from "./src/errors.ts";
export { buildCallTree, ROOT_FRAME, selfTime, walk, type BuildCallTreeOptions, type CallNode, type FrameGroup } from "./src/tree/call_tree.ts";
export {
  foldRecursion,
  groupLibraryFrames,
  processProfile,
  processTree,
  removeFrames,
  removeIrrelevantNodes,
  removeRuntimeFrames,
  removeToolFrames,
  type ProcessOptions,
  type ProcessProfileOptions,
} from "./src/tree/processors.ts";
export { aggregateRepeatedCalls, isLibraryFrame, mergeConsecutiveSelfTime, removeUnnecessarySelfTime, PROCESS_OPTIONS } from "./src/tree/processors.ts";
export { isSelfNode, ownTime, SELF_FRAME } from "./src/tree/call_tree.ts";
export { flatProfile, type FlatRow } from "./src/tree/flat.ts";
export type {
  FoldRecursionOptions,
  GroupLibraryFramesOptions,
  RemoveIrrelevantNodesOptions,
  RemoveRuntimeFramesOptions,
  RemoveToolFramesOptions,
  TimelineOptions,
} from "./src/tree/processors.ts";
export type { OptionSpec, OptionType } from "./src/option_spec.ts";
export { renderConsole, type ConsoleOptions } from "./src/render/console.ts";
export { renderSpeedscope, renderSpeedscopeBytes } from "./src/render/speedscope.ts";
export { profileToCpuProfile, renderCpuProfile } from "./src/render/cpuprofile.ts";
export { renderCollapsed, renderCollapsedBytes } from "./src/render/collapsed.ts";
export { SESSION_SCHEMA_URL } from "./src/format/session_json.ts";
export { checkCpuProfile } from "./src/import/cpuprofile_check.ts";
export { isBunCpuProfile, normalizeBunCpuProfile } from "./src/import/bun_cpuprofile.ts";
export { RENDERERS, rendererByName, rendererForFile, type Renderer, type RenderOptions } from "./src/render/registry.ts";
export type { OutputFormat } from "./src/render/formats.ts";
export { encodeSessionFile, loadProfileFile } from "./src/import/load.ts";
export { importV8CpuProfile, type V8CallFrame, type V8CpuProfile, type V8ImportOptions, type V8ProfileNode } from "./src/import/v8_cpuprofile.ts";
export { importSpeedscope } from "./src/import/speedscope.ts";
export { importChromeTrace, isChromeTrace } from "./src/import/chrome_trace.ts";
export { detectRuntime, loadBackend, type RuntimeName } from "./runtimes/auto.ts";
// The portable backend and its explicit API run anywhere; browsers import
// "tsprof/portable" (this module also loads the engine backends), bundlers
// add the plugin from "tsprof/esbuild".
export { portableBackend, profiled, profiledBlock, type NamedFrameOptions, type PortableBackendOptions } from "./runtimes/portable/mod.ts";
export { Recorder, type Activation, type Clock, type RecordingOptions } from "./runtimes/portable/recorder.ts";
export type { Ticker, TickerFactory } from "./runtimes/portable/ticker.ts";
export { Profiler, profile, profileFetch, profileMiddleware, profileNodeHandler, saveSession } from "./runtimes/library.ts";
export { Profiler as ProfilerCore, profileWith, type BackendLoader, type ProfileResult, type ProfilerHost, type ProfilerOptions, type SaveOptions } from "./src/profiler.ts";
export { renderSession } from "./src/render/output.ts";
export type { HttpProfilingOptions } from "./src/http/common.ts";
export type { FetchHandler } from "./src/http/fetch.ts";
export type { NextFunction, NodeMiddleware, NodeRequestLike, NodeResponseLike } from "./src/http/node.ts";
export { VERSION } from "./src/version.ts";
export { diffSessions, frameMatchKey, type DiffNode, type DiffOptions, type DiffSide, type FunctionDiff, type SessionDiff } from "./src/diff/diff_tree.ts";
export { assessChange, type Change, type Confidence, type NoiseModel } from "./src/diff/significance.ts";
export { checkBudgets, parseBudgetsJson, type BudgetResult, type Budgets } from "./src/diff/budgets.ts";
export { renderDiffConsole, type DiffConsoleOptions } from "./src/render/diff_console.ts";
export { renderDiffJson } from "./src/render/diff_json.ts";
export { renderDiffHtml, type DiffHtmlOptions } from "./src/render/diff_html.ts";
export { renderDiffMarkdown, renderMarkdown, type MarkdownOptions } from "./src/render/markdown.ts";

// `deno run -A ./mod.ts script.ts` is the CLI on Deno (and what
// `jsr:@tsprof/cli` runs); imported as a library, this does nothing.
if (import.meta.main) {
  const { runCli } = await import("./src/cli/run_cli.ts");
  await runCli();
}
