/**
 * The fuzz cases, run in a child process by fuzz_test.ts so that a hang can
 * be caught and killed. `case_ <i>` is printed before each case, then
 * `ok <i>` (it loaded and rendered), `clean <i>` (a ProfileFormatError) or
 * `FAIL <i> <what>` (anything else was thrown).
 *
 * Usage: <runtime> _fuzz_cases.ts <seed> <count>
 *
 * @module
 */
import process from "node:process";
import { ProfileFormatError } from "../../src/errors.ts";
import { loadProfileFile } from "../../src/import/load.ts";
import { RENDERERS } from "../../src/render/registry.ts";
import { fixtureBytes } from "../_formats.ts";
import { fuzzCase } from "./_fuzz.ts";

const seed = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 100);
const out = (line: string) => process.stdout.write(`${line}\n`);

for (let i = 0; i < count; i++) {
  const c = fuzzCase(seed, i, fixtureBytes);
  out(`case_ ${i} ${c.name}`);
  try {
    const session = loadProfileFile(c.bytes, c.name, 16 << 20);
    for (const r of RENDERERS) r.render(session, { version: "0.0.0", filterThreshold: 0.01 });
    out(`ok ${i}`);
  } catch (e) {
    if (e instanceof ProfileFormatError && !e.message.includes("\n")) out(`clean ${i}`);
    else out(`FAIL ${i} ${c.how}: ${e instanceof Error ? (e.stack ?? e.message).replace(/\n/g, " | ") : String(e)}`);
  }
}
out("done");
