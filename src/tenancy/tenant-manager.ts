// Resolves a request's Host to its tenant and keeps loaded tenants in memory: lazily loaded
// on first request, unloaded when idle, bounded in number (least recently used goes first).
// An idle tenant costs nothing here but its control row in PostgreSQL.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Lane } from '../db/database.ts';
import type { ControlDatabase, TenantRow } from '../db/schema-types.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { MatrixError, databaseUnavailable } from '../errors/matrix-error.ts';
import { findTenantByHosts } from '../storage/control/tenants.ts';
import type { TenantContext } from './context.ts';
import { hostCandidates } from './host.ts';
import { loadTenantContext } from './load-tenant.ts';

interface Entry {
  row: TenantRow;
  hosts: string[];
  context?: TenantContext;
  loading?: Promise<TenantContext>;
  lastUsed: number;
  inFlight: number;
}

export interface TenantManagerOptions {
  root: Kysely<ControlDatabase>;
  /** The pool lane a tenant schema's queries use; `root` without a pipeline when absent. */
  laneFor?: (schema: string) => Lane;
  log: Logger;
  idleMs: number;
  maxLoaded: number;
  /** How long an unknown host is remembered as unknown (spares the database from junk Host headers). */
  unknownHostTtlMs?: number;
  now?: () => number;
  /** Called with the server name of each tenant that is unloaded. */
  onUnload?: (serverName: string) => void;
}

export interface AcquiredTenant {
  context: TenantContext;
  /** Call once the request is done; idempotent. */
  release(): void;
}

const MAX_UNKNOWN_HOSTS = 10_000;

export class TenantManager {
  readonly #root: Kysely<ControlDatabase>;
  readonly #laneFor: ((schema: string) => Lane) | undefined;
  readonly #log: Logger;
  readonly #idleMs: number;
  readonly #maxLoaded: number;
  readonly #unknownTtl: number;
  readonly #now: () => number;
  readonly #onUnload: (serverName: string) => void;
  /** Tenant id → entry, in least-recently-used order (Map keeps insertion order). */
  readonly #entries = new Map<string, Entry>();
  /** Host key → tenant id for hosts seen so far. */
  readonly #hosts = new Map<string, string>();
  /** Host key → time until which it is known not to be ours. */
  readonly #unknown = new Map<string, number>();
  /** Bumped on every invalidation, so a load that raced with one is not cached. */
  #generation = 0;

  constructor(options: TenantManagerOptions) {
    this.#root = options.root;
    this.#laneFor = options.laneFor;
    this.#log = options.log;
    this.#idleMs = options.idleMs;
    this.#maxLoaded = options.maxLoaded;
    this.#unknownTtl = options.unknownHostTtlMs ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#onUnload = options.onUnload ?? (() => {});
  }

  /** Number of tenants with a loaded context. */
  get loadedCount(): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.context) n++;
    return n;
  }

  /** Resolves and loads the tenant for a Host header. Throws MatrixError: 400 malformed host,
   * 404 unknown host, 403 suspended tenant, 503 database unreachable. */
  async acquire(hostHeader: string | undefined): Promise<AcquiredTenant> {
    const candidates = hostCandidates(hostHeader);
    if (!candidates) {
      throw new MatrixError('M_NOT_FOUND', `No Matrix server is hosted at ${JSON.stringify(hostHeader ?? '')}`, { status: 400 });
    }
    const entry = await this.#entryFor(candidates, hostHeader as string);
    if (entry.row.state === 'suspended') {
      throw new MatrixError(
        'M_FORBIDDEN',
        `The Matrix server ${entry.row.server_name} is suspended` + (entry.row.suspended_reason ? `: ${entry.row.suspended_reason}` : ''),
      );
    }
    if (entry.row.state !== 'active') {
      throw new MatrixError('M_NOT_FOUND', `The Matrix server ${entry.row.server_name} is not available yet`, { status: 404 });
    }
    const context = entry.context ?? (await this.#load(entry));
    entry.inFlight++;
    this.#touch(entry);
    let released = false;
    return {
      context,
      release: () => {
        if (released) return;
        released = true;
        entry.inFlight--;
        entry.lastUsed = this.#now();
      },
    };
  }

  async #entryFor(candidates: string[], hostHeader: string): Promise<Entry> {
    for (const candidate of candidates) {
      const id = this.#hosts.get(candidate);
      const entry = id === undefined ? undefined : this.#entries.get(id);
      if (entry) return entry;
    }
    const now = this.#now();
    if (candidates.every((c) => (this.#unknown.get(c) ?? 0) > now)) throw unknownHost(hostHeader);
    const generation = this.#generation;
    let found: Awaited<ReturnType<typeof findTenantByHosts>>;
    try {
      found = await findTenantByHosts(this.#root, candidates);
    } catch (error) {
      throw isDatabaseUnavailable(error) ? databaseUnavailable(error) : error;
    }
    if (!found) {
      if (generation === this.#generation) this.#rememberUnknown(candidates, now);
      throw unknownHost(hostHeader);
    }
    const existing = this.#entries.get(found.row.id);
    if (existing) {
      existing.hosts.push(found.host);
      this.#hosts.set(found.host, found.row.id);
      return existing;
    }
    const entry: Entry = { row: found.row, hosts: [found.host], lastUsed: now, inFlight: 0 };
    if (generation === this.#generation) {
      this.#entries.set(found.row.id, entry);
      this.#hosts.set(found.host, found.row.id);
      this.#enforceBound();
    }
    return entry;
  }

  #load(entry: Entry): Promise<TenantContext> {
    if (!entry.loading) {
      const generation = this.#generation;
      entry.loading = loadTenantContext(this.#root, entry.row, this.#log, this.#laneFor?.(entry.row.schema_name))
        .then((context) => {
          if (generation === this.#generation) entry.context = context;
          return context;
        })
        .catch((error: unknown) => {
          entry.loading = undefined;
          if (isDatabaseUnavailable(error)) throw databaseUnavailable(error);
          throw error;
        });
    }
    return entry.loading;
  }

  #touch(entry: Entry): void {
    entry.lastUsed = this.#now();
    // Move to the most-recently-used end.
    if (this.#entries.get(entry.row.id) === entry) {
      this.#entries.delete(entry.row.id);
      this.#entries.set(entry.row.id, entry);
    }
  }

  #rememberUnknown(candidates: string[], now: number): void {
    if (this.#unknown.size >= MAX_UNKNOWN_HOSTS) {
      for (const [host, until] of this.#unknown) if (until <= now) this.#unknown.delete(host);
      if (this.#unknown.size >= MAX_UNKNOWN_HOSTS) this.#unknown.clear();
    }
    for (const c of candidates) this.#unknown.set(c, now + this.#unknownTtl);
  }

  #enforceBound(): void {
    if (this.#entries.size <= this.#maxLoaded) return;
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxLoaded) break;
      if (entry.inFlight === 0) this.#drop(id);
    }
  }

  #drop(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    for (const host of entry.hosts) if (this.#hosts.get(host) === id) this.#hosts.delete(host);
    // Long-polls waiting on the dropped context re-check now instead of sleeping on a
    // notifier nobody will call again.
    entry.context?.notifier.wakeAll();
    this.#onUnload(entry.row.server_name);
  }

  /** Unloads tenants idle for longer than the idle time; returns how many. */
  sweepIdle(): number {
    const cutoff = this.#now() - this.#idleMs;
    let unloaded = 0;
    for (const [id, entry] of this.#entries) {
      if (entry.inFlight === 0 && entry.lastUsed < cutoff) {
        this.#drop(id);
        unloaded++;
      }
    }
    if (unloaded > 0) this.#log.debug({ unloaded, loaded: this.#entries.size }, 'unloaded idle tenants');
    return unloaded;
  }

  /** Forgets what is cached about one tenant (after it changed); the next request reloads it. */
  invalidate(tenantId: string): void {
    this.#generation++;
    this.#drop(tenantId);
    this.#unknown.clear();
  }

  /** Forgets everything (e.g. after missing change notifications). */
  invalidateAll(): void {
    this.#generation++;
    for (const entry of this.#entries.values()) {
      entry.context?.notifier.wakeAll();
      this.#onUnload(entry.row.server_name);
    }
    this.#entries.clear();
    this.#hosts.clear();
    this.#unknown.clear();
  }

  /** The loaded context of a tenant, if loaded (for tests and diagnostics). */
  loaded(tenantId: string): TenantContext | undefined {
    return this.#entries.get(tenantId)?.context;
  }
}

function unknownHost(hostHeader: string): MatrixError {
  return new MatrixError('M_NOT_FOUND', `No Matrix server is hosted at ${hostHeader}`);
}
