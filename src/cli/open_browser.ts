/**
 * Opens a file in the user's browser, or says why it did not. `$BROWSER`
 * wins (a command, as Python's webbrowser reads it); otherwise `open` on
 * macOS, `start` on Windows, `xdg-open` elsewhere, but only where there is
 * a display. `TSPROF_NO_OPEN` turns it off entirely, so tests and CI never
 * start a browser.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";

/** What {@linkcode openInBrowser} did. */
export type OpenResult = { readonly opened: true; readonly command: string } | { readonly opened: false; readonly reason: string };

/**
 * Starts the browser on `path` without waiting for it.
 *
 * @example
 * ```ts
 * import { openInBrowser } from "./open_browser.ts";
 * const r = openInBrowser("/tmp/report.html");
 * if (!r.opened) console.error(r.reason);
 * ```
 */
export function openInBrowser(path: string, env: Readonly<Record<string, string | undefined>> = process.env, platform: string = process.platform): OpenResult {
  const off = env.TSPROF_NO_OPEN;
  if (off !== undefined && off !== "" && off !== "0") return { opened: false, reason: "TSPROF_NO_OPEN is set" };
  let command: string;
  let args: string[];
  const browser = env.BROWSER?.split(platform === "win32" ? ";" : ":").find((c) => c.trim() !== "");
  if (browser) {
    command = browser.trim();
    args = [path];
  } else if (platform === "darwin") {
    command = "open";
    args = [path];
  } else if (platform === "win32") {
    command = "cmd";
    args = ["/c", "start", '""', path];
  } else {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { opened: false, reason: "no display" };
    command = "xdg-open";
    args = [path];
  }
  try {
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    // A missing opener must not crash tsprof after the report is written.
    child.on("error", () => {});
    child.unref();
  } catch (e) {
    return { opened: false, reason: `cannot start "${command}": ${(e as Error).message}` };
  }
  return { opened: true, command };
}
