import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONNECTIONS = 20;
const DURATION_S = 10;
const WARMUP_S = 2;
/** Rounds alternate between the servers; the median round is reported, as single runs vary by ±15% here. */
const ROUNDS = 3;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Starts a server script as its own process, so the load generator does not share its event loop. */
async function start(script: string, env: Record<string, string> = {}, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Figures> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, headers });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

function line(label: string, f: Figures): string {
  return `${label.padEnd(34)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   errors ${f.errors}`;
}

function median(rounds: Figures[]): Figures {
  return [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!;
}

const hello = await start('bench/hello-server.ts');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-bench-'));
const token = formatToken(generateClientId(), secretDigest(generateSecret()));
const orrery = await start('src/cli.ts', { ORRERY_DATA_DIR: dataDir, ORRERY_BOOTSTRAP_TOKEN: token, ORRERY_LOG_LEVEL: 'warn' }, ['serve', '--port', '0']);
const baselineRounds: Figures[] = [];
const currentOrgRounds: Figures[] = [];
for (let round = 0; round < ROUNDS; round++) {
  baselineRounds.push(await load(`${hello.url}/hello`));
  currentOrgRounds.push(await load(`${orrery.url}/v2/currentOrg`, { authorization: `Bearer ${token}` }));
}
hello.stop();
orrery.stop();
rmSync(dataDir, { recursive: true, force: true });
const baseline = median(baselineRounds);
const currentOrg = median(currentOrgRounds);

console.log(`autocannon, ${CONNECTIONS} connections, median of ${ROUNDS} rounds of ${DURATION_S} s after ${WARMUP_S} s warm-up, Node ${process.version}, ${os.cpus().length} cores`);
console.log(line('Fastify hello world (baseline)', baseline));
console.log(line('GET /v2/currentOrg (SQLite)', currentOrg));
console.log(`ratio currentOrg / hello world: ${(currentOrg.rps / baseline.rps).toFixed(2)}`);
