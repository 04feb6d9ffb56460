/**
 * Runs the CLI on this process's arguments and exits with its code.
 *
 * @module
 */
import process from "node:process";
import { denoPermissionsProblem } from "./deno_permissions.ts";
import { main } from "./main.ts";

/** Runs `tsprof` with `process.argv` and sets the exit code. */
export async function runCli(): Promise<void> {
  const problem = denoPermissionsProblem();
  if (problem !== undefined) {
    console.error(problem);
    process.exitCode = 2;
    return;
  }
  process.exitCode = await main(process.argv.slice(2));
}
