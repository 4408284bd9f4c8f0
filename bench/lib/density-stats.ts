// Small statistics helpers for the density benchmark: percentiles and a least-squares line.

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (p in 0…100) of already sorted values. */
export function percentileOfSorted(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function median(values: number[]): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), 50);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** count, mean, p50, p90, p99 and max, rounded to `digits`. */
export function summarize(values: number[], digits = 2): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    mean: round(mean, digits),
    p50: round(percentileOfSorted(sorted, 50), digits),
    p90: round(percentileOfSorted(sorted, 90), digits),
    p99: round(percentileOfSorted(sorted, 99), digits),
    max: round(sorted.at(-1) ?? Number.NaN, digits),
  };
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination (1 = every point on the line). */
  r2: number;
}

/** Ordinary least squares y = slope·x + intercept. */
export function linearFit(points: Array<[number, number]>): LinearFit {
  const n = points.length;
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN };
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  const slope = sxx === 0 ? Number.NaN : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}
