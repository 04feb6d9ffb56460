/**
 * Where an HTML report goes when no `-o` is given and it would go to a
 * terminal, and how the CLI opens it.
 *
 * @module
 */
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { openInBrowser } from "./open_browser.ts";

/** A fresh temp file name for the report of `script`: `tsprof-<script>-<date>-<time>-<pid>.html`. */
export function htmlTempPath(script: string | undefined): string {
  const base = (script ?? "profile").replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_") || "profile";
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  return join(tmpdir(), `tsprof-${base}-${stamp}-${process.pid}.html`);
}

/** Opens a written report in the browser, or tells the user how to. */
export function openReport(path: string): void {
  const r = openInBrowser(resolve(path));
  if (!r.opened) process.stderr.write(`tsprof: not opening a browser (${r.reason}): open ${pathToFileURL(resolve(path)).href}\n`);
}
