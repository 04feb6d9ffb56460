// Unit tests of src/sourcemap/source_lines.ts: lines read as bytes must be
// the lines of the file read as text, on every runtime that runs the suite.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileLineReader, linesOfText, type OpenFile, type SourceLines, textLineReader } from "../../src/sourcemap/source_lines.ts";
import { keptOpen } from "../../runtimes/_files.ts";
import { ROOT } from "../_cli.ts";
import { test } from "../harness.ts";

const encode = (s: string) => new TextEncoder().encode(s);

/** The lines of `bytes`, as the file reader finds them in a file that holds them. */
function linesOfBytes(bytes: Uint8Array): SourceLines {
  const open: OpenFile = (_path, use) =>
    use((into, at) => {
      const part = bytes.subarray(at, at + into.length);
      into.set(part);
      return part.length;
    });
  return fileLineReader(open)("/app/a.js")!;
}

test("fileLineReader() gives the lines of the bytes, as the text has them: CRLF kept, a final line without a newline, non-ASCII in UTF-16 units", () => {
  const texts = ["", "a", "a\n", "a\r\nb\r\n", "\uFEFFfunction f() {}\nconst s = 'é😀';  function g() {}\n\nlast"];
  for (const text of texts) {
    const bytes = linesOfBytes(encode(text));
    const split = text.split("\n");
    assert.equal(bytes.count, split.length, JSON.stringify(text));
    for (let n = 1; n <= split.length; n++) assert.equal(bytes.line(n), split[n - 1], `${JSON.stringify(text)} line ${n}`);
    assert.equal(bytes.line(0), undefined);
    assert.equal(bytes.line(split.length + 1), undefined);
    const fromText = linesOfText(text);
    assert.equal(fromText.count, split.length);
    for (let n = 1; n <= split.length; n++) assert.equal(fromText.line(n), split[n - 1]);
  }
  // The column of `g` as an engine counts it (UTF-16), in the decoded line.
  assert.equal(linesOfBytes(encode("const s = 'é😀';  function g() {}")).line(1)!.indexOf("g()"), "const s = 'é😀';  function ".length);
});

test("fileLineReader() reads a file held in a Node Buffer and in a view into a larger buffer", () => {
  const path = join(ROOT, "src/sourcemap/source_lines.ts");
  const text = readFileSync(path, "utf8");
  const lines = linesOfBytes(readFileSync(path));
  assert.equal(lines.count, text.split("\n").length);
  assert.equal(lines.line(3), text.split("\n")[2]);
  const padded = encode(`xx${text}yy`);
  const view = linesOfBytes(padded.subarray(2, padded.length - 2));
  assert.equal(view.line(view.count), text.split("\n").at(-1));
});

test("fileLineReader() scans each file once, reads a search upwards a few lines at a time and lines asked for ahead at once, and gives undefined for a file that cannot be read", () => {
  const files: Record<string, string> = { "/a.js": Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n") };
  const opened: string[] = [];
  const open: OpenFile = (path, use) => {
    opened.push(path);
    const bytes = files[path] === undefined ? undefined : encode(files[path]!);
    return bytes && use((into, at) => {
      const part = bytes.subarray(at, at + into.length);
      into.set(part);
      return part.length;
    });
  };
  const readLines = fileLineReader(open);
  assert.equal(readLines("/a.js")?.count, 40);
  assert.deepEqual(opened, ["/a.js"]);
  assert.equal(readLines("/a.js")?.line(30), "line 30");
  assert.deepEqual(opened, ["/a.js", "/a.js"]);
  // A search upwards from 30 reads the lines above 29 with it.
  for (let n = 29; n >= 22; n--) assert.equal(readLines("/a.js")?.line(n), `line ${n}`);
  assert.deepEqual(opened, ["/a.js", "/a.js", "/a.js"]);
  // Lines asked for ahead: one read for all of them.
  readLines("/a.js")!.prefetch!([35, 3, 12, 3]);
  assert.equal(opened.length, 4);
  for (const n of [3, 12, 35]) assert.equal(readLines("/a.js")?.line(n), `line ${n}`);
  assert.equal(opened.length, 4);
  assert.equal(readLines("/missing.js"), undefined);
  assert.equal(readLines("/missing.js"), undefined);
  assert.deepEqual(opened, ["/a.js", "/a.js", "/a.js", "/a.js", "/missing.js"]);
  let textReads = 0;
  const readText = textLineReader(() => (textReads++, "x\ny"));
  assert.equal(readText("/b.js")?.line(1), "x");
  assert.equal(readText("/b.js")?.line(2), "y");
  assert.equal(textReads, 1);
});

test("fileLineReader(keptOpen().open) gives a large real file's lines, across the scan's reads, as reading it whole does", () => {
  // The TypeScript compiler: 9 MB, far more than one of the scan's reads.
  const path = join(ROOT, "node_modules/typescript/lib/typescript.js");
  const split = readFileSync(path, "utf8").split("\n");
  const files = keptOpen();
  try {
    const lines = fileLineReader(files.open)(path)!;
    assert.equal(lines.count, split.length);
    for (let n = 1; n <= split.length; n += 997) assert.equal(lines.line(n), split[n - 1], `line ${n}`);
    assert.equal(lines.line(split.length), split.at(-1));
    // Read ahead in the file's order, in the scan's memory: the same lines.
    const ahead = fileLineReader(files.open)(path)!;
    const some = Array.from({ length: 400 }, (_, i) => split.length - i * 499).filter((n) => n >= 1);
    ahead.prefetch!(some);
    for (const n of some) assert.equal(ahead.line(n), split[n - 1], `line ${n}, read ahead`);
    const readLines = fileLineReader(files.open);
    assert.equal(readLines(join(ROOT, "no-such-file.js")), undefined);
    assert.equal(readLines(join(ROOT, "src")), undefined, "a directory");
  } finally {
    files.close();
  }
});

test("keptOpen() holds at most 64 files open for a pass, reopens one it let go, and closes all at the end", () => {
  const openFds = () => readdirSync("/proc/self/fd").length;
  const dir = join(ROOT, "src/sourcemap");
  const paths = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f))
    .concat(readdirSync(join(ROOT, "src/cli")).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, "src/cli", f)))
    .concat(readdirSync(join(ROOT, "src/render")).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, "src/render", f)))
    .concat(readdirSync(join(ROOT, "src/tree")).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, "src/tree", f)));
  assert.ok(paths.length > 70, `${paths.length} files`);
  const before = openFds();
  const kept = keptOpen();
  const readLines = fileLineReader(kept.open);
  for (const path of paths) assert.equal(readLines(path)?.line(1), readFileSync(path, "utf8").split("\n")[0], path);
  assert.ok(openFds() - before <= 64, `${openFds() - before} files open`);
  // The first file was let go: read again, it is opened again.
  assert.equal(readLines(paths[0]!)?.line(2), readFileSync(paths[0]!, "utf8").split("\n")[1]);
  kept.close();
  assert.equal(openFds(), before);
});
