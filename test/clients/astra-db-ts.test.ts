import { DataAPIClient, FetchNative, type Fetcher, type FetcherRequestInfo } from '@datastax/astra-db-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';

/**
 * AstraDbAdmin ignores a custom endpoint URL and always calls the production DevOps API, so this
 * fetcher sends that base to Orrery. The README gives users the same recipe.
 */
function orreryFetcher(base: string): Fetcher {
  const native = new FetchNative();
  return {
    fetch: (info: FetcherRequestInfo) =>
      native.fetch({ ...info, url: info.url.replace('https://api.astra.datastax.com/v2', `${base}/v2`) }),
    close: () => native.close(),
  };
}

describe('@datastax/astra-db-ts against Orrery, unchanged', () => {
  let server: TestServer;
  let client: DataAPIClient;
  beforeAll(async () => {
    // The client waits for statuses by polling, so the server runs its lifecycle on its own.
    server = await startServer({ backgroundLifecycle: true });
    client = new DataAPIClient(server.adminToken, {
      httpOptions: { client: 'custom', fetcher: orreryFetcher(server.url) },
      adminOptions: { endpointUrl: `${server.url}/v2`, astraEnv: 'prod' },
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('drives AstraAdmin and AstraDbAdmin through the database and keyspace lifecycle', async () => {
    const admin = client.admin();
    const regions = await admin.findAvailableRegions();
    expect(regions.some((r) => r.name === 'us-east1' && r.cloudProvider === 'GCP')).toBe(true);

    const dbAdmin = await admin.createDatabase(
      { name: 'from_astra_db_ts', cloudProvider: 'GCP', region: 'us-east1' },
      { pollInterval: 50 },
    );
    const id = dbAdmin.id;
    const info = await admin.dbInfo(id);
    expect(info.status).toBe('ACTIVE');
    expect(info.name).toBe('from_astra_db_ts');

    const quick = await admin.createDatabase(
      { name: 'no_wait', cloudProvider: 'AWS', region: 'us-east-2' },
      { blocking: false },
    );
    // The server's own poll may already have moved it on.
    expect(['PENDING', 'INITIALIZING', 'ACTIVE']).toContain((await admin.dbInfo(quick.id)).status);

    const listed = await admin.listDatabases();
    expect(listed.map((d) => d.id)).toEqual(expect.arrayContaining([id, quick.id]));

    await dbAdmin.createKeyspace('analytics', { pollInterval: 50 });
    expect(await dbAdmin.listKeyspaces()).toEqual(['default_keyspace', 'analytics']);
    await dbAdmin.dropKeyspace('analytics', { pollInterval: 50 });
    expect(await dbAdmin.listKeyspaces()).toEqual(['default_keyspace']);

    await dbAdmin.drop({ pollInterval: 50 });
    expect((await admin.dbInfo(id)).status).toBe('TERMINATED');
    await admin.dropDatabase(quick.id, { pollInterval: 50 });
  });
});
