/**
 * The waits' side of `src/import/commonjs_facade.ts`: in Deno's stack traces
 * at an `await` of a CommonJS module, the facade that `require`s the module
 * bears the module's name, right below its top level (Deno's loader frames
 * between them are not the program's, and not kept). Placed, it stood as an
 * unnamed function at a made-up line under which the program's waits hung.
 *
 * @module
 */
import { MODULE_FRAME_NAME } from "../format/types.ts";
import type { AwaitWait } from "./charge_awaits.ts";
import { mapWaitFrames } from "./wait_frames.ts";

/**
 * `waits` without the frame right below a module's top level that names the
 * same file: no code calls its own module's top level but Deno's facade.
 *
 * @example
 * ```ts
 * import { dropCommonJsFacades } from "./commonjs_waits.ts";
 * const js = (name: string, line: number) => ({ name, file: "/app/a.ts", line, col: 1, kind: "js" as const });
 * const [w] = dropCommonJsFacades([{ start: 0, end: 5, stack: [js("(anonymous)", 3), js("(module)", 1), js("main", 12)], at: { file: "/app/a.ts", line: 14, col: 9 } }]);
 * w!.stack.map((f) => f.name); // ["(module)", "main"]
 * ```
 */
export function dropCommonJsFacades(waits: readonly AwaitWait[]): readonly AwaitWait[] {
  return mapWaitFrames(waits, (w) => {
    const drop = w.stack.map((f, k) => k + 1 < w.stack.length && w.stack[k + 1]!.name === MODULE_FRAME_NAME && w.stack[k + 1]!.file === f.file && f.file !== undefined);
    if (!drop.includes(true)) return w;
    const stack = w.stack.filter((_, k) => !drop[k]);
    const calls = w.calls?.filter((_, k) => !drop[k]);
    return calls ? { stack, calls } : { stack };
  });
}
