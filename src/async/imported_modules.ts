/**
 * Puts the waits of a dynamically imported module's top level under the
 * `await import(...)` that waited for it. A module with a top-level `await`
 * is evaluated by the runtime, not called by its importer: JavaScriptCore's
 * and Deno's stack traces at its `await`s start at the module's own
 * `(module)` frame. Left so, the importer's `[await] import` and the
 * module's own `[await]`s look concurrent and share the wait (half each,
 * one half at the profile's root); nested, the module's waits are the
 * innermost and take it all, under the function that imported it, as V8
 * shows it on Node 24.
 *
 * @module
 */
import { type Frame, MODULE_FRAME_NAME } from "../format/types.ts";
import type { AwaitWait } from "./charge_awaits.ts";
import { awaitedName, type ReadSource } from "./label_awaits.ts";

/** An importer's wait may start and end this much (ms) outside the module's. */
const SLACK_MS = 1;
/** Deeper chains of imports are left as they are (and cycles end). */
const MAX_DEPTH = 16;

const SPECIFIER = /\bimport\s*\(\s*(["'`])([^"'`]+)\1/;
const SCRIPT_EXT = /\.(?:[cm]?js|jsx)$/;

/**
 * `waits` with the waits of each dynamically imported module's top level
 * under the wait of the `await import()` that loaded it (see the module's
 * doc). `read` gives a source file's text; positions are the sources'.
 *
 * @example
 * ```ts
 * import { nestImportedModules } from "./imported_modules.ts";
 * const js = (name: string, file: string, line: number, col: number) => ({ name, file, line, col, kind: "js" as const });
 * const load = { start: 0, end: 120, stack: [js("load", "/app/main.ts", 2, 16)], at: { file: "/app/main.ts", line: 3, col: 13 } };
 * const tla = { start: 5, end: 119, stack: [js("(module)", "/app/mod.ts", 1, 1)], at: { file: "/app/mod.ts", line: 2, col: 1 } };
 * const source = (file: string) => (file === "/app/main.ts" ? '\n\n  const m = await import("./mod.ts");' : undefined);
 * nestImportedModules([load, tla], source)[1]!.stack.map((f) => f.name); // ["load", "(module)"]
 * ```
 */
export function nestImportedModules(waits: readonly AwaitWait[], read: ReadSource): readonly AwaitWait[] {
  const rootFile = (w: AwaitWait) => {
    const top = w.stack[0];
    return top?.name === MODULE_FRAME_NAME ? top.file : undefined;
  };
  // Each module's top-level waits, by start: an importer covers one of another file's.
  const starts = new Map<string, number[]>();
  for (const w of waits) {
    const file = rootFile(w);
    if (file !== undefined) (starts.get(file) ?? starts.set(file, []).get(file)!).push(w.start);
  }
  if (starts.size === 0) return waits;
  for (const list of starts.values()) list.sort((a, b) => a - b);
  const modules = new Set(starts.keys());
  // Only a wait during which another file's top level began to wait is read from its source
  // (an entry's own `await main()` is no import, and the labels read the sources later).
  const mayImport = (w: AwaitWait) => {
    for (const [file, list] of starts) {
      if (file === w.at.file) continue;
      let lo = 0;
      for (let hi = list.length; lo < hi; ) {
        const mid = (lo + hi) >> 1;
        if (list[mid]! < w.start - SLACK_MS) lo = mid + 1;
        else hi = mid;
      }
      if (lo < list.length && list[lo]! <= w.end + SLACK_MS) return true;
    }
    return false;
  };
  // The waits at an `await import("<a module whose top level waited>")`, by that module.
  const lines = new Map<string, string[] | undefined>();
  const lineOf = (file: string, line: number) => {
    if (!lines.has(file)) lines.set(file, read(file)?.split(/\r?\n/));
    return lines.get(file)?.[line - 1];
  };
  const importers = new Map<string, number[]>();
  waits.forEach((w, i) => {
    if (!mayImport(w)) return;
    const text = lineOf(w.at.file, w.at.line);
    if (text === undefined || awaitedName(text, w.at.col) !== "import") return;
    const spec = SPECIFIER.exec(text.slice(Math.max(0, w.at.col - 1)))?.[2];
    const target = spec === undefined ? undefined : importedFile(spec, w.at.file, modules);
    if (target === undefined) return;
    const list = importers.get(target);
    if (list) list.push(i);
    else importers.set(target, [i]);
  });
  if (importers.size === 0) return waits;
  // The earliest wait at an import of the module that covers this one: the import that evaluated it.
  const importerOf = (w: AwaitWait): number | undefined => {
    let best: number | undefined;
    for (const i of importers.get(rootFile(w)!) ?? []) {
      const x = waits[i]!;
      if (x === w || x.start > w.start + SLACK_MS || x.end < w.end - SLACK_MS) continue;
      if (best === undefined || x.start < waits[best]!.start) best = i;
    }
    return best;
  };
  const nested: (AwaitWait | undefined)[] = new Array(waits.length);
  const resolve = (first: number): AwaitWait => {
    // Up the importers (a module imported by a module imported by ...) to a wait already
    // resolved or one with no importer, then down again, each under the one above.
    const chain: number[] = [];
    let i = first;
    while (nested[i] === undefined) {
      const w = waits[i]!;
      const up = rootFile(w) === undefined ? undefined : importerOf(w);
      if (up === undefined || chain.length >= MAX_DEPTH || chain.includes(up)) {
        nested[i] = w;
        break;
      }
      chain.push(i);
      i = up;
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const above = k === chain.length - 1 ? i : chain[k + 1]!;
      nested[chain[k]!] = under(nested[above]!, waits[chain[k]!]!);
    }
    return nested[first]!;
  };
  return waits.map((_, i) => resolve(i));
}

/** `w` with the importer's stack (the awaiting function and its callers) below its own. */
function under(importer: AwaitWait, w: AwaitWait): AwaitWait {
  const stack: Frame[] = [...importer.stack, ...w.stack];
  if (importer.calls === undefined && w.calls === undefined) return { ...w, stack };
  const calls = [...(importer.calls ?? importer.stack.map(() => null)), ...(w.calls ?? w.stack.map(() => null))];
  return { ...w, stack, calls };
}

/**
 * Which of `modules` the specifier `spec`, imported from `from`, names:
 * relative or absolute, with its extension or a script extension standing
 * for the TypeScript source (`./a.js` for `a.ts`), or none (Bun).
 */
function importedFile(spec: string, from: string, modules: ReadonlySet<string>): string | undefined {
  // A package's name: its modules are not the program's, whose waits are the only ones recorded.
  if (!/^(?:\.{1,2}\/|\/|file:)/.test(spec)) return undefined;
  let path: string;
  try {
    const base = `file://${from.split("/").map(encodeURIComponent).join("/")}`;
    const url = new URL(spec, base);
    if (url.protocol !== "file:") return undefined;
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (modules.has(path)) return path;
  const stem = path.replace(SCRIPT_EXT, "");
  for (const m of modules) {
    if (m.startsWith(`${stem}.`) && !m.slice(stem.length + 1).includes("/")) return m;
  }
  return undefined;
}
