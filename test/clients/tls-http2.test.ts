import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import path from 'node:path';
import { DataAPIClient } from '@datastax/astra-db-ts';
import {
  Agent,
  buildConnector,
  fetch as undiciFetch,
  getGlobalDispatcher,
  setGlobalDispatcher,
  type Dispatcher,
} from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';

const API_HOST = 'api.astra.datastax.com';
const APPS_DOMAIN = 'apps.astra.datastax.com';

/**
 * An HTTP layer that trusts only Orrery's local CA and sends Astra's host names to 127.0.0.1 at
 * Orrery's port, with HTTP/2 on: the name resolution and trust a user sets up, done in the
 * dispatcher's own options, without touching the client or /etc/hosts.
 */
function orreryAgent(ca: string, port: number): Agent {
  const isOrrery = (host: string) => host === API_HOST || host.endsWith(`.${APPS_DOMAIN}`);
  const lookup: LookupFunction = (hostname, options, callback) => {
    if (!isOrrery(hostname))
      return callback(
        Object.assign(new Error(`${hostname} is not resolved in this test`), { code: 'ENOTFOUND' }),
        '',
        4,
      );
    if (options.all)
      return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    callback(null, '127.0.0.1', 4);
  };
  const connector = buildConnector({ ca, allowH2: true, lookup });
  return new Agent({
    allowH2: true,
    connect: (options, callback) =>
      connector({ ...options, port: isOrrery(options.hostname) ? String(port) : options.port }, callback),
  });
}

describe('astra-db-ts over HTTPS and HTTP/2, with only the local CA trusted', () => {
  let server: TestServer;
  let agent: Agent;
  let previous: Dispatcher;
  const versions: string[] = [];

  beforeAll(async () => {
    server = await startServer({ tls: 'local-ca', backgroundLifecycle: true });
    const ca = readFileSync(path.join(server.store.dataDir, 'tls', 'ca.pem'), 'utf8');
    agent = orreryAgent(ca, Number(new URL(server.url).port));
    server.app.server.server.on('request', (request: { httpVersion: string }) => versions.push(request.httpVersion));
    previous = getGlobalDispatcher();
    // The client's own default fetch goes through the global dispatcher: nothing in the client changes.
    setGlobalDispatcher(agent);
  });
  afterAll(async () => {
    setGlobalDispatcher(previous);
    await agent.close();
    await server.close();
  });

  it('serves https:// and HTTP/2 and still answers HTTP/1.1', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const http1 = new Agent({
      connect: { ca: readFileSync(path.join(server.store.dataDir, 'tls', 'ca.pem'), 'utf8') },
    });
    const response = await undiciFetch(`${server.url}/health`, { dispatcher: http1 });
    expect(response.status).toBe(200);
    await http1.close();
    expect(versions.at(-1)).toBe('1.1');
  });

  it('drives the DevOps API at https://api.astra.datastax.com/v2 and the database at https://<id>-<region>.apps.astra.datastax.com', async () => {
    versions.length = 0;
    const client = new DataAPIClient(server.adminToken);
    const admin = client.admin();
    const dbAdmin = await admin.createDatabase(
      { name: 'over_tls', cloudProvider: 'GCP', region: 'us-east1' },
      { pollInterval: 50 },
    );
    expect((await admin.dbInfo(dbAdmin.id)).status).toBe('ACTIVE');
    await dbAdmin.createKeyspace('secure', { pollInterval: 50 });
    expect(await dbAdmin.listKeyspaces()).toEqual(['default_keyspace', 'secure']);

    // The data side: the client's endpoint for the database, and its DevOps calls made through it.
    const db = client.db(`https://${dbAdmin.id}-us-east1.${APPS_DOMAIN}`);
    expect(db.id).toBe(dbAdmin.id);
    expect((await db.info()).name).toBe('over_tls');

    // The per-database auth endpoint, on the database's own host name.
    const auth = await fetch(`https://${dbAdmin.id}-us-east1.${APPS_DOMAIN}/api/rest/v1/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'token', password: server.adminToken }),
    });
    expect(auth.status).toBe(201);
    expect((await auth.json()).authToken).toMatch(/^[0-9a-f-]{36}$/);

    await dbAdmin.drop({ pollInterval: 50 });
    await client.close();
    expect(versions.length).toBeGreaterThan(5);
    expect(new Set(versions)).toEqual(new Set(['2.0']));
  });
});
