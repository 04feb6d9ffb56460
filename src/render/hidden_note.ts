/**
 * The line a report prints instead of a blank tree: when processing hid
 * every function of a profile that holds time, it says what it hid and how
 * to see it, so that no report is a header alone.
 *
 * @module
 */
import type { Profile } from "../format/types.ts";
import { type CallNode, isSelfNode } from "../tree/call_tree.ts";
import { framesToRemove, type ProcessOptions } from "../tree/processors.ts";

/**
 * Says what was hidden when a processed tree shows nothing of a profile
 * with time in it; `undefined` when the tree shows something.
 *
 * @example
 * ```ts
 * import { ProfileBuilder } from "../format/builder.ts";
 * import { processProfile } from "../tree/processors.ts";
 * import { hiddenNote } from "./hidden_note.ts";
 * const b = new ProfileBuilder("main");
 * b.addSample([{ name: "run", file: "node:internal/main", kind: "js" }], 5);
 * const profile = b.build();
 * hiddenNote(profile, processProfile(profile)); // "Nothing shown: the 5 ms of this profile are in 1 function ..."
 * ```
 */
export function hiddenNote(profile: Profile, tree: CallNode, options: ProcessOptions = {}): string | undefined {
  if (options.showAll || tree.time <= 0 || tree.children.some((c) => !isSelfNode(c))) return undefined;
  const remove = framesToRemove(options);
  const hidden = profile.frames.filter(remove).length;
  const ms = tree.time < 1000 ? `${Number(tree.time.toPrecision(3))} ms` : `${(tree.time / 1000).toFixed(3)} s`;
  const what = hidden > 0
    ? `in ${hidden} function${hidden === 1 ? "" : "s"} the report hides as runtime internals (builtins, node:/ext: code)`
    : "in calls each below the report's threshold (--filter-threshold)";
  return `Nothing shown: the ${ms} of this profile are ${what}; --show-all shows everything.`;
}
