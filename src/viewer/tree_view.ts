/**
 * The call tree view, the pyinstrument way: the processed tree (the same
 * processors and options as the console) with times, percentages, library
 * frames folded into `[N frames hidden]` rows that open on click, and
 * keyboard navigation (arrows, Home/End, Enter/Space).
 *
 * Rows are a flat list indented by level (ARIA's flat tree pattern), not
 * nested elements: a 10,000-deep recursion must not become 10,000 nested
 * boxes for the browser to lay out.
 *
 * @module
 */
import type { Frame } from "../format/types.ts";
import { type CallNode, type FrameGroup, isSelfNode, walk } from "../tree/call_tree.ts";
import { clear, el } from "./dom.ts";
import { formatPercent, formatSeconds, frameCategory, frameLocation, shareClass } from "./format.ts";

/** What the tree view shows and how. */
export interface TreeViewData {
  /** The processed tree; its root is synthetic and not drawn. */
  readonly root: CallNode;
  /** Frame index of each frame object, for search matches. */
  readonly frameIndex: ReadonlyMap<Frame, number>;
  readonly cwd?: string | undefined;
  /** Show library frames instead of folding them. */
  readonly showLibrary: boolean;
  readonly time: "seconds" | "percent";
}

type Item =
  | { readonly kind: "node"; readonly node: CallNode; readonly level: number; readonly parent: CallNode | undefined }
  | { readonly kind: "self"; readonly time: number; readonly frame: Frame; readonly level: number; readonly parent: CallNode }
  | { readonly kind: "group"; readonly group: FrameGroup; readonly hidden: number; readonly level: number; readonly parent: CallNode };

interface Row {
  readonly item: Item;
  readonly el: HTMLElement;
}

/** The call tree. */
export class CallTreeView {
  readonly element: HTMLDivElement;
  #data: TreeViewData | undefined;
  #rows: Row[] = [];
  #byEl = new WeakMap<Element, Row>();
  #expanded = new Set<CallNode>();
  #openGroups = new Set<FrameGroup>();
  #parents = new Map<CallNode, CallNode>();
  #match: Uint8Array | undefined;
  #focused: Row | undefined;

  constructor() {
    this.element = el("div", { class: "calltree", attrs: { role: "tree", "aria-label": "Call tree" } });
    this.element.addEventListener("click", (e) => {
      const row = this.#rowOf(e.target);
      if (!row) return;
      this.#focus(row);
      this.#toggle(row);
    });
    this.element.addEventListener("keydown", (e) => this.#key(e));
  }

  /** Shows a tree; nodes over a tenth of the total start expanded. */
  setData(data: TreeViewData): void {
    const sameTree = this.#data?.root === data.root;
    this.#data = data;
    if (!sameTree) {
      this.#expanded = new Set();
      this.#openGroups = new Set();
      this.#parents = new Map();
      walk(data.root, (n) => {
        for (const c of n.children) this.#parents.set(c, n);
      });
      this.#autoExpand();
    }
    this.#render();
  }

  /** Highlights matching rows and opens the way to the first matches. */
  setSearch(match: Uint8Array | undefined): void {
    this.#match = match;
    if (match && this.#data) this.#reveal(match);
    this.#render();
  }

  /** The first highlighted row, if any. */
  firstMatch(): HTMLElement | undefined {
    return this.#rows.find((r) => r.el.classList.contains("match"))?.el;
  }

  #autoExpand(): void {
    const data = this.#data!;
    const limit = 0.1 * data.root.time;
    const todo: CallNode[] = [data.root];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (n !== data.root && n.time < limit) continue;
      this.#expanded.add(n);
      for (const c of n.children) todo.push(c);
    }
  }

  #reveal(match: Uint8Array): void {
    const data = this.#data!;
    let found = 0;
    walk(data.root, (n) => {
      if (found >= 200 || n === data.root) return;
      const f = data.frameIndex.get(n.frame);
      if (f === undefined || !match[f]) return;
      found++;
      if (n.group?.hidden.has(n)) this.#openGroups.add(n.group);
      for (let p = this.#parents.get(n); p; p = this.#parents.get(p)) {
        this.#expanded.add(p);
        if (p.group?.hidden.has(p)) this.#openGroups.add(p.group);
      }
    });
  }

  #render(): void {
    const data = this.#data;
    clear(this.element);
    this.#rows = [];
    if (!data) return;
    if (data.root.children.length === 0) {
      // Time but no node: every function was hidden, which must not look like an empty profile.
      const text = data.root.time > 0
        ? "Nothing shown: every function of this profile is hidden as a runtime internal. Tick \u201cAll frames\u201d to see them."
        : "No samples were recorded.";
      this.element.append(el("p", { class: "empty", text }));
      return;
    }
    const items: Item[] = [];
    this.#appendChildren(data.root, 0, items);
    this.#rows = items.map((item) => this.#makeRow(item));
    this.element.append(...this.#rows.map((r) => r.el));
    const first = this.#rows[0];
    if (first) this.#setTabStop(first);
  }

  /** Items of `node`'s children and, where expanded, theirs, in display order. */
  #appendChildren(node: CallNode, level: number, out: Item[]): void {
    const todo: Item[] = this.#childItems(node, level).reverse();
    while (todo.length > 0) {
      const item = todo.pop()!;
      out.push(item);
      if (item.kind === "node" && this.#expanded.has(item.node)) {
        const kids = this.#childItems(item.node, item.level + 1);
        for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]!);
      }
    }
  }

  /**
   * The rows under `node`, as the console draws them: its library group's
   * `[N frames hidden]` line, then its children heaviest first, a child
   * hidden in its group replaced by its own children, `[self]` leaves as
   * `[self]` rows (none when it would be the only row).
   */
  #childItems(node: CallNode, level: number): Item[] {
    const data = this.#data!;
    const out: Item[] = [];
    const group = node.group;
    if (!data.showLibrary && group && group.root === node && group.hidden.size > 0) {
      out.push({ kind: "group", group, hidden: group.hidden.size, level, parent: node });
    }
    let kids = this.#displayChildren(node);
    if (kids.every((k) => isSelfNode(k))) kids = [];
    kids.sort((a, b) => b.time - a.time);
    for (const k of kids) {
      out.push(isSelfNode(k) ? { kind: "self", time: k.time, frame: node.frame, level, parent: node } : { kind: "node", node: k, level, parent: node === data.root ? undefined : node });
    }
    return out;
  }

  #isHidden(node: CallNode): boolean {
    const group = node.group;
    return group !== undefined && !this.#data!.showLibrary && !this.#openGroups.has(group) && group.hidden.has(node);
  }

  #displayChildren(node: CallNode): CallNode[] {
    const out: CallNode[] = [];
    const todo = node.children.slice().reverse();
    while (todo.length > 0) {
      const c = todo.pop()!;
      if (!this.#isHidden(c)) out.push(c);
      else for (let i = c.children.length - 1; i >= 0; i--) if (!isSelfNode(c.children[i]!)) todo.push(c.children[i]!);
    }
    return out;
  }

  #makeRow(item: Item): Row {
    const data = this.#data!;
    const total = data.root.time;
    const fmt = (t: number) => (data.time === "percent" ? formatPercent(t, total) : formatSeconds(t));
    const indent = (level: number) => `${Math.min(level, 200) * 16 + 4}px`;
    let row: Row;
    if (item.kind === "group") {
      const libs = item.group.libraries.join(", ");
      const open = this.#openGroups.has(item.group);
      const e = el(
        "div",
        { class: "row group-row", attrs: { role: "treeitem", "aria-level": String(item.level + 1), "aria-expanded": String(open), tabindex: "-1" } },
        el("span", { class: "tw", text: open ? "▾" : "▸" }),
        el("span", { class: "group-text", text: `[${item.hidden} frames ${open ? "shown" : "hidden"}]  ${libs}` }),
      );
      e.style.paddingLeft = indent(item.level);
      row = { item, el: e };
    } else if (item.kind === "self") {
      const e = el(
        "div",
        { class: "row self-row", attrs: { role: "treeitem", "aria-level": String(item.level + 1), tabindex: "-1" } },
        el("span", { class: "tw" }),
        el("span", { class: `time ${shareClass(item.time / (total || 1))}`, text: fmt(item.time) }),
        el("span", { class: "name self", text: "[self]" }),
        el("span", { class: "loc", text: item.frame.file === undefined ? "" : frameLocation({ name: "", kind: "js", file: item.frame.file }, data.cwd) }),
      );
      e.style.paddingLeft = indent(item.level);
      row = { item, el: e };
    } else {
      const n = item.node;
      const hasKids = this.#childItems(n, item.level + 1).length > 0;
      const expanded = hasKids && this.#expanded.has(n);
      const f = data.frameIndex.get(n.frame);
      const matched = this.#match !== undefined && f !== undefined && this.#match[f] === 1;
      const category = frameCategory(n.frame);
      const nameClass = `name cat-${category}${category === "app" && !n.group ? " app" : ""}`;
      const attrs: Record<string, string> = { role: "treeitem", "aria-level": String(item.level + 1), tabindex: "-1" };
      if (hasKids) attrs["aria-expanded"] = String(expanded);
      const e = el(
        "div",
        { class: `row node-row${matched ? " match" : ""}`, attrs },
        el("span", { class: "tw", text: hasKids ? (expanded ? "▾" : "▸") : "" }),
        el("span", { class: `time ${shareClass(n.time / (total || 1))}`, text: fmt(n.time) }),
        el("span", { class: nameClass, text: n.frame.name }),
        el("span", { class: "loc", text: frameLocation(n.frame, data.cwd) }),
      );
      e.title = `${n.frame.name}\n${frameLocation(n.frame, data.cwd)}\n${formatSeconds(n.time)} s, ${formatPercent(n.time, total)} of the total`;
      e.style.paddingLeft = indent(item.level);
      row = { item, el: e };
    }
    this.#byEl.set(row.el, row);
    return row;
  }

  #rowOf(target: EventTarget | null): Row | undefined {
    let e = target instanceof Element ? target : null;
    while (e && e !== this.element) {
      const row = this.#byEl.get(e);
      if (row) return row;
      e = e.parentElement;
    }
    return undefined;
  }

  #index(row: Row): number {
    return this.#rows.indexOf(row);
  }

  #isExpandable(row: Row): boolean {
    return row.el.hasAttribute("aria-expanded");
  }

  #isExpanded(row: Row): boolean {
    return row.el.getAttribute("aria-expanded") === "true";
  }

  #toggle(row: Row): void {
    if (row.item.kind === "group") {
      const g = row.item.group;
      if (this.#openGroups.has(g)) this.#openGroups.delete(g);
      else this.#openGroups.add(g);
      this.#refreshChildren(row.item.parent, row);
      return;
    }
    if (!this.#isExpandable(row) || row.item.kind !== "node") return;
    if (this.#isExpanded(row)) this.#collapse(row);
    else this.#expand(row);
  }

  #expand(row: Row): void {
    if (row.item.kind !== "node") return;
    this.#expanded.add(row.item.node);
    this.#replaceRow(row, true);
  }

  #collapse(row: Row): void {
    if (row.item.kind !== "node") return;
    this.#expanded.delete(row.item.node);
    this.#replaceRow(row, false);
  }

  /** Redraws a node's row and its (now open or closed) rows below it. */
  #replaceRow(row: Row, open: boolean): void {
    const i = this.#index(row);
    if (i === -1 || row.item.kind !== "node") return;
    let end = i + 1;
    while (end < this.#rows.length && this.#rows[end]!.item.level > row.item.level) end++;
    for (let k = i + 1; k < end; k++) this.#rows[k]!.el.remove();
    const fresh = this.#makeRow(row.item);
    row.el.replaceWith(fresh.el);
    const items: Item[] = [];
    if (open) this.#appendChildren(row.item.node, row.item.level + 1, items);
    const added = items.map((it) => this.#makeRow(it));
    fresh.el.after(...added.map((r) => r.el));
    this.#rows.splice(i, end - i, fresh, ...added);
    this.#focus(fresh);
  }

  /** Redraws the rows under `parent` after a group opened or closed. */
  #refreshChildren(parent: CallNode, groupRow: Row): void {
    const data = this.#data!;
    const parentRow = this.#rows.find((r) => r.item.kind === "node" && r.item.node === parent);
    if (parentRow) {
      this.#replaceRow(parentRow, true);
      const again = this.#rows.find((r) => r.item.kind === "group" && r.item.group === (groupRow.item as { group: FrameGroup }).group);
      if (again) this.#focus(again);
      return;
    }
    if (parent === data.root) this.#render();
  }

  #setTabStop(row: Row): void {
    if (this.#focused && this.#focused !== row) this.#focused.el.tabIndex = -1;
    row.el.tabIndex = 0;
    this.#focused = row;
  }

  #focus(row: Row): void {
    this.#setTabStop(row);
    row.el.focus({ preventScroll: false });
  }

  #key(e: KeyboardEvent): void {
    const row = this.#rowOf(e.target) ?? this.#focused;
    if (!row) return;
    const i = this.#index(row);
    const go = (k: number) => {
      const r = this.#rows[Math.max(0, Math.min(this.#rows.length - 1, k))];
      if (r) this.#focus(r);
    };
    switch (e.key) {
      case "ArrowDown":
        go(i + 1);
        break;
      case "ArrowUp":
        go(i - 1);
        break;
      case "Home":
        go(0);
        break;
      case "End":
        go(this.#rows.length - 1);
        break;
      case "ArrowRight":
        if (row.item.kind === "group" && !this.#openGroups.has(row.item.group)) this.#toggle(row);
        else if (this.#isExpandable(row) && !this.#isExpanded(row)) this.#expand(row);
        else if (this.#isExpanded(row)) go(i + 1);
        break;
      case "ArrowLeft":
        if (row.item.kind === "group" && this.#openGroups.has(row.item.group)) this.#toggle(row);
        else if (this.#isExpanded(row)) this.#collapse(row);
        else {
          for (let k = i - 1; k >= 0; k--) {
            if (this.#rows[k]!.item.level < row.item.level) {
              go(k);
              break;
            }
          }
        }
        break;
      case "Enter":
      case " ":
        this.#toggle(row);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

function itemTime(item: Item): number {
  return item.kind === "node" ? item.node.time : item.kind === "self" ? item.time : Infinity;
}
