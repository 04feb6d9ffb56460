// npm pack/publish hooks: the published package.json must not carry the
// checkout's `prepare` (it builds from sources and links bins, and npm 11
// lists any package with one as "a package with install scripts").
// `prepack` moves it aside, `postpack` puts it back, as pinst does for
// postinstall. Usage: node scripts/pack_manifest.mjs strip|restore
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const file = join(dirname(dirname(fileURLToPath(import.meta.url))), "package.json");
const text = readFileSync(file, "utf8");
const pkg = JSON.parse(text);
const [from, to] = process.argv[2] === "restore" ? ["_prepare", "prepare"] : ["prepare", "_prepare"];
if (pkg.scripts?.[from] !== undefined) {
  // Rename in place so the key keeps its position and the file its layout.
  const scripts = Object.fromEntries(Object.entries(pkg.scripts).map(([k, v]) => [k === from ? to : k, v]));
  writeFileSync(file, `${JSON.stringify({ ...pkg, scripts }, null, 2)}\n`);
}
