/**
 * The HTML report: one self-contained page that works offline. The page's
 * script and styles are inlined (pre-built from `src/viewer/` into
 * `_viewer_bundle.ts`); the profile travels deflated and base64-encoded in
 * a data element that never runs. A Content-Security-Policy allows exactly
 * that one script and one style sheet (by hash) and nothing else: no
 * request can leave the page, and nothing from the profile is ever markup.
 *
 * @module
 */
import type { Session } from "../format/types.ts";
import type { ProcessOptions } from "../tree/processors.ts";
import { VIEWER_CSS, VIEWER_CSS_SHA256, VIEWER_JS, VIEWER_JS_SHA256 } from "./_viewer_bundle.ts";
import { encodePayload, type PayloadOptions } from "./html_payload.ts";

/** Options for {@linkcode renderHtml}: the processors' options set the page's call tree. */
export interface HtmlOptions extends ProcessOptions {
  /** tsprof's version, shown in the page's footer. */
  version?: string;
  /**
   * Show times in the call tree as seconds or percentages at first.
   * @default {"seconds"}
   */
  time?: "seconds" | "percent";
}

/** The page's Content-Security-Policy: the inlined script and styles, nothing else. */
export const HTML_CSP: string = [
  "default-src 'none'",
  `script-src 'sha256-${VIEWER_JS_SHA256}'`,
  `style-src 'sha256-${VIEWER_CSS_SHA256}'`,
  "img-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * Renders a session as a self-contained HTML report.
 *
 * @example
 * ```ts
 * import { renderHtml } from "./html.ts";
 * // Deno.writeTextFileSync("report.html", renderHtml(session, { version: "0.1.0" }));
 * ```
 */
export function renderHtml(session: Session, options: HtmlOptions = {}): string {
  const payloadOptions: PayloadOptions = {
    showAll: options.showAll ?? false,
    timeline: options.timeline ?? false,
    filterThreshold: options.filterThreshold ?? 0.01,
    foldRecursion: options.foldRecursion ?? false,
    groupMinHidden: options.groupMinHidden ?? 2,
    groupShowShare: options.groupShowShare ?? 0.2,
    // The session's own record of where tsprof's code was counts too.
    toolPaths: [...new Set([...(options.toolPaths ?? []), ...(session.meta.toolPaths ?? [])])],
    time: options.time ?? "seconds",
    ...(options.showRegex ? { showRegex: options.showRegex.source } : {}),
    ...(options.hideRegex ? { hideRegex: options.hideRegex.source } : {}),
  };
  const data = base64(encodePayload(session.meta, session.profiles, payloadOptions, options.version ?? "0.0.0"));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tsprof">
<title>tsprof report</title>
<style>${VIEWER_CSS}</style>
</head>
<body>
<div id="app"><p class="empty">Loading the profile…</p></div>
<noscript><p class="empty">This report needs JavaScript to show the profile.</p></noscript>
<script type="application/octet-stream" id="tsprof-data">
${wrap(data, 1024)}
</script>
<script>${VIEWER_JS}</script>
</body>
</html>
`;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 (with padding); the characters cannot end the element they sit in. */
export function base64(bytes: Uint8Array): string {
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const a = new Uint8Array(64);
  for (let i = 0; i < 64; i++) a[i] = ALPHABET.charCodeAt(i);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    codes[o++] = a[n >>> 18]!;
    codes[o++] = a[(n >>> 12) & 63]!;
    codes[o++] = a[(n >>> 6) & 63]!;
    codes[o++] = a[n & 63]!;
  }
  if (i < bytes.length) {
    const rest = bytes.length - i;
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    codes[o++] = a[n >>> 18]!;
    codes[o++] = a[(n >>> 12) & 63]!;
    codes[o++] = rest === 2 ? a[(n >>> 6) & 63]! : 61;
    codes[o++] = 61;
  }
  return new TextDecoder().decode(codes);
}

function wrap(s: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += width) lines.push(s.slice(i, i + width));
  return lines.join("\n");
}
