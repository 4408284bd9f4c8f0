// Statements of the hottest paths (every /sync), written as SQL text once per tenant schema
// and then run by that text with their values: no query builder per call. Kysely builds,
// transforms (the schema plugin) and compiles a query on every execution — measured here at
// ~110 µs of CPU per query, twice what sending it to PostgreSQL and reading the answer costs.
// The text is the same for every call of a tenant, so the statement is prepared once per
// connection (preparing-client.ts), and it runs on the tenant's pipelined connection
// (pipeline.ts): the statements of one event-loop turn share one write. Values are bound as
// parameters ($1, $2, …; arrays with `= ANY($n::text[])`), never spliced into the text.
import type { StatementRunner } from './pipeline.ts';
import { BoundedMap } from '../tenancy/bounded-map.ts';

/** What a hot statement runs against: a tenant's pipelined connection and its schema name. */
export interface TenantDb {
  readonly pipeline: StatementRunner;
  readonly schema: string;
}

/** Schemas whose text each statement keeps (a shard's active tenants). */
const MAX_SCHEMAS = 2_000;

/** `table` names a table of the tenant's schema, quoted. */
export type SqlForSchema = (table: (name: string) => string) => string;

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** Names the tables of one tenant schema, quoted, in SQL text built once per schema. */
export function schemaTable(schema: string): (name: string) => string {
  return (name) => `${quote(schema)}.${quote(name)}`;
}

export class HotStatement<Row> {
  readonly #build: SqlForSchema;
  readonly #texts = new BoundedMap<string, string>(MAX_SCHEMAS);

  constructor(build: SqlForSchema) {
    this.#build = build;
  }

  /** The statement's text for a schema. */
  text(schema: string): string {
    let text = this.#texts.get(schema);
    if (text === undefined) {
      text = this.#build(schemaTable(schema));
      this.#texts.set(schema, text);
    }
    return text;
  }

  async run(tenant: TenantDb, values: readonly unknown[]): Promise<Row[]> {
    return tenant.pipeline.run<Row>(this.text(tenant.schema), values);
  }
}
