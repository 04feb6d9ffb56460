/**
 * First preload of a program that `tsprof --backend portable` runs (Node and
 * Bun), or that Node 20 runs with its await marks (their hooks thread), and
 * the preload of each of its workers: the program sees thread ids
 * as in a direct run (see `own_threads.ts`). Before any other preload, so
 * that on Bun no module has bound `node:worker_threads` yet.
 *
 * @module
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { hideOwnThreads, seeOwnThreads } from "./own_threads.ts";

const { isMainThread } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
// Bun starts workers without preloads: the wrapped constructors hand this module on.
const here = typeof (globalThis as { Bun?: unknown }).Bun === "undefined" ? undefined : fileURLToPath(import.meta.url);
if (isMainThread) hideOwnThreads(here);
else seeOwnThreads(here);
