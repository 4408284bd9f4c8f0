// The operator CLI end to end: runCli against a real shard's admin API, plus the real bin.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, type CliIo } from '../../src/admin/cli/main.ts';
import { startTestShard, type TestShard } from '../helpers/shard.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

let shard: TestShard;
let emptyDataDir: string;
beforeAll(async () => {
  shard = await startTestShard();
  emptyDataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
});
afterAll(async () => {
  await shard?.close();
  if (emptyDataDir) rmSync(emptyDataDir, { recursive: true, force: true });
});

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stdin that claims to be a terminal and answers `line`. */
function terminalAnswering(line: string): NonNullable<CliIo['stdin']> {
  return Object.assign(Readable.from([line]), { isTTY: true });
}

async function tessera(args: string[], options: { env?: CliIo['env']; stdin?: CliIo['stdin'] } = {}): Promise<CliRun> {
  const run = { stdout: '', stderr: '' };
  const code = await runCli(args, {
    stdout: { write: (chunk: string) => (run.stdout += chunk) },
    stderr: { write: (chunk: string) => (run.stderr += chunk) },
    stdin: options.stdin,
    // DATA_DIR points at an empty directory so a stray ./data/admin-token never leaks in.
    env: options.env ?? { ADMIN_URL: shard.adminUrl, ADMIN_TOKEN: shard.adminToken, DATA_DIR: emptyDataDir },
  });
  return { code, ...run };
}

async function tesseraJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const run = await tessera([...args, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** Where each line's value starts: after "Label:", or the indent of a continuation line. */
function valueColumns(fields: string): number[] {
  return fields
    .trimEnd()
    .split('\n')
    .map((line) => (/^[A-Z][A-Za-z -]*:/.test(line) ? line.search(/(?<=:\s*)\S/) : line.search(/\S/)));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('tenant create', () => {
  test('creates a tenant with every setting and shows it', async () => {
    const run = await tessera([
      'tenant',
      'create',
      'alpha.example',
      '--client-hostname',
      'chat.alpha.example',
      '--client-hostname',
      'm.alpha.example',
      '--registration',
      'open',
      '--public-baseurl',
      'https://chat.alpha.example/',
      '--well-known-server',
      'matrix.alpha.example:443',
      '--well-known-client',
      '{"m.identity_server":{"base_url":"https://id.alpha.example"}}',
      '--default-room-version',
      '10',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created tenant alpha\.example\.\n\n/);
    expect(run.stdout).toMatch(/^Server name: +alpha\.example$/m);
    expect(run.stdout).toMatch(/^State: +active$/m);
    expect(run.stdout).toMatch(/^Registration: +open$/m);
    expect(run.stdout).toMatch(/^Client hostnames: +chat\.alpha\.example\n +m\.alpha\.example$/m);
    expect(run.stdout).toMatch(/^Public base URL: +https:\/\/chat\.alpha\.example$/m);
    expect(run.stdout).toMatch(/^Well-known server: +matrix\.alpha\.example:443$/m);
    expect(run.stdout).toContain('{"m.identity_server":{"base_url":"https://id.alpha.example"}}');
    expect(run.stdout).toMatch(/^Default room version: +10$/m);
    expect(run.stdout).toMatch(/^Verify keys: +ed25519:\w+ {2}\S+$/m);
  });

  test('--json prints the API view', async () => {
    const view = await tesseraJson(['tenant', 'create', 'beta.example']);
    expect(view).toMatchObject({ server_name: 'beta.example', state: 'active', registration: 'closed', client_hostnames: [] });
    expect(Object.keys(view.verify_keys as object)).toHaveLength(1);
  });

  test('server names with a port or an IPv6 literal reach the right tenant', async () => {
    for (const name of ['localhost:8448', '[::1]:8448']) {
      expect((await tesseraJson(['tenant', 'create', name])).server_name).toBe(name);
      expect((await tesseraJson(['tenant', 'show', name])).server_name).toBe(name);
    }
  });

  test('an invalid server name is refused by the API: exit 1', async () => {
    const run = await tessera(['tenant', 'create', 'not a name!']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tessera: M_INVALID_PARAM: server_name must be a valid server name/);
    expect(run.stdout).toBe('');
  });

  test('an existing name: exit 1 with the errcode', async () => {
    const run = await tessera(['tenant', 'create', 'alpha.example']);
    expect(run).toMatchObject({ code: 1, stderr: 'tessera: TESSERA_TENANT_EXISTS: A tenant named alpha.example already exists\n' });
  });

  test('--well-known-client that is not JSON is a usage error', async () => {
    const run = await tessera(['tenant', 'create', 'gamma.example', '--well-known-client', '{nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--well-known-client must be JSON');
    expect(run.stderr).toContain('Usage: tessera tenant create <server_name> [options]');
  });
});

describe('tenant list', () => {
  test('prints an aligned table', async () => {
    const run = await tessera(['tenant', 'list']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const header = lines[0] as string;
    expect(header).toMatch(/^SERVER NAME +STATE +REGISTRATION +CLIENT HOSTNAMES +SCHEMA +CREATED$/);
    const alpha = lines.find((line) => line.startsWith('alpha.example ')) as string;
    expect(alpha).toBeDefined();
    // Every column starts where its header does.
    for (const [column, value] of [
      ['STATE', 'active'],
      ['REGISTRATION', 'open'],
      ['CLIENT HOSTNAMES', 'chat.alpha.example,m.alpha.example'],
      ['CREATED', new Date().getUTCFullYear().toString()],
    ] as const) {
      expect(alpha.indexOf(value, header.indexOf(column))).toBe(header.indexOf(column));
    }
    expect(alpha).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(lines.find((line) => line.startsWith('beta.example '))).toMatch(/ closed +- +/);
  });

  test('--json prints the page as the API returns it', async () => {
    const page = await tesseraJson<{ tenants: Array<{ server_name: string }>; total: number }>(['tenant', 'list']);
    expect(page.total).toBe(page.tenants.length);
    expect(page.tenants.map((t) => t.server_name)).toEqual(expect.arrayContaining(['alpha.example', 'beta.example']));
  });

  test('--limit shows one page and how to get the next; --all follows next_batch', async () => {
    const { total } = await tesseraJson<{ total: number }>(['tenant', 'list']);
    const firstPage = await tessera(['tenant', 'list', '--limit', '1']);
    expect(firstPage.code).toBe(0);
    expect(firstPage.stdout).toMatch(new RegExp(`\\n\\n1 of ${total} shown; next page: --from \\d+ \\(or --all for every page\\)\\n$`));

    const all = await tesseraJson<{ tenants: unknown[]; total: number; next_batch?: string }>(['tenant', 'list', '--limit', '1', '--all']);
    expect(all.tenants).toHaveLength(total);
    expect(all.next_batch).toBeUndefined();
  });

  test('--state filters; an empty result says so', async () => {
    expect(await tessera(['tenant', 'list', '--state', 'provisioning'])).toMatchObject({ code: 0, stdout: 'No provisioning tenants.\n' });
    const run = await tessera(['tenant', 'list', '--state', 'dormant']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tessera: M_INVALID_PARAM: state must be one of/);
  });
});

describe('tenant show', () => {
  test('prints aligned key: value lines including the signing keys', async () => {
    const run = await tessera(['tenant', 'show', 'beta.example']);
    expect(run.code).toBe(0);
    for (const label of ['Server name', 'State', 'Registration', 'Client hostnames', 'Schema', 'Schema version', 'Created', 'Verify keys']) {
      expect(run.stdout).toMatch(new RegExp(`^${label}:`, 'm'));
    }
    expect(run.stdout).toMatch(/^Client hostnames: +-$/m);
    expect(run.stdout).toMatch(/^Old verify keys: +-$/m);
    expect(new Set(valueColumns(run.stdout)).size).toBe(1);
  });

  test('an unknown tenant: exit 1 with M_NOT_FOUND', async () => {
    const run = await tessera(['tenant', 'show', 'nobody.example']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'tessera: M_NOT_FOUND: No tenant named nobody.example\n' });
  });

  test('a name with path syntax stays one path segment and never reaches another tenant', async () => {
    for (const name of ['nobody.example/../beta.example', '../tenants/beta.example', 'beta.example?x=1']) {
      const run = await tessera(['tenant', 'update', name, '--registration', 'open']);
      expect(run).toMatchObject({ code: 1, stderr: `tessera: M_NOT_FOUND: No tenant named ${name}\n` });
    }
    expect((await tesseraJson(['tenant', 'show', 'beta.example'])).registration).toBe('closed');
  });
});

describe('tenant update', () => {
  test('changes only the given settings', async () => {
    const view = await tesseraJson(['tenant', 'update', 'beta.example', '--registration', 'token', '--client-hostname', 'chat.beta.example']);
    expect(view).toMatchObject({ registration: 'token', client_hostnames: ['chat.beta.example'], server_name: 'beta.example' });
    const run = await tessera(['tenant', 'update', 'beta.example', '--public-baseurl', 'https://chat.beta.example']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Updated tenant beta\.example\.\n/);
    expect(run.stdout).toMatch(/^Public base URL: +https:\/\/chat\.beta\.example$/m);
    expect(run.stdout).toMatch(/^Registration: +token$/m);
  });

  test('--reset returns settings to their defaults', async () => {
    const view = await tesseraJson([
      'tenant',
      'update',
      'alpha.example',
      '--reset',
      'well-known-client',
      '--reset',
      'client-hostnames',
      '--reset',
      'public-baseurl',
    ]);
    expect(view).toMatchObject({ well_known_client: {}, client_hostnames: [], public_baseurl: 'https://alpha.example' });
  });

  test('nothing to update, or a reset that contradicts a setting, is a usage error', async () => {
    const nothing = await tessera(['tenant', 'update', 'beta.example']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^tessera: nothing to update/);
    const conflict = await tessera(['tenant', 'update', 'beta.example', '--reset', 'public-baseurl', '--public-baseurl', 'https://x.example']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/^tessera: --reset public-baseurl conflicts with --public-baseurl/);
  });

  test('an invalid value is refused by the API: exit 1', async () => {
    const run = await tessera(['tenant', 'update', 'beta.example', '--registration', 'sometimes']);
    expect(run).toMatchObject({ code: 1, stderr: 'tessera: M_INVALID_PARAM: registration must be one of open, token, closed\n' });
  });
});

describe('tenant suspend and resume', () => {
  test('suspend with a reason, see it, resume', async () => {
    const suspended = await tessera(['tenant', 'suspend', 'beta.example', '--reason', 'unpaid invoice']);
    expect(suspended).toMatchObject({ code: 0, stderr: '' });
    expect(suspended.stdout).toContain('Suspended tenant beta.example');

    const shown = await tessera(['tenant', 'show', 'beta.example']);
    expect(shown.stdout).toMatch(/^State: +suspended$/m);
    expect(shown.stdout).toMatch(/^Suspended reason: +unpaid invoice$/m);
    expect(new Set(valueColumns(shown.stdout)).size).toBe(1);
    const listed = await tessera(['tenant', 'list', '--state', 'suspended']);
    expect(listed.stdout).toMatch(/^beta\.example +suspended /m);

    const resumed = await tesseraJson(['tenant', 'resume', 'beta.example']);
    expect(resumed).toMatchObject({ state: 'active', suspended_reason: null });
  });

  test('a reason with control characters is shown escaped, not interpreted', async () => {
    await tessera(['tenant', 'suspend', 'beta.example', '--reason', 'evil\u001b[31m\nsecond line']);
    const shown = await tessera(['tenant', 'show', 'beta.example']);
    expect(shown.stdout).toContain('Suspended reason:     evil\\u001b[31m\\u000asecond line\n');
    expect((await tessera(['tenant', 'resume', 'beta.example'])).stdout).toBe('Resumed tenant beta.example; it is active.\n');
  });
});

describe('tenant rotate-key', () => {
  test('the old key moves to old_verify_keys', async () => {
    const before = await tesseraJson<{ verify_keys: Record<string, unknown> }>(['tenant', 'show', 'beta.example']);
    const [oldKeyId] = Object.keys(before.verify_keys);
    const run = await tessera(['tenant', 'rotate-key', 'beta.example']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Rotated the signing key of beta\.example\.\n\nVerify keys: +ed25519:\w+ {2}\S+\n/);
    expect(run.stdout).toMatch(new RegExp(`^Old verify keys: +${oldKeyId} {2}\\S+ {2}\\(expired \\d{4}-`, 'm'));
    const after = await tesseraJson<{ verify_keys: Record<string, unknown>; old_verify_keys: Record<string, unknown> }>([
      'tenant',
      'rotate-key',
      'beta.example',
    ]);
    expect(Object.keys(after.old_verify_keys)).toContain(oldKeyId);
    expect(Object.keys(after.verify_keys)).toHaveLength(1);
    // Two old keys: the second sits on a continuation line, aligned with the first.
    const shown = await tessera(['tenant', 'show', 'beta.example']);
    expect(shown.stdout).toMatch(/^Old verify keys: +ed25519:\w+ .*\n +ed25519:\w+ /m);
    expect(new Set(valueColumns(shown.stdout)).size).toBe(1);
  });
});

describe('tenant delete', () => {
  test('--yes deletes without asking', async () => {
    await shard.createTenant({ server_name: 'doomed.example' });
    expect(await tessera(['tenant', 'delete', 'doomed.example', '--yes'])).toEqual({ code: 0, stdout: 'Deleted tenant doomed.example.\n', stderr: '' });
    expect((await tessera(['tenant', 'show', 'doomed.example'])).stderr).toMatch(/^tessera: M_NOT_FOUND:/);
  });

  test('without --yes and without a terminal it refuses and deletes nothing', async () => {
    await shard.createTenant({ server_name: 'kept.example' });
    for (const stdin of [undefined, Readable.from(['y\n'])]) {
      const run = await tessera(['tenant', 'delete', 'kept.example'], {
        stdin,
        env: { ADMIN_URL: shard.adminUrl, ADMIN_TOKEN: shard.adminToken },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'tessera: refusing to delete kept.example without confirmation: stdin is not a terminal; pass --yes to delete non-interactively\n',
      );
    }
    expect((await tessera(['tenant', 'show', 'kept.example'])).code).toBe(0);
  });

  test('at a terminal, "n" keeps the tenant and "y" deletes it', async () => {
    const declined = await tessera(['tenant', 'delete', 'kept.example'], { stdin: terminalAnswering('n\n') });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toMatch(/^Delete tenant kept\.example and ALL its data .*\[y\/N\] tessera: not confirmed; kept\.example was not deleted\n$/);
    expect((await tessera(['tenant', 'show', 'kept.example'])).code).toBe(0);

    const confirmed = await tessera(['tenant', 'delete', 'kept.example', '--json'], { stdin: terminalAnswering('yes\n') });
    expect(confirmed).toMatchObject({ code: 0, stdout: '{}\n' });
    expect((await tessera(['tenant', 'show', 'kept.example'])).code).toBe(1);
  });

  test('an unknown tenant fails before anyone is asked', async () => {
    const run = await tessera(['tenant', 'delete', 'ghost.example'], { stdin: terminalAnswering('y\n') });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'tessera: M_NOT_FOUND: No tenant named ghost.example\n' });
  });
});

describe('connection', () => {
  test('no token anywhere: exit 1 with a message saying where to put one', async () => {
    const run = await tessera(['tenant', 'list'], { env: { ADMIN_URL: shard.adminUrl, DATA_DIR: emptyDataDir } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `tessera: no admin token: pass --token, set ADMIN_TOKEN, or run where ${join(emptyDataDir, 'admin-token')} exists (set DATA_DIR to the shard's data directory)\n`,
    );
  });

  test('the token is read from $DATA_DIR/admin-token; --token and --admin-url override the environment', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-token-'));
    try {
      writeFileSync(join(dataDir, 'admin-token'), `${shard.adminToken}\n`);
      expect((await tessera(['tenant', 'list'], { env: { ADMIN_URL: shard.adminUrl, DATA_DIR: dataDir } })).code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const flags = await tessera(['--admin-url', shard.adminUrl, '--token', shard.adminToken, 'tenant', 'list'], {
      env: { ADMIN_URL: 'http://127.0.0.1:1', ADMIN_TOKEN: 'wrong-token-0123456789', DATA_DIR: emptyDataDir },
    });
    expect(flags.code).toBe(0);
  });

  test('a wrong token: exit 1 with M_UNKNOWN_TOKEN', async () => {
    const run = await tessera(['tenant', 'list'], { env: { ADMIN_URL: shard.adminUrl, ADMIN_TOKEN: 'wrong-token-0123456789' } });
    expect(run).toMatchObject({ code: 1, stderr: 'tessera: M_UNKNOWN_TOKEN: Unrecognised admin token\n' });
  });

  test('the API down: exit 1 naming the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await tessera(['tenant', 'list'], { env: { ADMIN_URL: url, ADMIN_TOKEN: shard.adminToken } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`tessera: cannot reach the admin API at ${url}: `);
    expect(run.stderr).toContain('ECONNREFUSED');
  });

  test('an admin URL that is not http(s)', async () => {
    expect((await tessera(['tenant', 'list', '--admin-url', 'ftp://x'])).code).toBe(2);
    const fromEnv = await tessera(['tenant', 'list'], { env: { ADMIN_URL: 'nonsense', ADMIN_TOKEN: 'x' } });
    expect(fromEnv).toMatchObject({ code: 1, stderr: expect.stringMatching(/^tessera: ADMIN_URL must be an http\(s\) URL/) });
  });
});

describe('usage', () => {
  test.each([
    [['tenant', 'frobnicate'], 'unknown tenant command "frobnicate"'],
    [['tenant', 'show'], 'missing <server_name>'],
    [['tenant', 'show', 'a.example', 'b.example'], 'unexpected argument "b.example"'],
    [['tenant', 'list', '--reason', 'x'], '--reason is not an option of "tenant list"'],
    [['tenant', 'list', '--bogus'], 'unknown option --bogus'],
    [['tenant'], 'missing tenant command'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [[], 'missing command'],
  ])('%j exits 2 with usage text', async (args, message) => {
    const run = await tessera(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^tessera: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n\nUsage: tessera `));
  });

  test('help prints usage to stdout: general, per command, and via --help', async () => {
    const general = await tessera(['help']);
    expect(general.code).toBe(0);
    for (const name of ['create', 'list', 'show', 'update', 'suspend', 'resume', 'delete', 'rotate-key']) {
      expect(general.stdout).toContain(`tenant ${name}`);
    }
    const perCommand = await tessera(['help', 'tenant', 'suspend']);
    expect(perCommand).toMatchObject({ code: 0, stderr: '' });
    expect(perCommand.stdout).toMatch(/^Usage: tessera tenant suspend <server_name> \[options\]\n/);
    expect(perCommand.stdout).toContain('--reason <text>');
    expect((await tessera(['tenant', 'delete', '--help'])).stdout).toContain('-y, --yes');
    expect((await tessera(['--help'])).stdout).toBe(general.stdout);
  });
});

describe('the bin', () => {
  const execFileAsync = promisify(execFile);
  const env = () => ({ ...process.env, ADMIN_URL: shard.adminUrl, ADMIN_TOKEN: shard.adminToken });

  test('bin/tessera.ts tenant list --json runs as a process', async () => {
    const { stdout } = await execFileAsync('npx', ['node', 'bin/tessera.ts', 'tenant', 'list', '--json'], { cwd: REPO_ROOT, env: env() });
    const page = JSON.parse(stdout) as { tenants: Array<{ server_name: string }>; total: number };
    expect(page.tenants.map((t) => t.server_name)).toContain('alpha.example');
  });

  test('its exit code is the CLI exit code', async () => {
    const failure = await execFileAsync('npx', ['node', 'bin/tessera.ts', 'tenant', 'show', 'nobody.example'], { cwd: REPO_ROOT, env: env() }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stderr: 'tessera: M_NOT_FOUND: No tenant named nobody.example\n' });
  });
});
