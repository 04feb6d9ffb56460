/**
 * The await marks where Node has no in-thread module hooks (Node 20, before
 * 22.15): ES modules are marked on Node's loader thread
 * (`await_marks_hooks.ts`, through `module.register`), CommonJS modules on
 * the main thread as `Module.prototype._compile` compiles them (Node 20
 * loads them without the hooks; tsx compiles required TypeScript there too).
 * The loader thread tells the main thread each edit's map through a port,
 * read at once when the maps are asked for (at exit).
 *
 * @module
 */
import Module, { register } from "node:module";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import type { RawSourceMap } from "../../sourcemap/inline_maps.ts";
import { type AwaitMarks, awaitMarker, type AwaitMarksOptions } from "./await_marks.ts";
import type { MarksHooksData, MarksMessage } from "./await_marks_hooks.ts";

/** What {@linkcode installThreadAwaitMarks} returns. */
export interface ThreadAwaitMarks extends AwaitMarks {
  /** The id of the thread Node runs the hooks on: the first hooks registered start it. */
  readonly hooksThreadId: number;
}

/**
 * Starts marking the `await`s of the user's modules loaded from now on, on
 * the main thread of a Node without in-thread hooks; `undefined` where
 * Node has no `module.register` either, or the marks' libraries cannot be
 * found.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { installThreadAwaitMarks } from "./await_marks_thread.ts";
 * const marks = installThreadAwaitMarks({ readText: (url) => readFileSync(url, "utf8") });
 * await import("./app.mjs");
 * marks?.maps();
 * ```
 */
export function installThreadAwaitMarks(options: AwaitMarksOptions): ThreadAwaitMarks | undefined {
  if (typeof register !== "function") return undefined;
  const maps = new Map<string, RawSourceMap>();
  const edited = (url: string, file: string, map: RawSourceMap) => {
    maps.set(url, map);
    maps.set(file, map);
  };
  const marker = awaitMarker({ ...options, onEdited: edited });
  if (marker === undefined) return undefined;
  const { port1, port2 } = new MessageChannel();
  // Read only when asked: the port must not keep the program alive.
  port1.unref();
  const fromSource = import.meta.url.endsWith(".ts");
  const thread = new Int32Array(new SharedArrayBuffer(4));
  const data: MarksHooksData = { keepDir: options.keep?.dir, port: port2, thread, codeMaps: options.codeMaps === true };
  try {
    // Returns once the hooks' initialize has run.
    register(fromSource ? "./await_marks_hooks.ts" : "./await_marks_hooks.js", import.meta.url, { data, transferList: [port2] });
  } catch {
    port1.close();
    return undefined;
  }
  const proto = (Module as unknown as { prototype: { _compile(content: string, filename: string): unknown } }).prototype;
  const compile = proto._compile;
  proto._compile = function (this: unknown, content: string, filename: string) {
    return compile.call(this, marker.compile(content, filename), filename);
  };
  return {
    hooksThreadId: thread[0]!,
    maps() {
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) {
        const message = m.message as MarksMessage;
        if ("tooLarge" in message) options.onTooLarge?.(message.tooLarge);
        else edited(message.url, message.file, message.map as RawSourceMap);
      }
      return maps;
    },
  };
}
