/**
 * The one way the report makes DOM: elements with text nodes. Profile data
 * (function names, paths) only ever becomes text (`textContent`, text
 * nodes, `title`), never markup, so no name can inject HTML or script.
 *
 * @module
 */

/** Properties {@linkcode el} sets on a new element. */
export interface ElProps {
  /** Space-separated classes. */
  readonly class?: string;
  /** Text content (set as text, never parsed). */
  readonly text?: string;
  /** Tooltip text. */
  readonly title?: string;
  /** Other attributes: only fixed names (role, aria-*, data-*, type...), never event handlers or URLs. */
  readonly attrs?: Readonly<Record<string, string>>;
}

const FORBIDDEN_ATTR = /^(on|href$|src$|srcdoc$|action$|formaction$|style$|xlink:href$)/i;

/**
 * Creates an element. Children that are strings become text nodes.
 *
 * @example
 * ```ts
 * import { el } from "./dom.ts";
 * const row = el("div", { class: "row", attrs: { role: "treeitem" } }, el("span", { text: "main" }));
 * ```
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElProps = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title !== undefined) e.title = props.title;
  if (props.attrs) {
    for (const [k, v] of Object.entries(props.attrs)) {
      if (FORBIDDEN_ATTR.test(k)) throw new TypeError(`Cannot set attribute "${k}": the report sets no handlers, URLs or styles from attributes`);
      e.setAttribute(k, v);
    }
  }
  for (const c of children) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

/** Removes all children of an element. */
export function clear(e: Element): void {
  while (e.firstChild) e.firstChild.remove();
}
