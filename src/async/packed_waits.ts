/**
 * The waits a Deno or Bun child hands the CLI, as JSON: each stack (with its
 * calls) and each place written once, the waits as numbers that name them.
 * The waits of one call share a stack (`marked_awaits.ts`), so a program in
 * a loop keeps thousands of waits on a few stacks; written whole, each wait
 * carried its stack's frames again.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import type { AwaitWait } from "./charge_awaits.ts";
import { oncePerStack } from "./wait_frames.ts";

/** {@linkcode packWaits}'s form: `waits` holds start, end, stack and place of each wait, in turn. */
export interface PackedWaits {
  readonly stacks: readonly { readonly stack: readonly Frame[]; readonly calls?: AwaitWait["calls"] }[];
  readonly places: readonly AwaitWait["at"][];
  readonly waits: readonly number[];
}

/**
 * `waits` with each stack and place written once, by the identity of its
 * arrays and objects.
 *
 * @example
 * ```ts
 * import { packWaits, unpackWaits } from "./packed_waits.ts";
 * const stack = [{ name: "main", file: "/app/a.ts", line: 1, col: 16, kind: "js" as const }];
 * const at = { file: "/app/a.ts", line: 2, col: 9 };
 * const packed = packWaits([{ start: 0, end: 5, stack, at }, { start: 6, end: 9, stack, at }]);
 * packed.stacks.length; // 1
 * unpackWaits(packed)[1]!.end; // 9
 * ```
 */
export function packWaits(waits: readonly AwaitWait[]): PackedWaits {
  const stacks: { stack: readonly Frame[]; calls?: AwaitWait["calls"] }[] = [];
  const places: AwaitWait["at"][] = [];
  const numbers: number[] = [];
  const stackId = oncePerStack((w: AwaitWait) => stacks.push(w.calls ? { stack: w.stack, calls: w.calls } : { stack: w.stack }) - 1);
  const placeIds = new Map<AwaitWait["at"], number>();
  for (const w of waits) {
    const s = stackId(w);
    let p = placeIds.get(w.at);
    if (p === undefined) placeIds.set(w.at, (p = places.push(w.at) - 1));
    numbers.push(w.start, w.end, s, p);
  }
  return { stacks, places, waits: numbers };
}

/**
 * The waits of {@linkcode packWaits}'s form, sharing their stacks as the
 * recorder's did; `undefined` for anything else (a note written wrong).
 */
export function unpackWaits(packed: unknown): AwaitWait[] | undefined {
  const p = packed as Partial<PackedWaits> | undefined;
  if (typeof p !== "object" || p === null || !Array.isArray(p.stacks) || !Array.isArray(p.places) || !Array.isArray(p.waits)) return undefined;
  const { stacks, places, waits: n } = p as PackedWaits;
  const waits: AwaitWait[] = [];
  for (let i = 0; i + 3 < n.length; i += 4) {
    const s = stacks[n[i + 2]!];
    const at = places[n[i + 3]!];
    if (s === undefined || at === undefined || !Array.isArray(s.stack)) return undefined;
    waits.push(s.calls ? { start: n[i]!, end: n[i + 1]!, stack: s.stack, at, calls: s.calls } : { start: n[i]!, end: n[i + 1]!, stack: s.stack, at });
  }
  return waits;
}
