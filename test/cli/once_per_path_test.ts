import assert from "node:assert/strict";
import { oncePerPath } from "../../src/cli/source_maps.ts";
import { test } from "../harness.ts";

test("oncePerPath() asks once per path, a file that cannot be read too, and hands back what was given", () => {
  const asked: string[] = [];
  const read = oncePerPath((path) => {
    asked.push(path);
    return path.endsWith(".ts") ? `text of ${path}` : undefined;
  });
  assert.equal(read("/app/a.ts"), "text of /app/a.ts");
  assert.equal(read("/app/a.ts"), "text of /app/a.ts");
  assert.equal(read("/app/gone.js"), undefined);
  assert.equal(read("/app/gone.js"), undefined);
  assert.equal(read("/app/b.ts"), "text of /app/b.ts");
  assert.deepEqual(asked, ["/app/a.ts", "/app/gone.js", "/app/b.ts"]);
});
