// The process's pg connections and root Kysely. Tenants use `laneFor(schema)`: its root
// `.withSchema(schema)` and its pipelined connection; nothing ever opens a pool per tenant:
// the connections are split into a few lanes (see openDatabase), each serving a share of
// the tenants.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { PIPELINE_LOCK_TIMEOUT_MS, Pipeline } from './pipeline.ts';
import { MAX_PREPARED_PER_CONNECTION, PreparingClient } from './preparing-client.ts';
import type { ControlDatabase } from './schema-types.ts';

// int8 (bigint) as string keeps ids exact; counts cast explicitly where numbers are needed.
export interface Database {
  /** The first lane's pool: control schema, health checks. */
  pool: pg.Pool;
  /** Every lane's pool (metrics). */
  pools: readonly pg.Pool[];
  root: Kysely<ControlDatabase>;
  /** The lane that serves a tenant schema. */
  laneFor(schema: string): Lane;
  close(): Promise<void>;
}

/** A share of the connections: a pool (any query, transactions), and the pipelined
 * connection (shared with other lanes) for the hottest single statements (pipeline.ts). */
export interface Lane {
  root: Kysely<ControlDatabase>;
  pipeline: Pipeline;
}

const CONNECTION = {
  connectionTimeoutMillis: 5_000,
  application_name: 'tessera',
  // Plan every prepared statement once: in the default mode PostgreSQL plans a statement's
  // first five executions afresh on each connection, and with many tenants (each tenant's
  // statements are distinct texts) most executions fell in that window — measured on the
  // send path: 6,316 plans for 7,964 calls, 0.47 ms of planning per event. Our statements
  // are key lookups whose plan does not depend on the values. (A pooler in between must
  // pass this startup option on, or the role must have the setting.)
  options: '-c plan_cache_mode=force_generic_plan',
} as const;

function openPool(url: string, max: number, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    ...CONNECTION,
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    // Parameterised queries become named prepared statements (see preparing-client.ts).
    Client: PreparingClient as unknown as typeof pg.Client,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener
  // that would crash the process. The next query opens a fresh connection.
  pool.on('error', (error) => log.warn({ code: (error as { code?: string }).code, error: error.message }, 'idle database connection lost'));
  return pool;
}

const MIN_LANE_CONNECTIONS = 4;

/** A stable lane for a schema name (FNV-1a). */
export function laneOf(schema: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < schema.length; i++) hash = Math.imul(hash ^ schema.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}

/**
 * The process's connections, split into `lanes` pools of max/lanes connections each; a
 * tenant's queries always use its schema's lane. Prepared statements are per connection and
 * per tenant (the schema is part of the text), so without lanes every connection prepared
 * and planned every active tenant's statements and, past 256 per connection, evicted them
 * again: with 100 tenants, planning the sync statement took more PostgreSQL time than
 * running it. A lane's connections see only its share of the tenants. The price: one
 * tenant uses at most its lane's connections at once (its writes are serialised by the
 * stream-position lock anyway).
 */
export function openDatabase(url: string, options: { max: number; lanes?: number; pipelines?: number; log: Logger }): Database {
  // At least MIN_LANE_CONNECTIONS per lane: a tenant's request may hold a transaction while
  // another of its queries runs.
  const lanes = Math.max(1, Math.min(options.lanes ?? 1, Math.floor(options.max / MIN_LANE_CONNECTIONS)));
  const perLane = Math.ceil(options.max / lanes);
  const pools = Array.from({ length: lanes }, () => openPool(url, perLane, options.log));
  // Fewer pipelined connections than lanes: each serves the tenants of several lanes, so it
  // keeps as many prepared statements as those lanes' pool connections would.
  const pipelineCount = Math.max(1, Math.min(options.pipelines ?? 1, lanes));
  const pipelineConfig = {
    ...CONNECTION,
    connectionString: url,
    options: `${CONNECTION.options} -c lock_timeout=${PIPELINE_LOCK_TIMEOUT_MS}`,
    maxPrepared: MAX_PREPARED_PER_CONNECTION * Math.ceil(lanes / pipelineCount),
  };
  const pipelines = Array.from({ length: pipelineCount }, () => new Pipeline(pipelineConfig, options.log));
  const laneList: Lane[] = pools.map((pool, i) => ({
    root: new Kysely<ControlDatabase>({ dialect: new PostgresDialect({ pool }) }),
    pipeline: pipelines[i % pipelineCount] as Pipeline,
  }));
  let closed = false;
  return {
    pool: pools[0] as pg.Pool,
    pools,
    root: (laneList[0] as Lane).root,
    laneFor: (schema) => laneList[laneOf(schema, lanes)] as Lane,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...laneList.map((lane) => lane.root.destroy()), ...pipelines.map((pipeline) => pipeline.close())]);
    },
  };
}

/** Waits until the database answers, retrying for up to timeoutMs; throws a clear error. */
export async function waitForDatabase(pool: pg.Pool, timeoutMs: number, describe: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 2_000, Math.max(0, deadline - Date.now()))));
  }
  const reason = lastError instanceof Error ? `${(lastError as { code?: string }).code ?? ''} ${lastError.message}`.trim() : String(lastError);
  throw new Error(`Cannot reach PostgreSQL at ${describe}: ${reason}`, { cause: lastError });
}

/** host:port/database of a connection URL, without credentials, for messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(invalid DATABASE_URL)';
  }
}
