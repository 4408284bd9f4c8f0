// A pipelined PostgreSQL connection for the hottest single statements (a message's append,
// every sync's start), shared by several pool lanes (one per process by default: see
// database.ts). A pool connection carries one statement at a time:
// every statement is its own socket write, its own wake-up of a PostgreSQL backend, its own
// read. Measured on the send path: a quarter of the shard's main thread was the `writev` of
// pg queries. On the pipelined connection, the statements issued during one event-loop turn
// (by all its tenants) while earlier ones are still running leave in ONE write,
// each with its own Sync: each runs as its own implicit transaction, so one failing does
// not affect the others, and the answers come back in order (pg's pipeline mode matches
// them to their queries).
//
// Only autocommit statements that never wait long for a lock belong here: the connection
// runs them one after another, so one statement waiting blocks the others behind it.
// Transactions stay on the pool. `lock_timeout` bounds such a wait anyway (a statement that
// hits it fails with 55P03 and its caller may retry it on the pool).
import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { PreparingClient, type PreparingClientConfig } from './preparing-client.ts';

/** Runs one SQL statement with bound values; what hot paths need of a connection. */
export interface StatementRunner {
  run<Row>(text: string, values: readonly unknown[]): Promise<Row[]>;
}

/** How long a pipelined statement may wait for a row lock before failing (see above). */
export const PIPELINE_LOCK_TIMEOUT_MS = 500;

/** SQLSTATE of a statement that gave up waiting for a lock (lock_timeout). */
export const LOCK_NOT_AVAILABLE = '55P03';

type Stream = { cork(): void; uncork(): void };

export class Pipeline implements StatementRunner {
  readonly #config: PreparingClientConfig;
  readonly #log: Logger;
  #client: PreparingClient | undefined;
  #connecting: Promise<PreparingClient> | undefined;
  /** The stream corked for the current turn (uncorked at setImmediate). */
  #corked: Stream | undefined;
  #closed = false;
  /** Statements sent (or queued) and not yet answered. */
  #inFlight = 0;

  constructor(config: PreparingClientConfig, log: Logger) {
    this.#config = { ...config, pipeline: true } as PreparingClientConfig;
    this.#log = log;
  }

  async run<Row>(text: string, values: readonly unknown[]): Promise<Row[]> {
    const client = this.#client ?? (await this.#connect());
    // An idle connection sends at once (waiting buys nothing: a lone statement, such as the
    // next event of a busy room, would only be delayed); while answers are awaited, the
    // statements of this turn gather and leave together.
    if (this.#inFlight > 0) this.#corkForThisTurn(client);
    this.#inFlight++;
    try {
      const result = (await client.query(text, values as unknown[])) as pg.QueryResult;
      return result.rows as Row[];
    } catch (error) {
      // The connection failed (a socket error, or the server ended the session: FATAL), not
      // just this statement: the next statement must not meet the dead client.
      if (!(error instanceof pg.DatabaseError) || error.severity === 'FATAL' || error.severity === 'PANIC') this.#drop(client);
      throw error;
    } finally {
      this.#inFlight--;
    }
  }

  #drop(client: PreparingClient): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client ?? (await this.#connecting?.catch(() => undefined));
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Holds this turn's statements back so they leave in one write. */
  #corkForThisTurn(client: PreparingClient): void {
    if (this.#corked) return;
    const stream = (client as unknown as { connection: { stream: Stream } }).connection.stream;
    stream.cork();
    this.#corked = stream;
    setImmediate(() => {
      this.#corked = undefined;
      stream.uncork();
    });
  }

  #connect(): Promise<PreparingClient> {
    if (this.#closed) return Promise.reject(new Error('the database is closed'));
    this.#connecting ??= (async () => {
      const client = new PreparingClient(this.#config);
      // A lost connection fails the statements on it; the next statement opens a new one.
      client.on('error', (error) => {
        this.#log.warn({ code: (error as { code?: string }).code, error: error.message }, 'pipelined database connection lost');
        this.#drop(client);
      });
      client.on('end', () => this.#drop(client));
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      if (this.#closed) {
        await client.end().catch(() => undefined);
        throw new Error('the database is closed');
      }
      this.#client = client;
      return client;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }
}

/** Statements run through a Kysely instance's pool, one connection each (no lanes: tests
 * and tools that open a tenant without the shard's database). */
export function unpipelined(db: Kysely<unknown>): StatementRunner {
  return {
    async run<Row>(text: string, values: readonly unknown[]): Promise<Row[]> {
      return (await db.executeQuery<Row>(CompiledQuery.raw(text, [...values]))).rows;
    },
  };
}
