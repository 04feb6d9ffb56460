/**
 * The package a command runs when none of the program's own code does:
 * `tsprof -- npx tsc`, `tsprof -- npx eslint .`, a bundler's build. The
 * report folds library code away so that the program's stands out; here
 * there is none, and the whole run would be one `(module)` line over
 * `[373 frames hidden]  typescript`. That package is the subject.
 *
 * @module
 */
import { visitParentsFirst } from "../format/builder.ts";
import type { Profile, Session } from "../format/types.ts";
import { codeOrigin, packageName } from "../paths.ts";
import { isToolFrame } from "./processors/remove_frames.ts";

/** A package a command ran: its name, and the folder its files ran from. */
export interface SubjectPackage {
  /** `typescript`, `@scope/pkg`, or a remote module's host. */
  readonly name: string;
  /** The folder all its files that ran share (`/app/node_modules/typescript/`). */
  readonly folder: string;
}

/** The program's own code below this share of the time counts as none. */
const OWN_SHARE = 0.02;
/** The package must hold at least this share of the time. */
const SUBJECT_SHARE = 0.5;

/**
 * The package whose code holds most of the time of `session`'s profiles
 * when the program's own code (not tsprof's: `toolPaths`) holds next to
 * none; `undefined` otherwise. A sample counts for the package of its
 * outermost library frame.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { subjectPackage } from "./subject_package.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "(module)", file: "/app/node_modules/typescript/bin/tsc", kind: "js" }, { name: "checkSourceFile", file: "/app/node_modules/typescript/lib/tsc.js", kind: "js" }], 90);
 * b.addSample([{ name: "(garbage collector)", kind: "gc" }], 10);
 * subjectPackage({ version: 1, meta: { runtime: "node", runtimeVersion: "", intervalMs: 1, startTime: 0, durationMs: 100 }, profiles: [b.build()] });
 * // { name: "typescript", folder: "/app/node_modules/typescript/" }
 * ```
 */
export function subjectPackage(session: Session, toolPaths: readonly string[] = session.meta.toolPaths ?? []): SubjectPackage | undefined {
  const isTool = isToolFrame({ toolPaths });
  let total = 0;
  let own = 0;
  const byPackage = new Map<string, number>();
  const files = new Map<string, Set<string>>();
  for (const p of session.profiles) {
    const framePackage = p.frames.map((f) => (f.file !== undefined && codeOrigin(f.file) === "library" ? packageName(f.file) : undefined));
    framePackage.forEach((name, f) => void (name !== undefined && (files.get(name) ?? files.set(name, new Set()).get(name)!).add(p.frames[f]!.file!)));
    // tsprof's own code (from a checkout, outside node_modules) is not the program's.
    const frameApp = p.frames.map((f) => f.kind === "js" && f.file !== undefined && codeOrigin(f.file) === "app" && !isTool(f));
    const [pkg, app] = stackOwners(p, framePackage, frameApp);
    for (let i = 0; i < p.samples.length; i++) {
      const ms = p.weights[i]!;
      total += ms;
      const s = p.samples[i]!;
      if (s < 0) continue;
      if (app[s] === 1) own += ms;
      else if (pkg[s] !== undefined) byPackage.set(pkg[s]!, (byPackage.get(pkg[s]!) ?? 0) + ms);
    }
  }
  if (total <= 0 || own > OWN_SHARE * total) return undefined;
  let best: [string, number] | undefined;
  for (const entry of byPackage) if (best === undefined || entry[1] > best[1]) best = entry;
  if (best === undefined || best[1] < SUBJECT_SHARE * total) return undefined;
  return { name: best[0], folder: commonFolder([...files.get(best[0])!]) };
}

/** The longest folder (ending in `/`) that holds every one of `files`. */
function commonFolder(files: readonly string[]): string {
  let prefix = files[0]!.slice(0, files[0]!.lastIndexOf("/") + 1);
  for (const f of files) while (!f.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf("/", prefix.length - 2) + 1);
  return prefix;
}

/** Per stack: the package of its outermost library frame, and whether any frame is the program's. */
function stackOwners(p: Profile, framePackage: readonly (string | undefined)[], frameApp: readonly boolean[]): [(string | undefined)[], Uint8Array] {
  const { frame, parent } = p.stacks;
  const pkg: (string | undefined)[] = new Array(p.stacks.length);
  const app = new Uint8Array(p.stacks.length);
  visitParentsFirst(p.stacks, (t) => {
    const up = parent[t]!;
    const f = frame[t]!;
    pkg[t] = (up !== -1 ? pkg[up] : undefined) ?? framePackage[f];
    app[t] = (up !== -1 && app[up] === 1) || frameApp[f] ? 1 : 0;
  });
  return [pkg, app];
}
