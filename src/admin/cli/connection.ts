// Where the admin API is and how to authenticate: flags first, then environment, then the
// token file the shard writes when it generates its own token.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OptionValues } from './commands/command.ts';
import { CliFailure, UsageError } from './errors.ts';
import { stringOption } from './option-values.ts';

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:8009';

export interface AdminConnection {
  /** Base URL without a trailing slash; API paths are appended to it. */
  adminUrl: string;
  token: string;
}

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseAdminUrl(raw: string, fromFlag: boolean): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    const message = `${fromFlag ? '--admin-url' : 'ADMIN_URL'} must be an http(s) URL such as ${DEFAULT_ADMIN_URL}, got "${raw}"`;
    throw fromFlag ? new UsageError(message) : new CliFailure(message);
  }
  // Keep a path prefix (admin API behind a reverse proxy), minus trailing slashes.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function tokenFilePath(env: Env): string {
  return join(resolve(nonEmpty(env.DATA_DIR) ?? './data'), 'admin-token');
}

function readTokenFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliFailure(`cannot read the admin token from ${file}: ${(error as Error).message}`);
  }
  return nonEmpty(text);
}

export function resolveConnection(values: OptionValues, env: Env): AdminConnection {
  const flagUrl = stringOption(values, 'admin-url');
  const adminUrl = flagUrl !== undefined ? parseAdminUrl(flagUrl, true) : parseAdminUrl(nonEmpty(env.ADMIN_URL) ?? DEFAULT_ADMIN_URL, false);
  const file = tokenFilePath(env);
  const token = nonEmpty(stringOption(values, 'token')) ?? nonEmpty(env.ADMIN_TOKEN) ?? readTokenFile(file);
  if (token === undefined) {
    throw new CliFailure(`no admin token: pass --token, set ADMIN_TOKEN, or run where ${file} exists (set DATA_DIR to the shard's data directory)`);
  }
  return { adminUrl, token };
}
