import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATA_GATEWAY_ID, BUILTIN_ROLES } from '../src/iam/builtin-roles.js';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { line, load, start } from './load.js';

async function post(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response;
}

/** POST /v2/data-gateway/authorize with an auth token and with an AstraCS token, on the embedded store. */
export async function benchGatewayCheck(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-gateway-'));
  const admin = formatToken(generateClientId(), secretDigest(generateSecret()));
  const server = await start(
    'src/cli.ts',
    {
      ORRERY_DATA_DIR: dataDir,
      ORRERY_BOOTSTRAP_TOKEN: admin,
      ORRERY_LOG_LEVEL: 'warn',
      ORRERY_PROVISIONING_SPEED: 'immediate',
    },
    ['serve', '--port', '0'],
  );
  try {
    const created = await post(
      `${server.url}/v2/databases`,
      { name: 'bench', cloudProvider: 'GCP', region: 'us-east1' },
      admin,
    );
    const databaseId = created.headers.get('location')!;
    for (let i = 0; i < 100; i++) {
      const database = await (
        await fetch(`${server.url}/v2/databases/${databaseId}`, { headers: { authorization: `Bearer ${admin}` } })
      ).json();
      if (database.status === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const gateway = (await (await post(`${server.url}/v2/tokens`, { roles: [DATA_GATEWAY_ID] }, admin)).json())
      .token as string;
    const app = await (
      await post(`${server.url}/v2/tokens`, { roles: [BUILTIN_ROLES.find((r) => r.name === 'R/W User')!.id] }, admin)
    ).json();
    const authToken = (
      await (
        await post(`${server.url}/data/${databaseId}-us-east1/api/rest/v1/auth`, {
          username: app.clientId,
          password: app.secret,
        })
      ).json()
    ).authToken;

    const headers = { authorization: `Bearer ${gateway}` };
    const check = (credential: string) => ({
      method: 'POST' as const,
      body: {
        credential,
        address: '127.0.0.1',
        databaseId,
        keyspace: 'app',
        table: 'users',
        action: 'db-table-select',
      },
    });
    console.log(
      line(
        'gateway check, auth token',
        await load(`${server.url}/v2/data-gateway/authorize`, headers, check(authToken)),
      ),
    );
    console.log(
      line(
        'gateway check, AstraCS token',
        await load(`${server.url}/v2/data-gateway/authorize`, headers, check(app.token)),
      ),
    );
  } finally {
    server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
