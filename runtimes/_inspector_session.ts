/**
 * What the Node, Deno and Bun backends share: all three implement Node's
 * `node:inspector`, `node:fs` and `process.cpuUsage()`. Not a backend itself; each
 * backend imports it statically, so it must stay free of runtime-only
 * modules (`bun:*`).
 *
 * @module
 */
import { Session } from "node:inspector";
import process from "node:process";
import type { InspectorSession } from "../src/backend.ts";

/**
 * Opens an inspector session on the calling thread.
 *
 * @example
 * ```ts
 * import { connectInspector } from "./_inspector_session.ts";
 * const session = connectInspector();
 * session.disconnect();
 * ```
 */
export function connectInspector(): InspectorSession & { disconnect(): void } {
  const session = new Session();
  session.connect();
  return session;
}

/**
 * CPU milliseconds the process has used so far (user and system).
 *
 * @example
 * ```ts
 * import { processCpuTimeMs } from "./_inspector_session.ts";
 * const before = processCpuTimeMs();
 * ```
 */
export function processCpuTimeMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

