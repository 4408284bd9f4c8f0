// Prometheus metrics of one shard: process metrics, requests by tenant/route/status,
// loaded tenants and the pg pool. One registry per shard instance (tests run several).
import client from 'prom-client';
import type pg from 'pg';

type RequestLabels = { tenant: string; method: string; route: string; status: string };

export interface ShardMetrics {
  registry: client.Registry;
  requestDuration: client.Histogram<'method' | 'route'>;
  /** Counts a request in tessera_http_requests_total. */
  countRequest(labels: RequestLabels): void;
  /** Drops a tenant's request series (when it unloads), so the series of a shard track its
   * loaded tenants instead of every tenant it ever served. */
  forgetTenant(tenant: string): void;
}

export function createMetrics(sources: { loadedTenants: () => number; pools: readonly pg.Pool[] }): ShardMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'tessera_http_requests_total',
    help: 'HTTP requests by tenant, method, route pattern and status',
    labelNames: ['tenant', 'method', 'route', 'status'] as const,
    registers: [registry],
  });
  // No tenant label on the histogram: buckets × thousands of tenants would explode cardinality.
  const requestDuration = new client.Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
    registers: [registry],
  });
  new client.Gauge({
    name: 'tessera_loaded_tenants',
    help: 'Tenants currently loaded in this shard',
    registers: [registry],
    collect() {
      this.set(sources.loadedTenants());
    },
  });
  new client.Gauge({
    name: 'tessera_pg_pool_connections',
    help: 'PostgreSQL pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const sum = (count: (pool: pg.Pool) => number): number => sources.pools.reduce((total, pool) => total + count(pool), 0);
      this.set({ state: 'total' }, sum((pool) => pool.totalCount));
      this.set({ state: 'idle' }, sum((pool) => pool.idleCount));
      this.set({ state: 'waiting' }, sum((pool) => pool.waitingCount));
    },
  });
  // tenant → the label sets it has used, to remove them when the tenant unloads.
  const seriesByTenant = new Map<string, Map<string, RequestLabels>>();
  return {
    registry,
    requestDuration,
    countRequest(labels) {
      requests.inc(labels);
      let series = seriesByTenant.get(labels.tenant);
      if (!series) seriesByTenant.set(labels.tenant, (series = new Map()));
      const key = `${labels.method} ${labels.route} ${labels.status}`;
      if (!series.has(key)) series.set(key, labels);
    },
    forgetTenant(tenant) {
      const series = seriesByTenant.get(tenant);
      if (!series) return;
      for (const labels of series.values()) requests.remove(labels);
      seriesByTenant.delete(tenant);
    },
  };
}
