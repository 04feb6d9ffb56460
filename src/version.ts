/**
 * tsprof's version; a test keeps it equal to package.json's and deno.json's.
 *
 * @example
 * ```ts
 * import { VERSION } from "tsprof";
 * console.log(`tsprof ${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
