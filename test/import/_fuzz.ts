/**
 * Deterministic mutations of the real fixtures: the same seed and index give
 * the same broken file on every runtime.
 *
 * @module
 */
import { gunzipSync, gzipSync } from "fflate";
import { prng } from "../../bench/synthetic_profile.ts";

/** Fixtures the fuzzer starts from. */
export const FUZZ_SOURCES = [
  "node24.cpuprofile",
  "bun.cpuprofile",
  "chrome.cpuprofile",
  "speedscope-evented.speedscope.json",
  "tsprof.speedscope.json",
  "tsprof.json",
  "tsprof.tsprof",
] as const;


/** One fuzz case: a file name, its bytes, and how it was made. */
export interface FuzzCase {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly how: string;
}

const ODD_VALUES: unknown[] = [
  -1, 0, 1, 1.5, -0.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, "", "x", "2", null, true, false, [], {}, [[]], [-1], { id: 1 },
];

/** Picks a random value somewhere inside `root` and returns its container and key. */
function randomSpot(root: unknown, rand: () => number): [Record<string, unknown> | unknown[], string | number] | undefined {
  let node = root;
  let spot: [Record<string, unknown> | unknown[], string | number] | undefined;
  for (let depth = 0; depth < 12; depth++) {
    if (typeof node !== "object" || node === null) break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[Math.floor(rand() * keys.length)]!;
    spot = [node as Record<string, unknown>, k];
    node = (node as Record<string | number, unknown>)[k];
    if (rand() < 0.25) break;
  }
  return spot;
}

/**
 * Builds case `index` of the run `seed`: a fixture mutated at the JSON level
 * (a value replaced, removed or duplicated) or the byte level (a byte
 * changed, a slice cut, repeated or truncated), sometimes gzipped again.
 */
export function fuzzCase(seed: number, index: number, read: (name: string) => Uint8Array): FuzzCase {
  const rand = prng(seed * 100_003 + index);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const name = pick(FUZZ_SOURCES);
  let data = read(name);
  const gz = data[0] === 0x1f && data[1] === 0x8b;
  if (gz) data = gunzipSync(data);
  let how: string;
  if (rand() < 0.6) {
    const json = JSON.parse(new TextDecoder().decode(data));
    const edits = 1 + Math.floor(rand() * 3);
    const done: string[] = [];
    for (let e = 0; e < edits; e++) {
      const spot = randomSpot(json, rand);
      if (!spot) continue;
      const [holder, key] = spot;
      const r = rand();
      if (r < 0.6) {
        const v = pick(ODD_VALUES);
        (holder as Record<string | number, unknown>)[key] = structuredClone(v);
        done.push(`set ${String(key)}=${JSON.stringify(v)}`);
      } else if (r < 0.8) {
        if (Array.isArray(holder)) holder.splice(key as number, 1);
        else delete holder[key as string];
        done.push(`remove ${String(key)}`);
      } else {
        const other = randomSpot(json, rand);
        if (other) (holder as Record<string | number, unknown>)[key] = structuredClone((other[0] as Record<string | number, unknown>)[other[1]]);
        done.push(`copy into ${String(key)}`);
      }
    }
    data = new TextEncoder().encode(JSON.stringify(json));
    how = `json: ${done.join(", ")}`;
  } else {
    const out = Array.from(data);
    const r = rand();
    const at = Math.floor(rand() * out.length);
    if (r < 0.3) {
      out[at] = Math.floor(rand() * 256);
      how = `byte ${at} changed`;
    } else if (r < 0.5) {
      out.splice(at, 1 + Math.floor(rand() * 64));
      how = `bytes cut at ${at}`;
    } else if (r < 0.7) {
      out.splice(at, 0, ...out.slice(at, at + 1 + Math.floor(rand() * 64)));
      how = `bytes repeated at ${at}`;
    } else {
      out.length = at;
      how = `truncated at ${at}`;
    }
    data = Uint8Array.from(out);
  }
  if (gz || rand() < 0.1) data = gzipSync(data);
  return { name, bytes: data, how: `${name} (seed ${seed}, case ${index}): ${how}` };
}
