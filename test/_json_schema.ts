/**
 * A small JSON Schema (draft-07) validator for the keywords tsprof's schema
 * and speedscope's schema use. Any other keyword is an error, so a schema
 * cannot quietly use something this does not check.
 *
 * @module
 */

/** A JSON Schema, as parsed JSON. */
export type Schema = boolean | { readonly [k: string]: unknown };

const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "default", "examples", "$comment", "definitions"]);
const CHECKED = new Set([
  "$ref", "type", "const", "enum", "properties", "required", "additionalProperties", "patternProperties", "items",
  "minItems", "maxItems", "minimum", "maximum", "anyOf", "oneOf", "allOf",
]);

/**
 * Validates `data` against `schema` and returns the problems found, each as
 * `path: what` (empty when valid).
 *
 * @example
 * ```ts
 * import { validate } from "./_json_schema.ts";
 * validate({ type: "integer", minimum: 1 }, 0); // ["$: 0 is below the minimum 1"]
 * ```
 */
export function validate(schema: Schema, data: unknown): string[] {
  const errors: string[] = [];
  check(schema, data, "$", schema, errors);
  return errors;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function hasType(v: unknown, type: string): boolean {
  if (type === "integer") return typeof v === "number" && Number.isInteger(v);
  if (type === "number") return typeof v === "number" && Number.isFinite(v);
  return typeOf(v) === type;
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#")) throw new Error(`only local $ref is supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    node = (node as Record<string, unknown>)[decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~"))];
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return node as Schema;
}

function check(schema: Schema, data: unknown, path: string, root: Schema, errors: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: not allowed`);
    return;
  }
  for (const k of Object.keys(schema)) {
    if (!ANNOTATIONS.has(k) && !CHECKED.has(k)) throw new Error(`schema keyword "${k}" is not supported by this validator`);
  }
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === "string") check(resolve(root, s.$ref), data, path, root, errors);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(data, t))) {
      errors.push(`${path}: expected ${types.join(" or ")}, got ${typeOf(data)}`);
      return;
    }
  }
  if ("const" in s && JSON.stringify(s.const) !== JSON.stringify(data)) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(data))) errors.push(`${path}: ${JSON.stringify(data)} is not one of ${JSON.stringify(s.enum)}`);
  if (typeof data === "number") {
    if (typeof s.minimum === "number" && data < s.minimum) errors.push(`${path}: ${data} is below the minimum ${s.minimum}`);
    if (typeof s.maximum === "number" && data > s.maximum) errors.push(`${path}: ${data} is above the maximum ${s.maximum}`);
  }
  if (Array.isArray(data)) {
    if (typeof s.minItems === "number" && data.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === "number" && data.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    if (Array.isArray(s.items)) {
      s.items.forEach((item, i) => {
        if (i < data.length) check(item as Schema, data[i], `${path}[${i}]`, root, errors);
      });
    } else if (s.items !== undefined) {
      for (let i = 0; i < data.length && errors.length < 20; i++) check(s.items as Schema, data[i], `${path}[${i}]`, root, errors);
    }
  }
  if (typeOf(data) === "object") {
    const obj = data as Record<string, unknown>;
    for (const k of (s.required as string[] | undefined) ?? []) if (!(k in obj)) errors.push(`${path}: "${k}" is missing`);
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>).map(([p, sc]) => [new RegExp(p, "u"), sc] as const);
    for (const [k, v] of Object.entries(obj)) {
      const at = `${path}.${k}`;
      let matched = false;
      if (Object.hasOwn(props, k)) {
        matched = true;
        check(props[k]!, v, at, root, errors);
      }
      for (const [re, sc] of patterns) {
        if (re.test(k)) {
          matched = true;
          check(sc, v, at, root, errors);
        }
      }
      if (!matched && s.additionalProperties !== undefined) check(s.additionalProperties as Schema, v, at, root, errors);
    }
  }
  const branches = (key: string) => ((s[key] ?? []) as Schema[]).map((b) => {
    const sub: string[] = [];
    check(b, data, path, root, sub);
    return sub;
  });
  if (s.allOf) for (const sub of branches("allOf")) errors.push(...sub);
  if (s.anyOf) {
    const results = branches("anyOf");
    if (!results.some((r) => r.length === 0)) errors.push(`${path}: matches none of anyOf (${results.map((r) => r[0]).join("; ")})`);
  }
  if (s.oneOf) {
    const ok = branches("oneOf").filter((r) => r.length === 0).length;
    if (ok !== 1) errors.push(`${path}: matches ${ok} of oneOf, expected exactly 1`);
  }
}
