/**
 * The source maps a running process's scripts carry inline (code that a
 * loader such as tsx transformed in memory has no map on disk), gathered
 * from the inspector's `Debugger.scriptParsed` events, by file as the
 * profile names it.
 *
 * @module
 */
import { normalizeFile } from "../paths.ts";
import { decodeDataUrl } from "../sourcemap/map_source.ts";
import type { InspectorConnection } from "./inspector_client.ts";

/** Starts gathering; the record fills as `Debugger.enable` reports each script. */
export function gatherScriptMaps(c: InspectorConnection): Record<string, object> {
  const maps: Record<string, object> = {};
  c.on("Debugger.scriptParsed", (p) => {
    const url = typeof p.url === "string" ? p.url : "";
    const mapUrl = typeof p.sourceMapURL === "string" ? p.sourceMapURL : "";
    if (url === "" || !mapUrl.startsWith("data:")) return;
    try {
      maps[normalizeFile(url)] = JSON.parse(decodeDataUrl(mapUrl)!) as object;
    } catch {
      // A malformed inline map: the positions stay the generated code's.
    }
  });
  return maps;
}
