/**
 * Entry of the report page's script (bundled by `scripts/build_viewer.mjs`
 * into `src/render/_viewer_bundle.ts`): decodes the embedded profile and
 * starts the app. When the first view is drawn it sets `data-ready` on the
 * root element and the performance mark `tsprof-ready`, which the browser
 * tests and the benchmark wait for.
 *
 * @module
 */
import { decodePayload } from "../render/html_payload.ts";
import { startApp } from "./app.ts";
import { el } from "./dom.ts";

function base64ToBytes(text: string): Uint8Array {
  const bin = atob(text.replace(/\s+/g, ""));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function boot(): void {
  const root = document.getElementById("app");
  if (!root) return;
  try {
    const data = document.getElementById("tsprof-data");
    if (!data) throw new Error("The report holds no profile data");
    const payload = decodePayload(base64ToBytes(data.textContent ?? ""));
    startApp(root, payload);
    requestAnimationFrame(() => {
      performance.mark("tsprof-ready");
      document.documentElement.dataset.ready = "1";
    });
  } catch (e) {
    root.replaceChildren(el("p", { class: "error", text: `tsprof could not show this report: ${(e as Error).message ?? String(e)}` }));
    document.documentElement.dataset.ready = "error";
  }
}

boot();
