/**
 * Which frames the CLI places before it prints: only those the console
 * tree can show (see `framesShownBy`); the others are placed after the
 * report is printed, for the kept session.
 *
 * @module
 */
import type { Profile } from "../format/types.ts";
import { framesShownBy } from "../tree/shown_frames.ts";
import type { CliOptions } from "./args.ts";

/** Marks frames to place first, given the profile; `undefined` when every frame is needed before printing. */
export type FramesFirst = (profile: Profile) => Uint8Array | undefined;

/**
 * The frames to place before printing: for the console tree, those it can
 * show; for any other report (a flat list, hot lines, another format),
 * every frame.
 */
export function framesFirst(options: CliOptions, format: string): FramesFirst | undefined {
  // As emit() renders: the flags, then -p settings over them.
  const o: Record<string, unknown> = { showAll: options.showAll, flat: options.flat, lines: options.lines, filterThreshold: options.filterThreshold, ...options.settings };
  if (format !== "console" || o.flat === true || o.lines === true || o.showAll === true) return undefined;
  const filterThreshold = typeof o.filterThreshold === "number" ? o.filterThreshold : undefined;
  return (profile) => framesShownBy(profile, filterThreshold === undefined ? {} : { filterThreshold });
}
