// Web-standard and cross-runtime bits that the "node" types lack.
interface ImportMeta {
  /** True in the entry module on Deno, Bun and Node >= 24.2. */
  readonly main?: boolean;
}
