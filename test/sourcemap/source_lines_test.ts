// Unit tests of src/sourcemap/source_lines.ts: lines read as bytes must be
// the lines of the file read as text, on every runtime that runs the suite.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesLineReader, linesOfBytes, linesOfText, textLineReader } from "../../src/sourcemap/source_lines.ts";
import { ROOT } from "../_cli.ts";
import { test } from "../harness.ts";

const encode = (s: string) => new TextEncoder().encode(s);

test("linesOfBytes() gives the lines of the text: CRLF kept, a final line without a newline, non-ASCII in UTF-16 units", () => {
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

test("linesOfBytes() reads a Node Buffer and a view into a larger buffer", () => {
  const path = join(ROOT, "src/sourcemap/source_lines.ts");
  const text = readFileSync(path, "utf8");
  const lines = linesOfBytes(readFileSync(path));
  assert.equal(lines.count, text.split("\n").length);
  assert.equal(lines.line(3), text.split("\n")[2]);
  const padded = encode(`xx${text}yy`);
  const view = linesOfBytes(padded.subarray(2, padded.length - 2));
  assert.equal(view.line(view.count), text.split("\n").at(-1));
});

test("bytesLineReader() and textLineReader() read each file once and give undefined for a file that cannot be read", () => {
  const reads: string[] = [];
  const readBytes = bytesLineReader((p) => (reads.push(p), p === "/a.js" ? encode("one\ntwo") : undefined));
  assert.equal(readBytes("/a.js")?.line(2), "two");
  assert.equal(readBytes("/a.js")?.count, 2);
  assert.equal(readBytes("/missing.js"), undefined);
  assert.equal(readBytes("/missing.js"), undefined);
  assert.deepEqual(reads, ["/a.js", "/missing.js"]);
  let textReads = 0;
  const readText = textLineReader(() => (textReads++, "x\ny"));
  assert.equal(readText("/b.js")?.line(1), "x");
  assert.equal(readText("/b.js")?.line(2), "y");
  assert.equal(textReads, 1);
});
