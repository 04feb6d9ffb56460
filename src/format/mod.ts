/**
 * `tsprof/format`: the shared profile model and tsprof's own JSON, for tools
 * that build, read or transform profiles. A {@linkcode Session} holds
 * profiles; each {@linkcode Profile} interns its frames and stacks and keeps
 * per-sample stack ids and weights in typed arrays.
 *
 * @example Build a profile by hand and write it as tsprof JSON
 * ```ts
 * import { ProfileBuilder, sessionToJson } from "tsprof/format";
 * const b = new ProfileBuilder("main");
 * const main = { name: "main", file: "/app/a.ts", line: 1, col: 1, kind: "js" } as const;
 * const work = { name: "work", file: "/app/a.ts", line: 5, col: 10, kind: "js" } as const;
 * b.addSample([main, work], 3);
 * const json = sessionToJson({
 *   version: 1,
 *   meta: { runtime: "node", runtimeVersion: "20.0.0", intervalMs: 1, startTime: 0, durationMs: 3 },
 *   profiles: [b.build()],
 * });
 * ```
 *
 * @module
 */
export type { Frame, FrameKind, Profile, Session, SessionMeta, StackTable } from "./types.ts";
export { GC_FRAME, IDLE_FRAME, MODULE_LOADING_FRAME, PROGRAM_FRAME, profileTotal } from "./types.ts";
export { frameKey, ProfileBuilder, stackFrames } from "./builder.ts";
export { SESSION_SCHEMA_URL, sessionFromJson, sessionToJson, type ProfileJson, type SessionJson } from "./session_json.ts";
