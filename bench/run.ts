import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, DURATION_S, WARMUP_S, line, load, start, type Figures } from './load.js';
import { benchDataApi } from './data-api.js';
import { benchDataApiTables } from './data-api-tables.js';
import { benchGatewayCheck } from './gateway.js';
import { benchDatabaseScale } from './scale.js';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';

/** Rounds alternate between the servers; the median round is reported, as single runs vary by about 15% here. */
const ROUNDS = 5;

function median(rounds: Figures[]): Figures {
  return [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!;
}

const hello = await start('bench/hello-server.ts');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-bench-'));
const token = formatToken(generateClientId(), secretDigest(generateSecret()));
const orrery = await start(
  'src/cli.ts',
  { ORRERY_DATA_DIR: dataDir, ORRERY_BOOTSTRAP_TOKEN: token, ORRERY_LOG_LEVEL: 'warn' },
  ['serve', '--port', '0'],
);
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

console.log(
  `autocannon, ${CONNECTIONS} connections, median of ${ROUNDS} rounds of ${DURATION_S} s after ${WARMUP_S} s warm-up, Node ${process.version}, ${os.cpus().length} cores`,
);
console.log(line('Fastify hello world (baseline)', baseline));
console.log(line('GET /v2/currentOrg (SQLite)', currentOrg));
console.log(`ratio currentOrg / hello world: ${(currentOrg.rps / baseline.rps).toFixed(2)}`);

await benchGatewayCheck();
await benchDatabaseScale();
await benchDataApi(baseline);
await benchDataApiTables();
