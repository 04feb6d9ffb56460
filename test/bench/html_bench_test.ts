import assert from "node:assert/strict";
import { join } from "node:path";
import process from "node:process";
import { test } from "../harness.ts";
import { browserSkipReason } from "../_browser.ts";
import { ROOT, run } from "../_cli.ts";

test(
  "bench/html_bench.ts --quick measures tiny reports end to end in Chromium, so the benchmark cannot rot",
  () => {
    const r = run([process.execPath, "--import", "tsx", join(ROOT, "bench/html_bench.ts"), "--quick"]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0]!, /^\| samples \| unique stacks \| report size \| render \(tsprof\) \| first render \(page\) \|/);
    const rows = lines.slice(2).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
    assert.deepEqual(rows.map((c) => c[0]), ["500", "2,000"]);
    for (const cells of rows) {
      assert.equal(cells.length, 13);
      for (const c of cells.slice(3, 12)) assert.match(c, /^\d+(\.\d+)? (ms|s)$/, `a time in ${cells.join(" | ")}`);
      assert.match(cells[2]!, /^\d+\.\d+ MB$/);
    }
    assert.doesNotMatch(r.stdout, /wrote bench\/RESULTS-html\.md/, "--quick leaves the results file alone");
  },
  { skip: browserSkipReason(), timeoutMs: 120_000 },
);
