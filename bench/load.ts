import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';

const ROOT = path.resolve(import.meta.dirname, '..');
export const CONNECTIONS = 20;
export const DURATION_S = 10;
export const WARMUP_S = 2;

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Starts a server script as its own process, so the load generator does not share its event loop. */
export async function start(
  script: string,
  env: Record<string, string> = {},
  args: string[] = [],
  nodeArgs: string[] = [],
) {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    stop: () => child.kill('SIGTERM'),
    /** Stops the server and waits until it has exited (and written what it writes on exit). */
    async stopped() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function load(
  url: string,
  headers: Record<string, string> = {},
  request: { method?: 'GET' | 'POST'; body?: unknown; connections?: number } = {},
): Promise<Figures> {
  const options = {
    url,
    connections: request.connections ?? CONNECTIONS,
    method: request.method ?? 'GET',
    headers: request.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  };
  await autocannon({ ...options, duration: WARMUP_S });
  const result = await autocannon({ ...options, duration: DURATION_S });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

export function line(label: string, f: Figures): string {
  return `${label.padEnd(34)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   errors ${f.errors}`;
}
