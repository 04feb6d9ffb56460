/** tsprof's version; a test keeps it equal to package.json's and deno.json's. */
export const VERSION = "0.1.0";
