/**
 * Headless Chromium for the HTML report's tests and benchmark, driven by
 * playwright-core. Browser tests run on one runtime only (Node 20 under
 * `run_all.mjs`, or Node when run directly): the browser is what they test.
 *
 * @module
 */
import { existsSync } from "node:fs";
import process from "node:process";
import type { Browser } from "playwright-core";
import { detectRuntime } from "../runtimes/auto.ts";

/** Debian's chromium; `TSPROF_CHROMIUM` may point elsewhere. */
export const CHROMIUM_PATH: string = process.env.TSPROF_CHROMIUM ?? "/usr/bin/chromium";

/** Flags for a quiet, offline headless Chromium. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why browser tests do not run here, or false when they do. */
export function browserSkipReason(): string | false {
  const chosen = process.env.TSPROF_TEST_RUNTIME;
  if (chosen !== undefined ? chosen !== "node20" : detectRuntime() !== "node") {
    return "browser tests run on Node 20 only: the browser is their subject, not the runtime";
  }
  if (!existsSync(CHROMIUM_PATH)) return `no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set TSPROF_CHROMIUM)`;
  return false;
}

/** Starts headless Chromium. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
}
