/**
 * Function names that try to break out of the HTML report's markup or run
 * script, for the report's safety tests.
 *
 * @module
 */

/** Names a hostile (or just unlucky) program could give its functions. */
export const HOSTILE_NAMES: readonly string[] = [
  "</script><script>window.__pwned = 1</script>",
  '<img src=x onerror="window.__pwned = 2">',
  "javascript:window.__pwned = 3",
  "line\u2028separator\u2029paragraph",
  '"><svg onload="window.__pwned = 4">',
  "<!--<script>",
];
