/**
 * Picks the backend for the runtime at hand and loads it lazily: a static
 * `import "bun:jsc"` would fail to load on Node, so each backend module is
 * imported only on its own runtime. This is the one module in runtimes/ that
 * names the others, and only through dynamic `import()`.
 *
 * @module
 */
import type { Backend, BackendName } from "../src/backend.ts";
import { TsprofError } from "../src/errors.ts";

/**
 * The runtime this code runs on.
 *
 * @example
 * ```ts
 * import { detectRuntime, type RuntimeName } from "tsprof/backend";
 * const here: RuntimeName = detectRuntime();
 * ```
 */
export type RuntimeName = "node" | "deno" | "bun" | "unknown";

/**
 * Detects the runtime. Deno and Bun also define `process`, so they are
 * checked first.
 *
 * @example
 * ```ts
 * import { detectRuntime } from "tsprof/backend";
 * const runtime = detectRuntime(); // "node", "deno", "bun" or "unknown"
 * ```
 */
export function detectRuntime(): RuntimeName {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; Bun?: { version?: string }; process?: { versions?: { node?: string } } };
  if (typeof g.Deno?.version?.deno === "string") return "deno";
  if (typeof g.Bun?.version === "string") return "bun";
  if (typeof g.process?.versions?.node === "string") return "node";
  return "unknown";
}

/**
 * Loads a backend by name, or the one for this runtime (`auto`: the
 * engine's sampler where there is one, else the portable backend).
 *
 * @throws {TsprofError} `UNSUPPORTED_RUNTIME` when the backend cannot run here
 * @example
 * ```ts
 * import { loadBackend } from "tsprof/backend";
 * const backend = await loadBackend("auto");
 * ```
 */
export async function loadBackend(name: BackendName | "auto" = "auto"): Promise<Backend> {
  const runtime = detectRuntime();
  // Where no engine sampler exists, auto falls back to the portable backend.
  const wanted = name === "auto" ? (runtime === "unknown" ? "portable" : runtime) : name;
  if (wanted !== "portable" && wanted !== runtime) {
    throw new TsprofError("UNSUPPORTED_RUNTIME", `Cannot use the ${wanted} backend: this is ${runtime === "unknown" ? "an unknown runtime" : runtime}`);
  }
  switch (wanted) {
    case "node":
      return (await import("./node/mod.ts")).nodeBackend();
    case "deno":
      return (await import("./deno/mod.ts")).denoBackend();
    case "bun":
      return (await import("./bun/mod.ts")).bunBackend();
    case "portable": {
      const { portableBackend } = await import("./portable/mod.ts");
      // Node has no web Worker: its ticker comes from node:worker_threads.
      if (runtime === "node") return portableBackend({ ticker: (await import("./portable/node_ticker.ts")).nodeWorkerTicker });
      return portableBackend();
    }
    default:
      throw new TsprofError("UNSUPPORTED_RUNTIME", `Cannot profile here: no backend for ${wanted === "unknown" ? "this runtime" : wanted}`);
  }
}
