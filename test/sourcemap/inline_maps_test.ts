import assert from "node:assert/strict";
import { takeInlineSourceMap, withInlineSourceMap } from "../../src/sourcemap/inline_maps.ts";
import { test } from "../harness.ts";

test("withInlineSourceMap() writes a map every runtime reads (Deno only without a charset), and takeInlineSourceMap() reads it back, names and paths in any script", () => {
  const ascii = { version: 3, sources: ["/app/a.ts"], names: ["main"], mappings: "AAAA,SAAS" };
  const wide = { version: 3, sources: ["/app/données/日本.ts"], names: ["größe", "🙂"], mappings: "AAAA" };
  for (const map of [ascii, wide]) {
    const code = withInlineSourceMap("f();", map);
    assert.match(code, /\n\/\/# sourceMappingURL=data:application\/json;base64,[A-Za-z0-9+/=]+\n$/);
    assert.deepEqual(takeInlineSourceMap(code), { code: "f();", map });
  }
  // A map larger than a chunk of the byte-by-byte path.
  const big = { version: 3, sources: ["/app/é.ts"], names: [], mappings: "AAAA;".repeat(20000) };
  assert.deepEqual(takeInlineSourceMap(withInlineSourceMap("g();", big)).map, big);
});
