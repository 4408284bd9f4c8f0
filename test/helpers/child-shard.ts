// Runs `node src/main.ts` as a real process, as `npm start` does, and waits until it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ChildShard {
  process: ChildProcess;
  url: string;
  adminUrl: string;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function runMain(env: Record<string, string>): { process: ChildProcess; exited: Promise<number | null>; output(): string } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, exited, output: () => output };
}

export async function startChildShard(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildShard> {
  const run = runMain({ PORT: '0', ADMIN_PORT: '0', HOST: '127.0.0.1', ...env });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = run
      .output()
      .split('\n')
      .find((l) => l.includes('"shard serving"'));
    if (line) {
      const parsed = JSON.parse(line) as { url: string; admin: string };
      return {
        ...run,
        url: parsed.url,
        adminUrl: parsed.admin,
        async stop() {
          run.process.kill('SIGTERM');
          return run.exited;
        },
      };
    }
    const code = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('waiting'), 100))]);
    if (code !== 'waiting') throw new Error(`shard exited with ${String(code)} before serving:\n${run.output()}`);
    if (Date.now() > deadline) {
      run.process.kill('SIGKILL');
      throw new Error(`shard did not start within ${timeoutMs} ms:\n${run.output()}`);
    }
  }
}
