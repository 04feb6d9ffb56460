/**
 * On Deno, tsprof reads the environment, starts the program and writes its
 * files: it needs every permission (`deno run -A`). Without them Deno's own
 * error, with its stack, came from whichever line asked first.
 *
 * @module
 */

const NEEDED = ["env", "read", "write", "run", "sys", "net"] as const;

interface DenoPermissions {
  permissions: { querySync(descriptor: { name: string }): { state: string } };
}

/**
 * The line to print when tsprof runs on Deno without the permissions it
 * needs, else `undefined` (on Deno with `-A`, and on Node and Bun).
 *
 * @example
 * ```ts
 * import { denoPermissionsProblem } from "./deno_permissions.ts";
 * const problem = denoPermissionsProblem();
 * if (problem) console.error(problem);
 * ```
 */
export function denoPermissionsProblem(): string | undefined {
  const deno = (globalThis as { Deno?: Partial<DenoPermissions> }).Deno;
  if (typeof deno?.permissions?.querySync !== "function") return undefined;
  const missing = NEEDED.filter((name) => deno.permissions!.querySync({ name }).state !== "granted");
  if (missing.length === 0) return undefined;
  return `tsprof: on Deno, tsprof needs every permission (it lacks ${missing.map((m) => `--allow-${m}`).join(", ")}): run it with deno run -A`;
}
