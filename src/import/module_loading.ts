/**
 * Time the program spends in `require()` or `import()` is the runtime
 * loading (reading, compiling, detecting the format of) a module, in the
 * runtime's own frames. Folded away with the other runtime frames, that
 * time became the caller's own: a function that imported the TypeScript
 * compiler showed half a second of `[self]` with nothing under it. So a
 * `(module loading)` frame is put where the program hands over to the
 * loader; the runtime frames above it still fold away, the label stays, and
 * the loaded module's own top level sits under it.
 *
 * @module
 */
import { parentsFirst, StackInterner } from "../format/stack_interner.ts";
import { type Frame, MODULE_LOADING_FRAME, type Profile } from "../format/types.ts";
import { isRuntimeCode } from "../paths.ts";

/**
 * The loaders' files: Node's (`node:internal/modules/…`) and Deno's
 * Node-compatible `require` (`node:module`).
 */
const LOADER_FILE = /^node:(?:internal\/modules\/|module$)/;
/** Bun's loader is native: its frames have a name and no file. */
const BUN_LOADER_NAMES = new Set(["importModule", "require", "bound require", "requireESM", "loadCJS2ESM"]);

/**
 * Whether `frame` is the runtime's module loader: where a `require()` or an
 * `import()` of the program enters the runtime.
 *
 * @example
 * ```ts
 * import { isModuleLoaderFrame } from "./module_loading.ts";
 * isModuleLoaderFrame({ name: "require", kind: "js", file: "node:internal/modules/helpers" }); // true
 * isModuleLoaderFrame({ name: "readFile", kind: "js", file: "node:fs" }); // false
 * ```
 */
export function isModuleLoaderFrame(frame: Frame): boolean {
  if (!isRuntimeCode(frame)) return false;
  return frame.file ? LOADER_FILE.test(frame.file) : BUN_LOADER_NAMES.has(frame.name);
}

/**
 * Returns `profile` with a `(module loading)` frame between each frame of
 * code that is not the runtime's (the program's, a library's) and a module
 * loader frame it calls; the same profile when there is none. Applying it
 * again changes nothing. Frames of the files `isTool` names (tsprof's own,
 * and the tsx it runs TypeScript with) hand nothing over: when tsx loads
 * the entry as CommonJS, the whole program runs inside its `require()`,
 * and that is the program's time, not module loading.
 *
 * @example
 * ```ts
 * import { labelModuleLoading } from "./module_loading.ts";
 * import { ProfileBuilder } from "../format/builder.ts";
 * const b = new ProfileBuilder("main");
 * const load = { name: "load", kind: "js" as const, file: "/app/a.ts", line: 1, col: 1 };
 * b.addSample([load, { name: "require", kind: "js", file: "node:internal/modules/helpers" }], 5);
 * const p = labelModuleLoading(b.build());
 * p.frames[p.stacks.frame[p.stacks.parent[p.samples[0]!]!]!]!.name; // "(module loading)"
 * ```
 */
export function labelModuleLoading(profile: Profile, isTool: (file: string) => boolean = () => false): Profile {
  const { frames, stacks } = profile;
  const loader = new Uint8Array(frames.length);
  let any = false;
  for (let f = 0; f < frames.length; f++) {
    // 2: code that hands over to a loader (not the runtime's, not a label such as `(module loading)`).
    const file = frames[f]!.file;
    loader[f] = isModuleLoaderFrame(frames[f]!) ? 1 : file !== undefined && !isRuntimeCode(frames[f]!) && !isTool(file) ? 2 : 0;
  }
  const entersLoader = (s: number): boolean => {
    const p = stacks.parent[s]!;
    return p !== -1 && loader[stacks.frame[s]!] === 1 && loader[stacks.frame[p]!] === 2;
  };
  for (let s = 0; s < stacks.length && !any; s++) any = entersLoader(s);
  if (!any) return profile;
  const label = frames.length;
  const interner = new StackInterner(stacks.length + 16);
  const moved = new Int32Array(stacks.length);
  const order = parentsFirst(stacks);
  for (let k = 0; k < stacks.length; k++) {
    const s = order === undefined ? k : order[k]!;
    const p = stacks.parent[s]!;
    const under = p === -1 ? -1 : moved[p]!;
    moved[s] = interner.intern(entersLoader(s) ? interner.intern(under, label) : under, stacks.frame[s]!);
  }
  const samples = profile.samples.map((s) => (s === -1 ? -1 : moved[s]!));
  return { ...profile, frames: [...frames, MODULE_LOADING_FRAME], stacks: interner.table(), samples };
}

