// The shard under test as a child process, and what the density benchmark reads about it
// from outside: /proc memory figures, the admin /metrics endpoint, optionally the V8
// inspector (forced GC, heap snapshots), and the PostgreSQL processes' memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export interface ShardProcessOptions {
  /** Repository root: the child runs `node src/main.ts` there. */
  cwd: string;
  env: Record<string, string>;
  /** Port for `--inspect`; undefined: no inspector. */
  inspectPort?: number;
}

export interface ShardProcess {
  child: ChildProcess;
  pid: number;
  /** pino lines at warn level or above, and anything on stderr that is not JSON (at most 50). */
  warnings: string[];
  /** Last lines of output, for error messages. */
  tail(): string;
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, then waits for the exit (SIGKILL after timeoutMs). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

export function spawnShard(options: ShardProcessOptions): ShardProcess {
  const args = [...(options.inspectPort ? [`--inspect=127.0.0.1:${options.inspectPort}`] : []), 'src/main.ts'];
  // process.execPath: the Node 24 this benchmark runs on (npm/npx put it first on PATH).
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn the shard process');
  const lines: string[] = [];
  const warnings: string[] = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const onLine = (line: string, stream: 'stdout' | 'stderr'): void => {
    if (line.trim() === '') return;
    lines.push(`[${stream}] ${line}`);
    if (lines.length > 200) lines.shift();
    let level: number;
    try {
      level = (JSON.parse(line) as { level?: number }).level ?? 0;
    } catch {
      // Not pino JSON: the inspector's banner is expected, anything else is worth showing.
      level = stream === 'stderr' && !/Debugger (listening|attached)|For help, see/.test(line) ? 50 : 0;
    }
    if (level >= 40 && warnings.length < 50) warnings.push(line.slice(0, 2000));
  };
  for (const [stream, name] of [
    [child.stdout, 'stdout'],
    [child.stderr, 'stderr'],
  ] as const) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) onLine(part, name);
    });
  }
  return {
    child,
    pid: child.pid,
    warnings,
    tail: () => lines.slice(-30).join('\n'),
    exited: () => exit,
    async stop(timeoutMs = 20_000) {
      if (exit) return { ...exit, killed: false };
      child.kill('SIGTERM');
      const timer = sleep(timeoutMs).then(() => undefined);
      const result = await Promise.race([exitPromise, timer]);
      if (result) return { ...result, killed: false };
      child.kill('SIGKILL');
      return { ...(await exitPromise), killed: true };
    },
  };
}

/** Resident set size figures of a process from /proc/<pid>/status, in bytes. */
export interface ProcMemory {
  vmRss: number;
  rssAnon: number;
  rssFile: number;
}

export function readProcMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { vmRss: kb('VmRSS'), rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
}

/** Proportional set size (shared pages split among their users) of a process, in bytes. */
function readPss(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = /^Pss:\s+(\d+) kB/m.exec(rollup);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // the process ended meanwhile
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4, after the parenthesised command (which may itself contain spaces or parentheses).
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Memory of the embedded PostgreSQL this process started: the postmaster (a direct child
 * named "postgres") and its backends, as total PSS, so shared buffers are counted once. */
export function postgresMemory(): { processes: number; pssBytes: number } {
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const parents = new Map(pids.map((pid) => [pid, parentOf(pid)]));
  const postmasters = new Set(pids.filter((pid) => parents.get(pid) === process.pid && commandOf(pid) === 'postgres'));
  const members = pids.filter((pid) => postmasters.has(pid) || postmasters.has(parents.get(pid) ?? -1));
  return { processes: members.length, pssBytes: members.reduce((sum, pid) => sum + readPss(pid), 0) };
}

/** Prometheus text format → sample name (with labels, as written) → value. */
export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

export async function scrapeMetrics(adminUrl: string, adminToken: string): Promise<Map<string, number>> {
  const response = await request(`${adminUrl}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET /metrics answered ${response.statusCode}: ${text.slice(0, 200)}`);
  return parsePrometheus(text);
}

export function metric(samples: Map<string, number>, name: string): number {
  const value = samples.get(name);
  if (value === undefined) throw new Error(`metric ${name} missing from /metrics`);
  return value;
}

/** A minimal Chrome DevTools Protocol client over the child's --inspect port. */
export class Inspector {
  readonly #socket: WebSocket;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #chunks: string[] | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        method?: string;
        params?: { chunk?: string };
        result?: unknown;
        error?: { message: string };
      };
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') {
        this.#chunks?.push(message.params?.chunk ?? '');
        return;
      }
      if (message.id === undefined) return;
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new Error(`inspector: ${message.error.message}`));
      else pending?.resolve(message.result);
    });
  }

  static async connect(port: number, timeoutMs = 15_000): Promise<Inspector> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await request(`http://127.0.0.1:${port}/json/list`);
        const targets = (await response.body.json()) as Array<{ webSocketDebuggerUrl?: string }>;
        const url = targets[0]?.webSocketDebuggerUrl;
        if (url) {
          const socket = new WebSocket(url);
          await new Promise<void>((resolve, reject) => {
            socket.addEventListener('open', () => resolve(), { once: true });
            socket.addEventListener('error', () => reject(new Error(`cannot open ${url}`)), { once: true });
          });
          return new Inspector(socket);
        }
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`no inspector target on port ${port}`);
      await sleep(200);
    }
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** A full garbage collection in the shard (HeapProfiler.collectGarbage). */
  async collectGarbage(): Promise<void> {
    await this.call('HeapProfiler.collectGarbage');
  }

  /** Writes a .heapsnapshot of the shard (it collects garbage first). */
  async writeHeapSnapshot(file: string): Promise<void> {
    this.#chunks = [];
    await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    writeFileSync(file, this.#chunks.join(''));
    this.#chunks = undefined;
  }

  close(): void {
    this.#socket.close();
  }
}
