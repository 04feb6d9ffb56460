/**
 * Runs the CLI on this process's arguments and exits with its code.
 *
 * @module
 */
import process from "node:process";
import { main } from "./main.ts";

/** Runs `tsprof` with `process.argv` and sets the exit code. */
export async function runCli(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2));
}
