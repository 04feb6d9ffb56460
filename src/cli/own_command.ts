/**
 * How the user can start tsprof again from their shell, for the hints tsprof
 * prints (`... --load-prev <id>`): `tsprof` only where that name on PATH is
 * this tsprof; `npx tsprof` or `bunx tsprof` for an install in a project's
 * node_modules (whose `.bin` is on PATH only inside npm scripts and npx);
 * else the runtime and the path it ran.
 *
 * @module
 */
import { realpathSync, statSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { shellWord } from "../render/shell_quote.ts";

declare const Deno: { mainModule: string } | undefined;

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The `tsprof` a shell finds on PATH, resolved, leaving out `node_modules/.bin` folders (npm's, for its scripts). */
function tsprofOnPath(path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "" || /node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue;
    const candidate = join(dir, "tsprof");
    try {
      if (statSync(candidate).isFile()) return real(candidate);
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * The command that starts this tsprof, as the user would type it.
 *
 * @example
 * ```ts
 * import { ownCommand } from "./own_command.ts";
 * console.log(`${ownCommand()} --load-prev <id>`);
 * ```
 */
export function ownCommand(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const main = typeof Deno !== "undefined" && Deno.mainModule.startsWith("file:") ? fileURLToPath(Deno.mainModule) : process.argv[1];
  if (main === undefined) return "tsprof";
  const self = real(main) ?? main;
  const onPath = tsprofOnPath(env.PATH ?? "");
  if (onPath !== undefined && onPath === self) return "tsprof";
  const bun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
  // Deno's own npm cache holds `deno run -A npm:tsprof` without a node_modules.
  if (/[\\/]node_modules[\\/]|[\\/]npm[\\/]registry\.npmjs\.org[\\/]/.test(self)) {
    if (typeof Deno !== "undefined") return "deno run -A npm:tsprof";
    return bun ? "bunx tsprof" : "npx tsprof";
  }
  const rel = relative(process.cwd(), self);
  const shown = shellWord(rel.startsWith("../../") ? self : rel);
  if (typeof Deno !== "undefined") return `deno run -A ${shown}`;
  return `${bun ? "bun" : "node"} ${shown}`;
}
