/**
 * Node's module hooks for the portable backend (registered with
 * `module.register`, so they run on Node's loader thread): every ES module of
 * the user's code is instrumented after the loaders before (tsx for
 * TypeScript) have turned it into JavaScript.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import { type InstrumentFilter, shouldInstrument } from "./filter.ts";
import { instrumentCode } from "./transform.ts";

/** What `installNodeLoader` hands to the hooks. */
export interface HooksData extends InstrumentFilter {
  /** URL of the module that exports `recorder`. */
  readonly recorderUrl: string;
  /** Shared memory where the hooks write the id of the thread they run on. */
  readonly thread?: Int32Array;
}

let data: HooksData | undefined;

/** Receives the settings from `module.register`. */
export function initialize(d: HooksData): void {
  data = d;
  if (d.thread) Atomics.store(d.thread, 0, threadId);
}

/** What a load hook returns. */
export interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}

/** Instruments ES modules (and CommonJS, where Node hands its source to hooks). */
export async function load(url: string, context: object, nextLoad: (url: string, context: object) => Promise<LoadResult>): Promise<LoadResult> {
  const r = await nextLoad(url, context);
  return data ? instrumentLoaded(url, r, data) : r;
}

/**
 * What a load hook hands on: the module instrumented when it is the user's
 * JavaScript, else as it came. Shared by these hooks and the in-thread ones
 * (`module.registerHooks`, Node 22.15 and later).
 */
export function instrumentLoaded(url: string, r: LoadResult, settings: HooksData): LoadResult {
  if (!url.startsWith("file:") || r.source == null || (r.format !== "module" && r.format !== "commonjs")) return r;
  const file = fileURLToPath(url);
  if (!shouldInstrument(file, settings)) return r;
  const text = typeof r.source === "string" ? r.source : new TextDecoder().decode(r.source as ArrayBuffer);
  const code = instrumentCode(text, {
    file,
    format: r.format === "module" ? "esm" : "cjs",
    recorderSpecifier: settings.recorderUrl,
    cjs: "global",
  });
  return code === undefined ? r : { ...r, source: code };
}
