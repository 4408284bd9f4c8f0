// Charts of the density benchmark, drawn from its results object (density.json) alone, so a
// saved result can be redrawn: node -e "…memoryChart(JSON.parse(readFileSync('density.json')))".
import { lineChart } from './svg-plot.ts';

interface SeriesPoint {
  loaded: number;
  rssMB: number;
  rssAnonMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
}

interface StagePoint {
  loadedTenants: number;
  concurrency: number;
  medianRoundP99: number;
  ms: { p50: number; p90: number; p99: number };
}

interface BlockPoint {
  existingTenants: number;
  count: number;
  p50: number;
  p90: number;
  max: number;
}

interface DensityResults {
  loading: { series: SeriesPoint[] };
  marginal: { rssKBPerTenantFit: number };
  latency: { stages: StagePoint[] };
  provisioning: { blocks: BlockPoint[] };
}

/** RSS and V8 heap of the shard against loaded tenants. */
export function memoryChart(results: unknown): string {
  const r = results as DensityResults;
  const series = r.loading.series;
  return lineChart({
    title: `Shard memory vs loaded idle tenants (${r.marginal.rssKBPerTenantFit} KB RSS per tenant)`,
    xLabel: 'loaded tenants',
    yLabel: 'MB',
    series: [
      { name: 'RSS (VmRSS)', points: series.map((s) => [s.loaded, s.rssMB]) },
      { name: 'RSS anonymous', points: series.map((s) => [s.loaded, s.rssAnonMB]) },
      { name: 'V8 heap total', points: series.map((s) => [s.loaded, s.heapTotalMB]) },
      { name: 'V8 heap used', points: series.map((s) => [s.loaded, s.heapUsedMB]) },
    ],
  });
}

/** Two line charts stacked in one SVG: key-request latency by loaded tenants, provisioning time by tenants existing. */
export function latencyChart(results: unknown): string {
  const r = results as DensityResults;
  const stages = r.latency.stages;
  const blocks = r.provisioning.blocks;
  const top = lineChart({
    title: `Key request latency (${stages[0]?.concurrency ?? '?'} concurrent, random loaded tenant)`,
    xLabel: 'loaded tenants (log scale)',
    yLabel: 'ms',
    logX: true,
    series: [
      { name: 'p50', points: stages.map((s) => [s.loadedTenants, s.ms.p50]) },
      { name: 'p90', points: stages.map((s) => [s.loadedTenants, s.ms.p90]) },
      { name: 'p99', points: stages.map((s) => [s.loadedTenants, s.ms.p99]) },
      { name: 'p99 (median round)', points: stages.map((s) => [s.loadedTenants, s.medianRoundP99]) },
    ],
  });
  // Per block, p99 of a few dozen samples is the maximum; p90 says more.
  const bottom = lineChart({
    title: `Provisioning one tenant (blocks of ${blocks[0]?.count ?? '?'})`,
    xLabel: 'tenants already provisioned',
    yLabel: 'ms',
    series: [
      { name: 'p50', points: blocks.map((b) => [b.existingTenants, b.p50]) },
      { name: 'p90', points: blocks.map((b) => [b.existingTenants, b.p90]) },
      { name: 'max', points: blocks.map((b) => [b.existingTenants, b.max]) },
    ],
  });
  const size = /width="(\d+)" height="(\d+)"/.exec(top);
  const [width, height] = [Number(size?.[1] ?? 800), Number(size?.[2] ?? 480)];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${2 * height}" viewBox="0 0 ${width} ${2 * height}">`,
    top.replace('<svg ', '<svg x="0" y="0" '),
    bottom.replace('<svg ', `<svg x="0" y="${height}" `),
    '</svg>',
  ].join('\n');
}
