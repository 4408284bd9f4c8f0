// Operations per CPU second and per wall second of a synchronous operation, on this thread.

export interface Rate {
  ops: number;
  perCpuSecond: number;
  perWallSecond: number;
}

/** CPU milliseconds used so far by this thread. */
export function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs `op` for about `ms` of wall time on this thread. */
export function measureRate(ms: number, op: (i: number) => void): Rate {
  for (let i = 0; i < 500; i++) op(i); // warm-up: let the JIT optimise before timing
  const wallStart = performance.now();
  const cpuStart = threadCpuMs();
  let ops = 0;
  while (performance.now() - wallStart < ms) op(ops++);
  const cpu = threadCpuMs() - cpuStart;
  const wall = performance.now() - wallStart;
  return { ops, perCpuSecond: Math.round((ops / cpu) * 1000), perWallSecond: Math.round((ops / wall) * 1000) };
}
