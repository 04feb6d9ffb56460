import assert from "node:assert/strict";
import { withoutMapComment } from "../../src/sourcemap/map_comment.ts";
import { test } from "../harness.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

test("a module's map comment on its last lines becomes an ordinary comment, one character changed, as text or bytes", () => {
  const cases = [
    ["f();\n//# sourceMappingURL=app.js.map\n", "f();\n//  sourceMappingURL=app.js.map\n"],
    ["f();\n//@ sourceMappingURL=app.js.map", "f();\n//  sourceMappingURL=app.js.map"],
    ["f();\r\n/*# sourceMappingURL=data:application/json;base64,e30= */\r\n\r\n", "f();\r\n/*  sourceMappingURL=data:application/json;base64,e30= */\r\n\r\n"],
    ["é();\n//# sourceMappingURL=a.map\n//# sourceURL=a.js\n", "é();\n//  sourceMappingURL=a.map\n//# sourceURL=a.js\n"],
  ];
  for (const [from, to] of cases) {
    assert.equal(withoutMapComment(from!), to);
    assert.equal(text(withoutMapComment(bytes(from!))), to);
  }
});

test("code with no map comment at its end comes back as it was, the same object", () => {
  const sources = [
    "f();\n",
    "",
    // A map comment's text in a string, not at a line's start, or above the last lines, is not the module's.
    'const s = "//# sourceMappingURL=x.map";\n',
    "//# sourceMappingURL=a.map\nf();\ng();\nh();\ni();\n",
    "f(); //# sourceMappingURL=a.map\n",
  ];
  for (const source of sources) {
    assert.equal(withoutMapComment(source), source);
    const b = bytes(source);
    assert.equal(withoutMapComment(b), b);
  }
});

test("bytes with a map comment are copied, not changed in place", () => {
  const b = bytes("f();\n//# sourceMappingURL=app.js.map\n");
  const out = withoutMapComment(b);
  assert.notEqual(out, b);
  assert.equal(text(b), "f();\n//# sourceMappingURL=app.js.map\n");
});
