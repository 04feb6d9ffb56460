/**
 * A tiny test harness that behaves the same on Node, Deno and Bun (their
 * built-in runners differ): tests register with {@linkcode test}, and
 * `test/run.ts` runs them and prints one line each plus a summary.
 *
 * @module
 */

/** Options for a test. */
export interface TestOptions {
  /** A reason to skip, or false to run. */
  skip?: string | false;
  /** Milliseconds before the test fails as hung. */
  timeoutMs?: number;
}

/** A registered test. */
export interface TestCase {
  readonly name: string;
  readonly fn: () => void | Promise<void>;
  readonly options: TestOptions;
}

/** Tests registered by the files imported so far. */
export const registry: TestCase[] = [];

/**
 * Registers a test. Names follow `"<symbol>() <does what>"`.
 *
 * @example
 * ```ts
 * import { test } from "./harness.ts";
 * test("sum() adds", () => { if (1 + 1 !== 2) throw new Error("no"); });
 * ```
 */
export function test(name: string, fn: () => void | Promise<void>, options: TestOptions = {}): void {
  registry.push({ name, fn, options });
}

/** Teardowns registered by the files imported so far, run after their file's tests. */
export const teardowns: (() => void | Promise<void>)[] = [];

/**
 * Registers what to undo after the tests of the file that calls it have run
 * (files made once for several tests), whether they passed or not.
 *
 * @example
 * ```ts
 * import { afterAll } from "./harness.ts";
 * afterAll(() => console.log("the file's tests are done"));
 * ```
 */
export function afterAll(fn: () => void | Promise<void>): void {
  teardowns.push(fn);
}

/** The runtime the tests run on, as the test names report it. */
export function runtimeLabel(): string {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string }; process?: { versions: { node: string } } };
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${g.process?.versions.node}`;
}
