import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "../harness.ts";
import { directArgv, ROOT, run } from "../_cli.ts";

test("bench/portable_bench.ts --quick runs every variant (so the bench cannot rot)", () => {
  const r = run([...directArgv(join(ROOT, "bench/portable_bench.ts")), "--quick"]);
  assert.equal(r.status, 0, r.stderr);
  for (const variant of ["no profiling", "instrumented, not recording", "engine backend", "portable backend, ticker worker", "portable backend, clock per event"]) {
    assert.match(r.stdout, new RegExp(`\\|[^|]*${variant}[^|]*\\| [\\d.]+ \\| [\\d.]+x \\|`), r.stdout);
  }
});
