/**
 * Completes the stacks of waits that the engine cut. After an `await`, a
 * stack trace gives the awaiting functions' chain (`at async main`) but
 * stops at the outermost async function: the module whose top level called
 * `main()`, and awaits it, is missing (JavaScriptCore); so is the plain
 * function that called an async callback (V8: a `once()` wrapper, as
 * Express's `app.listen` has, is in the callback's first wait only). Without it, the top level's own wait
 * (`await main()`) does not contain the waits inside `main`, and the two
 * would share the time as if concurrent. A cut stack takes the callers its
 * outermost function had in the latest earlier wait that shows them (that
 * function's first run, whose stack is synchronous and whole).
 *
 * @module
 */
import { type Frame, MODULE_FRAME_NAME } from "../format/types.ts";
import type { AwaitWait } from "./charge_awaits.ts";

// By column too: in generated code (a bundle, tsx's CommonJS output) many
// unnamed functions share a line, and each has callers of its own.
const key = (f: Frame) => `${f.file}\u0000${f.name}\u0000${f.line}\u0000${f.col}`;

/**
 * `waits` with each cut stack completed (see the module's doc).
 *
 * @example
 * ```ts
 * import { completeCutStacks } from "./cut_stacks.ts";
 * const top = { name: "(module)", file: "/app/a.ts", line: 1, col: 1, kind: "js" as const };
 * const main = { name: "main", file: "/app/a.ts", line: 3, col: 16, kind: "js" as const };
 * const at = { file: "/app/a.ts", line: 4, col: 3 };
 * const [, later] = completeCutStacks([{ start: 0, end: 5, stack: [top, main], at }, { start: 6, end: 9, stack: [main], at }]);
 * later!.stack.map((f) => f.name); // ["(module)", "main"]
 * ```
 */
export function completeCutStacks(waits: readonly AwaitWait[]): AwaitWait[] {
  const order = waits.map((_, i) => i).sort((a, b) => waits[a]!.start - waits[b]!.start);
  const callers = new Map<string, readonly Frame[]>();
  const out: AwaitWait[] = waits.slice();
  // The waits of a call share their stack (`wait_frames.ts`): what is made of one is made once.
  const keys = new Map<readonly Frame[], { keys: string[]; prefixes: (readonly Frame[])[] }>();
  const readOf = (stack: readonly Frame[]) => {
    let r = keys.get(stack);
    if (r === undefined) keys.set(stack, (r = { keys: stack.map(key), prefixes: stack.map((_, k) => stack.slice(0, k)) }));
    return r;
  };
  const completed = new Map<readonly Frame[], Map<readonly Frame[], readonly Frame[]>>();
  let last: readonly Frame[] | undefined;
  for (const i of order) {
    const w = waits[i]!;
    const bottom = w.stack[0];
    let stack = w.stack;
    if (bottom !== undefined && bottom.name !== MODULE_FRAME_NAME) {
      const above = callers.get(readOf(w.stack).keys[0]!);
      if (above !== undefined) {
        let byAbove = completed.get(w.stack);
        if (byAbove === undefined) completed.set(w.stack, (byAbove = new Map()));
        let whole = byAbove.get(above);
        if (whole === undefined) byAbove.set(above, (whole = [...above, ...w.stack]));
        stack = whole;
        out[i] = { ...w, stack };
      }
    }
    // The same stack as the wait before: the callers it shows are noted already.
    if (stack === last) continue;
    last = stack;
    const r = readOf(stack);
    for (let k = 1; k < stack.length; k++) callers.set(r.keys[k]!, r.prefixes[k]!);
  }
  return out;
}
