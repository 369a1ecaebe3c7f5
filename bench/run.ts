import os from 'node:os';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { benchDataApi } from './data-api.js';
import { benchDataApiTables } from './data-api-tables.js';
import { benchGatewayCheck } from './gateway.js';
import { CONNECTIONS, DURATION_S, WARMUP_S, line, load, start, type Figures } from './load.js';
import { startPostgres } from './postgres.js';
import { benchDatabaseScale } from './scale.js';
import { benchScaleOut } from './scale-out.js';
import { benchStores, ratio } from './stores.js';

/** Rounds alternate between the servers; the median round is reported, as single runs vary by about 15% here. */
const ROUNDS = 3;

function median(rounds: Figures[]): Figures {
  return [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!;
}

const postgres = await startPostgres();
try {
  const stores = benchStores(postgres);
  const hello = await start('bench/hello-server.ts');
  const token = formatToken(generateClientId(), secretDigest(generateSecret()));
  const servers = [];
  for (const store of stores) {
    const fresh = await store.fresh();
    const server = await start(
      'src/cli.ts',
      { ...fresh.env, ORRERY_BOOTSTRAP_TOKEN: token, ORRERY_LOG_LEVEL: 'warn' },
      ['serve', '--port', '0'],
    );
    servers.push({ store, fresh, server, rounds: [] as Figures[] });
  }
  const baselineRounds: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselineRounds.push(await load(`${hello.url}/hello`));
    for (const s of servers)
      s.rounds.push(await load(`${s.server.url}/v2/currentOrg`, { authorization: `Bearer ${token}` }));
  }
  hello.stop();
  const baseline = median(baselineRounds);
  console.log(
    `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s rounds after ${WARMUP_S} s warm-up (median of ${ROUNDS} for the first lines), Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(line('Fastify hello world (baseline)', baseline));
  for (const s of servers) {
    const figures = median(s.rounds);
    console.log(line(`GET /v2/currentOrg (${s.store.name})`, figures), ratio(figures.rps, baseline));
    await s.server.stopped();
    s.fresh.cleanup();
  }

  for (const store of stores) await benchGatewayCheck(store, baseline);
  for (const store of stores) await benchDatabaseScale(store, baseline);
  for (const store of stores) await benchDataApi(store, baseline);
  await benchDataApiTables();
  await benchScaleOut(postgres);
} finally {
  await postgres.stop();
}
