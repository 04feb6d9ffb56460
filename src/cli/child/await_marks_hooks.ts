/**
 * Node 20's module hooks for the await marks (registered with
 * `module.register`, so they run on Node's loader thread, after tsx's):
 * each ES module of the user's is marked as in `await_marks.ts`, and the map
 * of each edit goes to the main thread through the port it handed in
 * (`await_marks_thread.ts`), where the CLI's maps are gathered at exit.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { type MessagePort, threadId } from "node:worker_threads";
import { writeCacheFileSync } from "../../../runtimes/_files.ts";
import { type AwaitMarker, awaitMarker, type LoadResult } from "./await_marks.ts";

/** What `await_marks_thread.ts` hands the hooks. */
export interface MarksHooksData {
  /** Where edits are kept between runs (`ChildConfig.awaitsCacheDir`). */
  readonly keepDir?: string | undefined;
  /** Where each edit's map and each module too large to edit is told. */
  readonly port: MessagePort;
  /** Shared memory where the hooks write the id of the thread they run on. */
  readonly thread: Int32Array;
  /** The edits' maps lead to the code as it came (`AwaitMarksOptions.codeMaps`). */
  readonly codeMaps?: boolean;
}

/** A message on the port: an edited module's map, or a module left as it is for its size. */
export type MarksMessage =
  | { readonly url: string; readonly file: string; readonly map: object }
  | { readonly tooLarge: { readonly path: string; readonly chars: number } };

let marker: AwaitMarker | undefined;

/** Receives the settings from `module.register`. */
export function initialize(data: MarksHooksData): void {
  const { port } = data;
  Atomics.store(data.thread, 0, threadId);
  const tell = (message: MarksMessage) => port.postMessage(message);
  marker = awaitMarker({
    readText: (file) => readFileSync(file, "utf8"),
    keep: { dir: data.keepDir, write: (path, text) => void writeCacheFileSync(path, text) },
    onTooLarge: (tooLarge) => tell({ tooLarge }),
    onEdited: (url, file, map) => tell({ url, file, map }),
    // Node 20 loads CommonJS without these hooks: `_compile` marks it on the main thread.
    formats: ["esm"],
    codeMaps: data.codeMaps === true,
  });
}

/** Marks the user's ES modules, after the hooks before (tsx) made them JavaScript. */
export async function load(url: string, context: object, nextLoad: (url: string, context: object) => Promise<LoadResult>): Promise<LoadResult> {
  const r = await nextLoad(url, context);
  return marker === undefined ? r : marker.load(url, r);
}
