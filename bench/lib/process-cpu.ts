// CPU time spent by this process and by PostgreSQL's processes (Linux /proc), so benchmarks
// can report CPU per operation: unlike throughput, it hardly changes when other work shares
// the machine.
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds of CPU used so far by every process named `postgres` (0 where /proc is absent). */
export function postgresCpuMs(): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 Hz)
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks * 10;
}

/** Milliseconds of CPU used so far by this process (all threads). */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
