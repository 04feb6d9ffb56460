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
  #frame = new Int32Array(1024);
  #parent = new Int32Array(1024);
  #length = 0;
  /** Hash slots holding id + 1; 0 is an empty slot. Kept under half full. */
  #slots = new Int32Array(2048);
  #mask = 2047;

  /** Number of distinct stacks so far. */
  get length(): number {
    return this.#length;
  }

  /** The id of stack `frame` called from stack `parent` (`-1`: a root), made if new. */
  intern(parent: number, frame: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = hash(parent, frame) & mask; ; i = (i + 1) & mask) {
      const held = slots[i]!;
      if (held === 0) break;
      if (this.#frame[held - 1] === frame && this.#parent[held - 1] === parent) return held - 1;
    }
    const id = this.#length++;
    if (id === this.#frame.length) {
      this.#frame = grow(this.#frame);
      this.#parent = grow(this.#parent);
    }
    this.#frame[id] = frame;
    this.#parent[id] = parent;
    if (2 * this.#length > this.#slots.length) this.#rehash();
    else this.#place(id);
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

  #place(id: number): void {
    const mask = this.#mask;
    let i = hash(this.#parent[id]!, this.#frame[id]!) & mask;
    while (this.#slots[i] !== 0) i = (i + 1) & mask;
    this.#slots[i] = id + 1;
  }

  #rehash(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    this.#mask = this.#slots.length - 1;
    for (let id = 0; id < this.#length; id++) this.#place(id);
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}

/** A 32-bit mix of the pair: ids are small and dense, so spread them out. */
function hash(parent: number, frame: number): number {
  let h = Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}
