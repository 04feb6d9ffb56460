// Real work by real libraries (installed as devDependencies), for the
// end-to-end overhead bench (bench/real_overhead.mjs). Each workload takes a
// scale (how many rounds) and returns a number that depends on the work, so
// that nothing is optimised away. Inputs are files of the installed packages.
import { readdir, readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

// Package files by path: some are not in their package's exports.
const modules = join(dirname(dirname(dirname(new URL(import.meta.url).pathname))), "node_modules");
const pkgFile = (path) => join(modules, path);
const text = (path) => readFileSync(pkgFile(path), "utf8");

/** The Markdown of the installed packages' own docs, in a fixed order. */
function markdownCorpus() {
  const files = ["terser/README.md", "terser/CHANGELOG.md", "acorn/CHANGELOG.md", "@babel/parser/CHANGELOG.md", "fflate/README.md", "source-map/README.md", "commander/Readme.md"];
  return files.map((f) => text(f)).join("\n\n");
}

export const workloads = {
  /** The TypeScript compiler type-checking its own declaration file. */
  async typescript(scale) {
    const ts = (await import("typescript")).default;
    const file = pkgFile("typescript/lib/typescript.d.ts");
    let n = 0;
    for (let i = 0; i < scale; i++) {
      const program = ts.createProgram([file], { noEmit: true, strict: true, types: [], lib: ["lib.es2022.d.ts"] });
      n += ts.getPreEmitDiagnostics(program).length + program.getTypeCount();
    }
    return n;
  },
  /** prettier formatting markdown-it's and marked's bundles. */
  async prettier(scale) {
    const prettier = await import("prettier");
    const sources = [text("markdown-it/dist/markdown-it.cjs.js"), text("marked/lib/marked.esm.js")];
    let n = 0;
    for (let i = 0; i < scale; i++) for (const s of sources) n += (await prettier.format(s, { parser: "babel" })).length;
    return n;
  },
  /** terser minifying markdown-it's bundle. */
  async terser(scale) {
    const { minify } = await import("terser");
    const source = text("markdown-it/dist/markdown-it.cjs.js");
    let n = 0;
    for (let i = 0; i < scale; i++) n += (await minify(source, { compress: { passes: 2 }, mangle: true })).code.length;
    return n;
  },
  /** acorn and @babel/parser parsing terser's bundle (1 MB of JavaScript). */
  async parse(scale) {
    const acorn = await import("acorn");
    const babel = await import("@babel/parser");
    const source = text("terser/dist/bundle.min.js");
    let n = 0;
    for (let i = 0; i < scale; i++) {
      n += acorn.parse(source, { ecmaVersion: "latest", sourceType: "script" }).body.length;
      n += babel.parse(source, { sourceType: "script" }).program.body.length;
    }
    return n;
  },
  /** marked and markdown-it rendering the packages' own docs. */
  async markdown(scale) {
    const { marked } = await import("marked");
    const MarkdownIt = (await import("markdown-it")).default;
    const md = new MarkdownIt();
    const corpus = markdownCorpus();
    let n = 0;
    for (let i = 0; i < scale; i++) n += marked.parse(corpus).length + md.render(corpus).length;
    return n;
  },
  /** Reading the TypeScript package's files a few at a time, with timers between: mostly waiting. */
  async async_io(scale) {
    const dir = dirname(pkgFile("typescript/lib/typescript.js"));
    const files = (await readdir(dir)).filter((f) => f.endsWith(".d.ts")).map((f) => join(dir, f));
    let n = 0;
    for (let i = 0; i < scale; i++) {
      for (let j = 0; j < files.length; j += 8) {
        const texts = await Promise.all(files.slice(j, j + 8).map((f) => readFile(f, "utf8")));
        n += texts.reduce((s, t) => s + (t.match(/\binterface\b/g)?.length ?? 0), 0);
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    return n;
  },
};
