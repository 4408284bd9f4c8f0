// The admin API never runs without a token: ADMIN_TOKEN, or one generated once into
// DATA_DIR/admin-token (mode 0600) and reused on later starts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function resolveAdminToken(configured: string | undefined, dataDir: string): { token: string; file?: string; generated: boolean } {
  if (configured) return { token: configured, generated: false };
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file, generated: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return { token, file, generated: true };
}
