import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { activeDatabase, gatewayCheck, gatewayCredentials } from './fixtures.js';
import { line, load, start, type Figures } from './load.js';
import { ratio, type BenchStore } from './stores.js';

/** POST /v2/data-gateway/authorize with an auth token and with an AstraCS token. */
export async function benchGatewayCheck(store: BenchStore, baseline: Figures): Promise<void> {
  const fresh = await store.fresh();
  const admin = formatToken(generateClientId(), secretDigest(generateSecret()));
  const server = await start(
    'src/cli.ts',
    { ...fresh.env, ORRERY_BOOTSTRAP_TOKEN: admin, ORRERY_LOG_LEVEL: 'warn', ORRERY_PROVISIONING_SPEED: 'immediate' },
    ['serve', '--port', '0'],
  );
  try {
    const databaseId = await activeDatabase(server.url, admin);
    const { gateway, appToken, authToken } = await gatewayCredentials(server.url, admin, databaseId);
    const headers = { authorization: `Bearer ${gateway}` };
    const url = `${server.url}/v2/data-gateway/authorize`;
    for (const [label, credential] of [
      ['auth token', authToken],
      ['AstraCS token', appToken],
    ] as const) {
      const figures = await load(url, headers, gatewayCheck(credential, databaseId));
      console.log(line(`gateway check, ${label} (${store.name})`, figures), ratio(figures.rps, baseline));
    }
  } finally {
    await server.stopped();
    fresh.cleanup();
  }
}
