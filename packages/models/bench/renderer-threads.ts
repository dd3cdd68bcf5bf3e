/**
 * Per-thread CPU time of the Chromium renderer processes this Node process launched, read from
 * /proc (Linux): which threads of a page did the work (its main thread, its Web Workers: heed's
 * kernel pool, onnxruntime-web's and tfjs's pthreads), independent of how loaded the machine is.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // CLK_TCK 100

/** CPU ms per thread, keyed "pid/tid", with the thread's name. */
export type ThreadTimes = Map<string, { name: string; cpuMs: number }>;

function parent(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  } catch {
    return undefined;
  }
}

/** Renderer processes descending from this process (playwright spawns Chromium as a child). */
function rendererPids(): string[] {
  if (!existsSync('/proc/self/stat')) return [];
  const self = String(process.pid);
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) return false;
    } catch {
      return false;
    }
    for (let up = parent(pid), depth = 0; up && depth < 6; up = parent(up), depth++) if (up === self) return true;
    return false;
  });
}

/** A snapshot of every renderer thread's CPU time (user + system). */
export function rendererThreadTimes(): ThreadTimes {
  const times: ThreadTimes = new Map();
  for (const pid of rendererPids()) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        times.set(`${pid}/${tid}`, { name, cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
      } catch {
        // the thread ended
      }
    }
  }
  return times;
}

/** What each thread used between two snapshots: busiest first, threads under `minMs` left out. */
export function threadUse(before: ThreadTimes, after: ThreadTimes, minMs = 20): { name: string; cpuMs: number }[] {
  return [...after]
    .map(([key, { name, cpuMs }]) => ({ name, cpuMs: cpuMs - (before.get(key)?.cpuMs ?? 0) }))
    .filter((entry) => entry.cpuMs >= minMs)
    .sort((a, b) => b.cpuMs - a.cpuMs);
}
