/**
 * Command lines as a POSIX shell would take them back: a word with spaces,
 * quotes or shell characters is single-quoted, so that `Program: app.ts 'b c'`
 * says which words the program got.
 *
 * @module
 */

const PLAIN = /^[\w@%+=:,./-]+$/;

/**
 * One word, quoted where a shell would need it.
 *
 * @example
 * ```ts
 * import { shellWord } from "./shell_quote.ts";
 * console.log(shellWord("b c")); // "'b c'"
 * ```
 */
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * A command line from its words, each quoted where a shell would need it.
 *
 * @example
 * ```ts
 * import { shellLine } from "./shell_quote.ts";
 * console.log(shellLine(["app.ts", "a", "b c", ""])); // "app.ts a 'b c' ''"
 * ```
 */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}
