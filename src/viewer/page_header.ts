/**
 * The report's header: what ran, when, for how long, on what, and the
 * warnings the session carries.
 *
 * @module
 */
import type { SessionMeta } from "../format/types.ts";
import { el } from "./dom.ts";
import { formatMs } from "./format.ts";
import { shellLine } from "../render/shell_quote.ts";

/** The program as the header names it. */
export function programName(meta: SessionMeta): string {
  return meta.command && meta.command.length > 0 ? shellLine(meta.command) : "profile";
}

/** The header and one line per warning, for a session of `samples` samples. */
export function pageHeader(meta: SessionMeta, samples: number): HTMLElement[] {
  const program = programName(meta);
  const when = new Date(meta.startTime);
  const facts: [string, string][] = [
    // startTime 0: a foreign file that does not say when it was recorded.
    ["Recorded", meta.startTime > 0 && Number.isFinite(when.getTime()) ? when.toLocaleString() : "unknown"],
    ["Duration", formatMs(meta.durationMs)],
    ["Samples", samples.toLocaleString("en-US")],
    ["Interval", formatMs(meta.intervalMs)],
    ["Runtime", `${meta.runtime} ${meta.runtimeVersion}`.trim()],
  ];
  if (meta.cpuTimeMs !== undefined) facts.splice(2, 0, ["CPU time", formatMs(meta.cpuTimeMs)]);
  const top = el(
    "header",
    { class: "top" },
    el("div", { class: "brand", text: "tsprof" }),
    el("div", { class: "program", title: program, text: program }),
    el("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
  );
  if (meta.description) top.append(el("div", { class: "description", text: meta.description }));
  const warnings = (meta.warnings ?? []).map((w) => el("div", { class: "warning", text: `Warning: ${w}` }));
  return [top, ...warnings];
}
