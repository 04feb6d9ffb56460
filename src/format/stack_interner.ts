/**
 * Interning of stacks: (caller stack, frame) pairs to dense ids, the stack
 * table of the shared format. Open addressing over typed arrays rather than
 * a Map of Maps: a million distinct stacks are a few flat arrays, not a
 * million small Maps, and both recording and tree building lean on it.
 *
 * @module
 */
import type { StackTable } from "./types.ts";

/**
 * Gives each distinct (parent stack, frame) pair a dense id, parents before
 * their children whenever they are interned in that order.
 *
 * @example
 * ```ts
 * import { StackInterner } from "./stack_interner.ts";
 * const stacks = new StackInterner();
 * const main = stacks.intern(-1, 0);
 * const work = stacks.intern(main, 1);
 * stacks.intern(main, 1) === work; // true
 * stacks.table(); // { length: 2, frame: Int32Array [0, 1], parent: Int32Array [-1, 0] }
 * ```
 */
export class StackInterner {
  #frame: Int32Array<ArrayBuffer>;
  #parent: Int32Array<ArrayBuffer>;
  #length = 0;
  // Open addressing, kept under half full. Each slot holds its key (parent,
  // frame) beside the id (-1: empty), so a probe reads one place in memory.
  #slotParent: Int32Array;
  #slotFrame: Int32Array;
  #slotId: Int32Array;

  /** An interner with room for `capacity` stacks before it grows. */
  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.#frame = new Int32Array(slots / 2);
    this.#parent = new Int32Array(slots / 2);
    this.#slotParent = new Int32Array(slots);
    this.#slotFrame = new Int32Array(slots);
    this.#slotId = new Int32Array(slots).fill(-1);
  }

  /** Number of distinct stacks so far. */
  get length(): number {
    return this.#length;
  }

  /** The id of stack `frame` called from stack `parent` (`-1`: a root), made if new. */
  intern(parent: number, frame: number): number {
    const ids = this.#slotId;
    const slotFrame = this.#slotFrame;
    const slotParent = this.#slotParent;
    const mask = ids.length - 1;
    let i = hash(parent, frame) & mask;
    for (; ids[i] !== -1; i = (i + 1) & mask) {
      if (slotFrame[i] === frame && slotParent[i] === parent) return ids[i]!;
    }
    const id = this.#length++;
    if (id === this.#frame.length) {
      this.#frame = grow(this.#frame);
      this.#parent = grow(this.#parent);
    }
    this.#frame[id] = frame;
    this.#parent[id] = parent;
    if (2 * this.#length > ids.length) this.#rehash(ids.length * 2);
    else {
      slotParent[i] = parent;
      slotFrame[i] = frame;
      ids[i] = id;
    }
    return id;
  }

  /** The frame index of stack `id`. */
  frameOf(id: number): number {
    return this.#frame[id]!;
  }

  /** The parent stack of stack `id` (`-1`: a root). */
  parentOf(id: number): number {
    return this.#parent[id]!;
  }

  /** A copy of the stacks so far, as the shared format's table. */
  table(): StackTable {
    return { length: this.#length, frame: this.#frame.slice(0, this.#length), parent: this.#parent.slice(0, this.#length) };
  }

  #rehash(capacity: number): void {
    this.#slotParent = new Int32Array(capacity);
    this.#slotFrame = new Int32Array(capacity);
    const ids = (this.#slotId = new Int32Array(capacity).fill(-1));
    const mask = capacity - 1;
    for (let id = 0; id < this.#length; id++) {
      const parent = this.#parent[id]!;
      const frame = this.#frame[id]!;
      let i = hash(parent, frame) & mask;
      while (ids[i] !== -1) i = (i + 1) & mask;
      this.#slotParent[i] = parent;
      this.#slotFrame[i] = frame;
      ids[i] = id;
    }
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}

/** A cheap 32-bit mix of the pair: ids are small and dense, so spread them out. */
function hash(parent: number, frame: number): number {
  const h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca77);
  return h ^ (h >>> 15);
}

/**
 * Stack ids ordered so that each parent precedes its children; `undefined`
 * when they already are (tsprof's own tables always).
 *
 * @example
 * ```ts
 * import { parentsFirst } from "./stack_interner.ts";
 * parentsFirst({ length: 2, frame: Int32Array.of(0, 1), parent: Int32Array.of(1, -1) }); // Int32Array [1, 0]
 * ```
 */
export function parentsFirst(stacks: StackTable): Int32Array | undefined {
  const { parent, length } = stacks;
  let sorted = true;
  for (let s = 0; s < length && sorted; s++) if (parent[s]! >= s) sorted = false;
  if (sorted) return undefined;
  const order = new Int32Array(length);
  const depth = new Int32Array(length).fill(-1);
  for (let s = 0; s < length; s++) {
    const chain: number[] = [];
    let t = s;
    while (t !== -1 && depth[t] === -1) {
      chain.push(t);
      t = parent[t]!;
    }
    let d = t === -1 ? 0 : depth[t]! + 1;
    for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]!] = d++;
  }
  const ids = Array.from({ length }, (_, i) => i).sort((a, b) => depth[a]! - depth[b]!);
  order.set(ids);
  return order;
}
