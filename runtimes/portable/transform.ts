/**
 * The source transform behind the portable backend: it inserts shadow-stack
 * entry and exit calls around every function of a JavaScript module, and
 * suspend/resume calls around every `await` and `yield`, so that
 * {@linkcode Recorder} knows what runs.
 *
 * Why acorn and magic-string: acorn is the standard small, exact ECMAScript
 * parser (Rollup, webpack and Node itself use it), magic-string edits text in
 * place and writes the source map of its edits; both are pure JavaScript and
 * run anywhere. TypeScript is stripped beforehand by what the host already
 * uses (tsx on Node, esbuild in the plugin and on Bun), whose source map this
 * transform composes with its own, so that positions stay right.
 *
 * The transform never adds a line: line numbers stay true even where a source
 * map is ignored, and each function's frame is registered with its original
 * name, line and column.
 *
 * @module
 */
import { type Node as AcornNode, parse } from "acorn";
import MagicString from "magic-string";
import { originalPositionFor, TraceMap, traceSegment } from "@jridgewell/trace-mapping";
import { encode, type SourceMapSegment } from "@jridgewell/sourcemap-codec";
import { composeMaps, lineIndexOf, lineStarts, type RawSourceMap, takeInlineSourceMap, withInlineSourceMap } from "../../src/sourcemap/inline_maps.ts";

export { type RawSourceMap, takeInlineSourceMap, withInlineSourceMap };

/** Options for {@linkcode instrumentSource}. */
export interface InstrumentOptions {
  /** The original file, as frames should name it (an absolute path or URL). */
  readonly file: string;
  /**
   * `module` (ESM, top-level `await` allowed) or `script` (CommonJS or a
   * classic script; top-level `return` allowed).
   * @default {"module"}
   */
  readonly sourceType?: "module" | "script";
  /**
   * How instrumented code reaches the recorder: `{ import: specifier }`
   * imports `recorder` from that module (ESM; safe in import cycles),
   * `{ require: specifier }` requires it (CommonJS in a bundle or on Bun),
   * `"global"` reads it from `globalThis` (the recorder must exist before
   * the module runs, as the CLI's preload makes sure).
   * @default {"global"}
   */
  readonly runtime?: { readonly import: string } | { readonly require: string } | "global";
  /** Map from `code` back to the original source, e.g. the TypeScript. */
  readonly inputMap?: RawSourceMap | string;
}

/** What {@linkcode instrumentSource} returns. */
export interface InstrumentResult {
  /** The instrumented code, without a source-map comment. */
  readonly code: string;
  /** Map from `code` to the original source. */
  readonly map: RawSourceMap;
  /** Number of functions instrumented. */
  readonly functions: number;
}

/** Marks instrumented code, so nothing is instrumented twice. */
export const INSTRUMENTED_MARK = "/*tsprof:instrumented*/";

const R = "__tsprof";
const F = "__tsprof$f";
const D = "__tsprof$d";
const A = "__tsprof$a";
/**
 * The recorder as code inside a function reaches it: bound in each
 * function's prologue, so that a function's text run where the module is
 * not (a browser's `page.evaluate`, `vm`, a worker made from a string)
 * reaches one that does nothing, not a ReferenceError.
 */
const L = "__tsprof$r";
/** That recorder that does nothing: each call hands back the value it wraps. */
const NONE = "{enter(){},exit(){},enterAsync(){},exitAsync(){},resumeIfSuspended(){},awaitStart(a,v){return v},awaitEnd(a,v){return v},yieldStart(a,v){return v},yieldEnd(a,v){return v},forAwait(a,v){return v}}";
/** The registry key shared with `recorder.ts`. */
const GLOBAL_RECORDER = `globalThis[Symbol.for("tsprof.portable.recorder.v1")]`;

// acorn's nodes, loosely: the walker reads fields by name.
type Node = AcornNode & { [key: string]: unknown };

/** A function found in the code, with where its frame and edits go. */
interface FnInfo {
  readonly node: Node;
  /** Frame index within the module (0 is the module itself). */
  readonly index: number;
  readonly name: string;
  /** Offset of the position the frame reports (name of a method, else the function). */
  readonly at: number;
  /** Uses an activation: async function or generator. */
  readonly suspends: boolean;
}

/**
 * Instruments one module.
 *
 * @throws {SyntaxError} when `code` does not parse as JavaScript
 * @example
 * ```ts
 * import { instrumentSource } from "./transform.ts";
 * const out = instrumentSource("export function add(a, b) { return a + b }", { file: "/app/add.js" });
 * // out.code calls __tsprof.enter(...) and __tsprof.exit(...) around the body
 * ```
 */
export function instrumentSource(code: string, options: InstrumentOptions): InstrumentResult {
  const sourceType = options.sourceType ?? "module";
  const program = parse(code, {
    ecmaVersion: "latest",
    sourceType,
    allowHashBang: true,
    allowReturnOutsideFunction: sourceType === "script",
    allowAwaitOutsideFunction: sourceType === "module",
    preserveParens: true,
  }) as unknown as Node;
  const s = new MagicString(code);
  const fns: FnInfo[] = [];
  const lines = lineStarts(code);
  const input = options.inputMap === undefined ? undefined : new TraceMap(options.inputMap as never);

  // Functions the loader made up (tsx's module wrapper, esbuild's helpers)
  // map to no original position: they are not the user's and stay as they are.
  const position = (at: number) => originalPosition(at, lines, input);
  const walker = new Walker(s, fns, input === undefined ? () => false : (at) => position(at)[0] === 0, position);
  walker.walkProgram(program);

  // Frames: name, line, column, in the original source. The module is the
  // whole file: it starts at 1:1, as V8 reports it.
  const spec: (string | number)[] = ["(module)", 1, 1];
  for (const f of fns) spec.push(f.name, ...position(f.at));

  const runtime = options.runtime ?? "global";
  const head =
    (runtime === "global"
      ? `var ${R} = ${GLOBAL_RECORDER};`
      : "import" in runtime
      ? `import { recorder as ${R} } from ${JSON.stringify(runtime.import)};`
      : `var ${R} = require(${JSON.stringify(runtime.require)}).recorder;`) +
    `var ${F} = ${R}.registerFrames(${JSON.stringify(options.file)}, ${JSON.stringify(spec)});` +
    `var ${L} = ${R}, ${A} = ${R}.enterAsync(${F});`;
  s.prependRight(prologueOffset(program, code), INSTRUMENTED_MARK + head);
  s.appendLeft(code.length, `\n;${R}.exitAsync(${A});`);

  const decoded = s.generateDecodedMap({ hires: "boundary", source: options.file, includeContent: false });
  const map = input === undefined
    ? { version: 3, sources: [options.file], sourcesContent: [code], names: decoded.names, mappings: encode(decoded.mappings as SourceMapSegment[][]) }
    : composeMaps(decoded.mappings as SourceMapSegment[][], input, { traceSegment, encode });
  return { code: s.toString(), map, functions: fns.length };
}

/** Walks the AST once, in post-order, inserting the calls as it leaves each node. */
class Walker {
  readonly #s: MagicString;
  readonly #fns: FnInfo[];
  /** Whether the innermost function (or the module) can suspend. */
  #scope: { suspends: boolean } = { suspends: true };
  /** Labelled statements by the statement they label. */
  readonly #labelOf = new WeakMap<Node, Node>();
  /** Constructors by the name of their class. */
  readonly #constructorNames = new WeakMap<Node, string>();

  readonly #generated: (offset: number) => boolean;
  /** The original line and column of an offset (`[0, 0]`: none). */
  readonly #position: (offset: number) => [number, number];

  constructor(s: MagicString, fns: FnInfo[], generated: (offset: number) => boolean, position: (offset: number) => [number, number]) {
    this.#s = s;
    this.#fns = fns;
    this.#generated = generated;
    this.#position = position;
  }

  walkProgram(program: Node): void {
    this.#visit(program, undefined, undefined);
  }

  #visit(node: Node, parent: Node | undefined, hint: NameHint | undefined): void {
    const isFn = node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";
    let info: FnInfo | undefined;
    const outer = this.#scope;
    if (isFn && !this.#generated(node.start)) {
      const suspends = node.async === true || node.generator === true;
      const id = node.id as Node | null | undefined;
      const name = (id?.name as string | undefined) ?? hint?.name ?? "(anonymous)";
      // The position of the function's name, as the engine backends place
      // it: a named function's id, else the name it is bound to (a method's
      // key, `const name =`), else the function itself.
      const at = id?.start ?? hint?.at ?? node.start;
      // Frames in source order: take the slot before the children do.
      info = { node, index: this.#fns.length + 1, name, at, suspends };
      this.#fns.push(info);
      this.#scope = { suspends };
    } else if (isFn) {
      // A function left alone: its awaits and yields are not ours to track.
      this.#scope = { suspends: false };
    }
    // Parameters' default values run before the body, outside the frame.
    for (const [child, childHint] of this.#children(node, hint)) this.#visit(child, node, childHint);
    this.#scope = outer;
    if (info) this.#wrapFunction(info);
    else this.#edit(node);
  }

  /** Edits for nodes inside a function: await, yield, catch, finally, for await. */
  #edit(node: Node): void {
    const s = this.#s;
    const scope = this.#scope;
    switch (node.type) {
      case "AwaitExpression": {
        if (!scope.suspends) break;
        const arg = node.argument as Node;
        s.prependRight(node.start, `${L}.awaitEnd(${A}, `);
        s.prependRight(arg.start, `${L}.awaitStart(${A}, `);
        // Where the await is, for its [await] frame.
        const [line, col] = this.#position(node.start as number);
        s.appendLeft(node.end, line > 0 ? `, ${line}, ${col}))` : "))");
        break;
      }
      case "YieldExpression": {
        if (!scope.suspends) break;
        const arg = node.argument as Node | null;
        s.prependRight(node.start, `${L}.yieldEnd(${A}, `);
        if (arg) {
          s.prependRight(arg.start, `${L}.yieldStart(${A}, `);
          s.appendLeft(node.end, "))");
        } else {
          s.appendLeft(node.end, ` ${L}.yieldStart(${A}, undefined))`);
        }
        break;
      }
      case "CatchClause":
        if (scope.suspends) s.prependRight((node.body as Node).start + 1, `${L}.resumeIfSuspended(${A});`);
        break;
      case "TryStatement": {
        const fin = node.finalizer as Node | null;
        if (fin && scope.suspends) s.prependRight(fin.start + 1, `${L}.resumeIfSuspended(${A});`);
        break;
      }
      case "ForOfStatement": {
        if (node.await !== true || !scope.suspends) break;
        const right = node.right as Node;
        const body = node.body as Node;
        s.prependRight(right.start, `${L}.forAwait(${A}, `);
        s.appendLeft(right.end, ")");
        if (body.type === "BlockStatement") {
          s.prependRight(body.start + 1, `${L}.awaitEnd(${A}, 0);`);
        } else {
          s.prependRight(body.start, `{${L}.awaitEnd(${A}, 0);`);
          s.appendLeft(body.end, "}");
        }
        // After the loop (done, break) the function runs on. A labelled loop
        // keeps its label, so the block goes around the label too.
        let target: Node = node;
        while (this.#labelOf.get(target)) target = this.#labelOf.get(target)!;
        s.prependRight(target.start, "{");
        s.appendLeft(target.end, `;${L}.resumeIfSuspended(${A});}`);
        break;
      }
      default:
        break;
    }
  }

  #wrapFunction(info: FnInfo): void {
    const s = this.#s;
    const node = info.node;
    const body = node.body as Node;
    // One check a call: where the module's frames are, so is its recorder.
    const enter = (method: string) => `typeof ${F} == "number" ? (${L} = ${R}).${method}(${F} + ${info.index}) : (${L} = ${NONE}).${method}()`;
    const [open, close] = info.suspends
      ? [`var ${L}, ${A} = ${enter("enterAsync")}; try {`, `} finally { ${L}.exitAsync(${A}); }`]
      : [`var ${L}, ${D} = ${enter("enter")}; try {`, `} finally { ${L}.exit(${D}); }`];
    if (body.type === "BlockStatement") {
      const stmts = body.body as Node[];
      let at = body.start + 1;
      for (const st of stmts) {
        if (typeof st.directive !== "string") break;
        at = st.end;
      }
      // An empty body: both at one offset, where appendLeft would come first.
      if (at === body.end - 1) s.prependRight(at, open + close);
      else {
        s.prependRight(at, open);
        s.appendLeft(body.end - 1, close);
      }
    } else {
      s.prependRight(body.start, `{${open} return `);
      s.appendLeft(body.end, `;${close}}`);
    }
  }

  /**
   * The child nodes of `node`, each with the field it sits in and the name a
   * function there would get (ECMAScript's function-name inference, plus
   * `a.b` for member assignments as V8 names them).
   */
  /** Each child of `node`, with the name it takes from `node` if it is a function; `hint`: `node`'s own. */
  #children(node: Node, hint: NameHint | undefined): [Node, NameHint | undefined][] {
    const out: [Node, NameHint | undefined][] = [];
    const named = (name: string | undefined, at: Node): NameHint | undefined => (name === undefined ? undefined : { name, at: nameStart(at) });
    const hintFor = (key: string, child: Node): NameHint | undefined => {
      switch (node.type) {
        case "VariableDeclarator":
          return key === "init" ? named(patternName(node.id as Node), node.id as Node) : undefined;
        case "AssignmentExpression":
          return key === "right" ? named(patternName(node.left as Node), node.left as Node) : undefined;
        case "AssignmentPattern":
          return key === "right" ? named(patternName(node.left as Node), node.left as Node) : undefined;
        case "Property":
        case "PropertyDefinition":
          return key === "value" ? named(keyName(node), node.key as Node) : undefined;
        case "MethodDefinition": {
          if (key !== "value") return undefined;
          const k = keyName(node);
          const at = (node.key as Node).start;
          if (node.kind === "get" || node.kind === "set") return { name: `${node.kind as string} ${k ?? "(anonymous)"}`, at };
          if (node.kind === "constructor") return { name: this.#constructorNames.get(node) ?? "constructor", at };
          return k === undefined ? undefined : { name: k, at };
        }
        case "ExportDefaultDeclaration":
          return key === "declaration" && (child.id === null || child.id === undefined) ? { name: "default" } : undefined;
        case "CallExpression":
          // esbuild's `keepNames` (tsx runs with it): `__name(fn, "name")` names `fn` at run time, where the binding was.
          return key === "arguments" && child === (node.arguments as Node[])[0] && keptName(node) !== undefined ? { name: keptName(node)!, at: hint?.at } : undefined;
        default:
          return undefined;
      }
    };
    if (node.type === "ClassDeclaration" || node.type === "ClassExpression") {
      const name = (node.id as Node | null)?.name as string | undefined;
      for (const m of ((node.body as Node).body as Node[])) {
        if (m.type === "MethodDefinition" && m.kind === "constructor" && name) this.#constructorNames.set(m, name);
      }
    }
    if (node.type === "LabeledStatement") this.#labelOf.set(node.body as Node, node);
    for (const key of Object.keys(node)) {
      if (key === "type" || key === "start" || key === "end" || key === "loc" || key === "range") continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof (c as Node).type === "string") out.push([c as Node, hintFor(key, c as Node)]);
      } else if (v && typeof (v as Node).type === "string") {
        out.push([v as Node, hintFor(key, v as Node)]);
      }
    }
    return out;
  }

}

/** The name a function takes from where it is bound, and where that name starts (an offset in the code). */
interface NameHint {
  readonly name: string;
  readonly at?: number | undefined;
}

/** Where a binding's name starts: a member chain's last property (`this.onData`: `onData`). */
function nameStart(n: Node): number {
  if (n.type === "ParenthesizedExpression") return nameStart(n.expression as Node);
  if (n.type === "MemberExpression" && !n.computed) return (n.property as Node).start;
  return n.start;
}

/** The name in esbuild's `__name(fn, "name")`, when `call` is one of a function. */
function keptName(call: Node): string | undefined {
  const callee = call.callee as Node;
  const [fn, name] = call.arguments as Node[];
  if (callee.type !== "Identifier" || callee.name !== "__name" || fn === undefined || name?.type !== "Literal" || typeof name.value !== "string") return undefined;
  return fn.type === "ArrowFunctionExpression" || fn.type === "FunctionExpression" ? name.value : undefined;
}

/** `x` for `x`, `a.b` for `a.b`, `a.b.c` for member chains; else undefined. */
function patternName(n: Node): string | undefined {
  if (n.type === "Identifier") return n.name as string;
  if (n.type === "ParenthesizedExpression") return patternName(n.expression as Node);
  if (n.type === "MemberExpression" && !n.computed) {
    const obj = n.object as Node;
    const base = obj.type === "ThisExpression" ? "this" : patternName(obj);
    const prop = (n.property as Node).name as string;
    return base === undefined ? prop : `${base}.${prop}`;
  }
  return undefined;
}

function keyName(n: Node): string | undefined {
  const key = n.key as Node;
  if (n.computed) return key.type === "Literal" ? String(key.value) : undefined;
  if (key.type === "Identifier") return key.name as string;
  if (key.type === "PrivateIdentifier") return `#${key.name as string}`;
  if (key.type === "Literal") return String(key.value);
  return undefined;
}

/** Where the prologue goes: after a hashbang and the directives ("use strict"). */
function prologueOffset(program: Node, code: string): number {
  let at = 0;
  if (code.startsWith("#!")) {
    const nl = code.indexOf("\n");
    at = nl === -1 ? code.length : nl + 1;
  }
  for (const st of program.body as Node[]) {
    if (typeof st.directive !== "string") break;
    at = st.end;
  }
  return at;
}

/** 1-based line and column of `offset`, mapped back to the original source. */
function originalPosition(offset: number, lines: number[], input: TraceMap | undefined): [number, number] {
  const lo = lineIndexOf(lines, offset);
  const line = lo + 1;
  const col = offset - lines[lo]!;
  if (input === undefined) return [line, col + 1];
  const o = originalPositionFor(input, { line, column: col });
  if (o.line === null) return [0, 0];
  return [o.line, o.column + 1];
}

/** True when `code` was already instrumented by this transform. */
export function isInstrumented(code: string): boolean {
  return code.includes(INSTRUMENTED_MARK);
}

/** Options for {@linkcode instrumentCode}. */
export interface InstrumentCodeOptions {
  /** The original file, as frames should name it. */
  readonly file: string;
  /**
   * `esm`, `cjs`, or `detect`: ESM when the code has import or export
   * declarations or awaits at the top level.
   */
  readonly format: "esm" | "cjs" | "detect";
  /**
   * The module that exports `recorder`, imported (or required) by
   * instrumented code; without it, code reads the recorder from
   * `globalThis`.
   */
  readonly recorderSpecifier?: string;
  /** Whether CommonJS code requires the recorder module or reads the global. */
  readonly cjs?: "require" | "global";
  /** Source map of `code`, if not inline. */
  readonly inputMap?: RawSourceMap;
}

/**
 * Instruments code as a loader hands it over: takes its inline source map
 * (if any), instruments it, and appends the composed map inline. Returns
 * `undefined` for code that is already instrumented or does not parse; such
 * code runs as it is.
 *
 * @example
 * ```ts
 * import { instrumentCode } from "./transform.ts";
 * const code = instrumentCode("module.exports = () => 1", { file: "/app/a.cjs", format: "cjs" });
 * ```
 */
export function instrumentCode(code: string, options: InstrumentCodeOptions): string | undefined {
  if (isInstrumented(code)) return undefined;
  const taken = takeInlineSourceMap(code);
  const inputMap = options.inputMap ?? taken.map;
  const attempts: ("esm" | "cjs")[] = options.format === "detect" ? ["esm", "cjs"] : [options.format];
  for (const format of attempts) {
    try {
      const sourceType = format === "esm" ? "module" : "script";
      const esm = format === "esm" && (options.format === "esm" || usesModuleSyntax(taken.code));
      if (format === "esm" && !esm) continue;
      const spec = options.recorderSpecifier;
      const runtime = spec === undefined
        ? "global" as const
        : esm
        ? { import: spec }
        : options.cjs === "require"
        ? { require: spec }
        : "global" as const;
      const out = instrumentSource(taken.code, { file: options.file, sourceType, runtime, ...(inputMap ? { inputMap } : {}) });
      return withInlineSourceMap(out.code, out.map);
    } catch {
      // Not this format (or not JavaScript at all): try the next, else leave it.
    }
  }
  return undefined;
}

/**
 * True when code is an ES module: import or export declarations, or
 * top-level await.
 */
export function isModule(code: string): boolean {
  return usesModuleSyntax(code);
}

function usesModuleSyntax(code: string): boolean {
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true }) as unknown as Node;
  } catch {
    return false;
  }
  if ((program.body as Node[]).some((st) => st.type === "ImportDeclaration" || st.type.startsWith("Export"))) return true;
  if (!code.includes("await")) return false;
  // Top-level await parses only as a module.
  try {
    parse(code, { ecmaVersion: "latest", sourceType: "script", allowHashBang: true, allowReturnOutsideFunction: true });
    return false;
  } catch {
    return true;
  }
}
