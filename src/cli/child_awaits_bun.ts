/**
 * Charges the waits a Bun child recorded (`child/bun_awaits.ts` writes them
 * beside its CPU time) to the profile `bun --cpu-prof` wrote, and names what
 * each `await` waited for. Bun's profile runs on the epoch's clock, the
 * waits on `performance.now()`, which starts at `performance.timeOrigin`.
 *
 * @module
 */
import { matchSampledFrames } from "../async/await_tracker.ts";
import { chargeAwaits } from "../async/charge_awaits.ts";
import { labelAwaits } from "../async/label_awaits.ts";
import { placeWaitsAtDefinitions } from "../async/wait_definitions.ts";
import { namedFunctionSpans } from "../async/source_functions.ts";
import { completeCutStacks } from "../async/cut_stacks.ts";
import type { ChargeChildAwaits } from "./child_awaits.ts";
import { readText, withLines } from "./source_maps.ts";

/**
 * The session, whose frames are at their definitions, with its main
 * profile's idle time charged to the waits noted; the profile began at
 * `profileStart` ms on the epoch's clock.
 */
export const chargeBunAwaits: ChargeChildAwaits = (session, noted, profileStart) => {
  const [main, ...rest] = session.profiles;
  if (!main || !Array.isArray(noted.waits) || typeof noted.timeOrigin !== "number") return session;
  const waits = completeCutStacks(withLines((readLines) => placeWaitsAtDefinitions(noted.waits!, readLines, functionsOf)));
  const charged = chargeAwaits(main, profileStart - noted.timeOrigin, matchSampledFrames(main, waits));
  return labelAwaits({ ...session, profiles: [charged, ...rest] }, readText);
};

/** The functions of a source file, TypeScript and JSX as its name says. */
function functionsOf(path: string): ReturnType<typeof namedFunctionSpans> {
  const text = readText(path);
  return text === undefined ? undefined : namedFunctionSpans(text, { typescript: /\.[mc]?tsx?$/.test(path), jsx: /\.[jt]sx$/.test(path) });
}
