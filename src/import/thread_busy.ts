/**
 * How long a thread had work, from the scheduler's own accounting (Linux
 * `/proc/<pid>/task/<tid>/schedstat` and `status`). A profile without idle
 * samples (Bun's) says what ran but not for how long: the kernel says how
 * long the thread ran, and how long it waited for a CPU while it had work.
 *
 * Waiting for a CPU happens after a preemption (the thread was busy and
 * stays busy) and after a wake-up (the thread was idle until then). The
 * counters do not split the wait, so it is shared out by the number of
 * involuntary and voluntary context switches.
 *
 * @module
 */

/** A thread's scheduler counters at one moment. */
export interface ThreadStats {
  /** Milliseconds on a CPU. */
  readonly onCpuMs: number;
  /** Milliseconds runnable but waiting for a CPU. */
  readonly waitMs: number;
  /** Times the thread gave up the CPU itself (blocked, slept, waited for I/O). */
  readonly voluntary: number;
  /** Times the scheduler took the CPU away while the thread had work. */
  readonly involuntary: number;
}

/**
 * Parses the text of `schedstat` and `status` of one thread; undefined when
 * either is not what Linux writes.
 *
 * @example
 * ```ts
 * import { parseThreadStats } from "./thread_busy.ts";
 * parseThreadStats("183000000 458000000 86\n", "voluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t84\n");
 * // { onCpuMs: 183, waitMs: 458, voluntary: 1, involuntary: 84 }
 * ```
 */
export function parseThreadStats(schedstat: string, status: string): ThreadStats | undefined {
  const [run, wait] = schedstat.trim().split(/\s+/).map(Number);
  const vol = /^voluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  const invol = /^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  if (!Number.isFinite(run) || !Number.isFinite(wait) || !vol || !invol) return undefined;
  return { onCpuMs: run! / 1e6, waitMs: wait! / 1e6, voluntary: Number(vol[1]), involuntary: Number(invol[1]) };
}

/**
 * Milliseconds the thread was busy between two readings (or since it
 * started, without `before`): its time on a CPU, plus the share of its wait
 * for a CPU that followed preemptions rather than wake-ups.
 *
 * @example
 * ```ts
 * import { threadBusyMs } from "./thread_busy.ts";
 * // A CPU-bound thread on a loaded machine: preempted 84 times, woken once.
 * threadBusyMs({ onCpuMs: 183, waitMs: 458, voluntary: 1, involuntary: 84 }); // ≈ 635.6
 * ```
 */
export function threadBusyMs(after: ThreadStats, before?: ThreadStats): number {
  const d = (k: keyof ThreadStats) => Math.max(0, after[k] - (before?.[k] ?? 0));
  const switches = d("voluntary") + d("involuntary");
  return d("onCpuMs") + (switches === 0 ? 0 : (d("waitMs") * d("involuntary")) / switches);
}

/**
 * The part of a thread's busy time since it started, `totalMs`, that falls
 * after `startMs` (a profile's start, epoch ms), given a reading of the busy
 * time taken soon after: how busy the thread had been (`busyMs`) at `atMs`.
 * The stretch from `startMs` to the reading is the runtime starting up, and
 * counted busy; what the reading holds beyond it was before the start. Bun
 * starts its sampler some milliseconds into the thread's life: counted in,
 * that work had no sample to go to but the program's, wherever one stood
 * alone in a long gap.
 *
 * @example
 * ```ts
 * import { busyAfter } from "./thread_busy.ts";
 * // 7 ms busy by a reading 4 ms into the profile: 3 ms were before it.
 * busyAfter(20, 1000, { atMs: 1004, busyMs: 7 }); // 17
 * ```
 */
export function busyAfter(totalMs: number, startMs: number, reading?: BusyReading): number {
  if (reading === undefined) return totalMs;
  const before = Math.max(0, reading.busyMs - Math.max(0, reading.atMs - startMs));
  return Math.max(0, totalMs - before);
}

/** How busy a thread had been since it started (ms), and when that was read (epoch ms). */
export interface BusyReading {
  readonly atMs: number;
  readonly busyMs: number;
}
