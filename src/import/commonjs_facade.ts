/**
 * Deno runs a CommonJS module (a `.ts` or `.js` file with no `import` or
 * `export` in a package whose `type` is not `module`) through an ES module of
 * its own that bears the file's name and `require`s it: the profile shows the
 * file's top level twice, the facade's `(module)` over Node-compatible
 * loader frames (`Module._load` ... `Module._compile`) over the module's own
 * `(module)`. Only the second is the program's; the first and the loader
 * frames under it are dropped, so the program's top level is one node at
 * the root, as a direct `node` run of the file shows it.
 *
 * @module
 */
import { ProfileBuilder, visitParentsFirst } from "../format/builder.ts";
import { type Frame, MODULE_FRAME_NAME, type Profile } from "../format/types.ts";
import { codeOrigin } from "../paths.ts";

/**
 * `profile` without Deno's CommonJS facades (see the module's doc); the
 * same profile when it has none.
 *
 * @example
 * ```ts
 * import { ProfileBuilder, visitParentsFirst } from "../format/builder.ts";
 * import { foldCommonJsFacades } from "./commonjs_facade.ts";
 * const top = { name: "(module)", file: "/app/a.ts", line: 1, col: 1, kind: "js" as const };
 * const load = { name: "Module._load", file: "node:module", line: 1, col: 1, kind: "js" as const };
 * const b = new ProfileBuilder("main");
 * b.addSample([top, load, top, { name: "main", file: "/app/a.ts", line: 3, col: 1, kind: "js" }], 5);
 * const p = foldCommonJsFacades(b.build());
 * p.frames.map((f) => f.name); // ["(module)", "main"]
 * ```
 */
export function foldCommonJsFacades(profile: Profile): Profile {
  const { frame, parent } = profile.stacks;
  const n = frame.length;
  // Per stack: the nearest stack of the program's code above which (to this
  // one) only runtime frames were called, or -1.
  const origins = profile.frames.map((f) => codeOrigin(f.file));
  const appBelow = new Int32Array(n);
  const facadeOf = new Int32Array(n).fill(-1);
  let any = false;
  visitParentsFirst(profile.stacks, (s) => {
    const f = profile.frames[frame[s]!]!;
    const p = parent[s]!;
    const origin = origins[frame[s]!]!;
    appBelow[s] = origin === "app" && f.file !== undefined ? s : origin === "runtime" && p >= 0 ? appBelow[p]! : -1;
    if (!isTopLevel(f) || p < 0) return;
    const below = appBelow[p]!;
    if (below >= 0 && below !== p && profile.frames[frame[below]!]!.file === f.file) {
      facadeOf[s] = below;
      any = true;
    }
  });
  if (!any) return profile;
  const b = new ProfileBuilder(profile.name);
  const frameIds = profile.frames.map((f) => b.internFrame(f));
  const to = new Int32Array(n);
  visitParentsFirst(profile.stacks, (s) => {
    const facade = facadeOf[s]!;
    const base = facade >= 0 ? parent[facade]! : parent[s]!;
    to[s] = b.internStack(base >= 0 ? to[base]! : -1, frameIds[frame[s]!]!);
  });
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i]!;
    b.addStackSample(s >= 0 ? to[s]! : s, profile.weights[i]!);
  }
  const out = b.build();
  return profile.lines ? { ...out, lines: profile.lines } : out;
}

/** A module's top level, as the importers name it. */
function isTopLevel(f: Frame): boolean {
  return f.name === MODULE_FRAME_NAME && f.file !== undefined;
}
