import { DataAPIClient } from '@datastax/astra-db-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorIds } from '../../src/kernel/errors.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { call, expectError, startServer, settle, type TestServer } from '../support/server.js';

const PLACEMENT = { cloudProvider: 'GCP', region: 'us-east1' };

describe('nothing accepted that Astra refuses', () => {
  let server: TestServer;
  let id: string;
  beforeAll(async () => {
    server = await startServer();
    const created = await call(server, 'POST', '/v2/databases', {
      token: server.adminToken,
      body: { name: 'target', ...PLACEMENT },
    });
    id = created.headers.get('location')!;
    await settle(server, server.adminToken, id, 'ACTIVE');
  });
  afterAll(() => server.close());

  const create = (body: unknown) => call(server, 'POST', '/v2/databases', { token: server.adminToken, body });

  it.each([
    [{ name: true, ...PLACEMENT }],
    [{ name: 'typed', cloudProvider: ['GCP'], region: 'us-east1' }],
    [{ name: 'typed', ...PLACEMENT, capacityUnits: '7' }],
    [{ name: 'typed', ...PLACEMENT, keyspace: false }],
    [{ name: 'typed', ...PLACEMENT, keyspace: null }],
    [{ name: 7, ...PLACEMENT }],
  ])('refuses a body field of the wrong JSON type instead of converting it: %o', async (body) => {
    expectError(await create(body), 400, ErrorIds.invalidRequest);
  });

  it('still parses query strings from text', async () => {
    for (const name of ['one', 'two']) expect((await create({ name, ...PLACEMENT })).status).toBe(201);
    const listed = await call(server, 'GET', '/v2/organizations/audit-events?limit=2', { token: server.adminToken });
    expect(listed.status).toBe(200);
    expect(listed.body.events).toHaveLength(2);
  });

  it.each(['2030-01-01', '2030', 'Jan 1 2030', '2030-01-01T00:00:00', 'tomorrow'])(
    'accepts only RFC 3339 for tokenExpiry, not %s',
    async (tokenExpiry) => {
      const response = await call(server, 'POST', '/v2/tokens', {
        token: server.adminToken,
        body: { roles: [ORGANIZATION_ADMINISTRATOR_ID], tokenExpiry },
      });
      expectError(response, 400, ErrorIds.invalidRequest);
    },
  );

  it('accepts an RFC 3339 tokenExpiry with an offset', async () => {
    const response = await call(server, 'POST', '/v2/tokens', {
      token: server.adminToken,
      body: { roles: [ORGANIZATION_ADMINISTRATOR_ID], tokenExpiry: '2030-01-01T02:00:00+02:00' },
    });
    expect(response.status).toBe(200);
  });

  it.each(['-leading-dash', 'trailing-dash-', ' padded', 'a'.repeat(51), 'semi;colon', 'slash/name', 'ünïcode'])(
    'refuses the database name %j',
    async (name) => {
      expectError(await create({ name, ...PLACEMENT }), 400, ErrorIds.invalidRequest);
    },
  );

  it.each(['a', 'Sales&Marketing+(2024)<prod>.v1,team@x', 'a'.repeat(50), 'x_1-2'])(
    'accepts the database name %j',
    async (name) => {
      const response = await create({ name, ...PLACEMENT });
      expect(response.status).toBe(201);
    },
  );

  it.each([
    'system',
    'SYSTEM_AUTH',
    'system_schema',
    'system_distributed',
    'system_traces',
    'system_views',
    'system_virtual_schema',
    'dse',
    'dse_insights',
    'solr_admin',
    'data_endpoint_auth',
  ])('refuses the reserved keyspace name %s', async (keyspace) => {
    expectError(await create({ name: 'reserved', ...PLACEMENT, keyspace }), 400, ErrorIds.invalidRequest);
    expectError(
      await call(server, 'POST', `/v2/databases/${id}/keyspaces/${keyspace}`, { token: server.adminToken }),
      400,
      ErrorIds.invalidRequest,
    );
  });

  it('accepts keyspace names that only look like reserved ones', async () => {
    const response = await create({ name: 'near', ...PLACEMENT, keyspace: 'systems_of_record' });
    expect(response.status).toBe(201);
  });

  it('lists every region with filter-by-org=disabled, including some not enabled, and refuses databases there', async () => {
    const enabled = await call(server, 'GET', '/v2/regions/serverless?filter-by-org=enabled', {
      token: server.adminToken,
    });
    const all = await call(server, 'GET', '/v2/regions/serverless?filter-by-org=disabled', {
      token: server.adminToken,
    });
    expect(all.body.length).toBeGreaterThan(enabled.body.length);
    expect(enabled.body.every((r: { enabled: boolean }) => r.enabled)).toBe(true);
    const notEnabled = all.body.filter((r: { enabled: boolean }) => !r.enabled);
    expect(notEnabled.map((r: { name: string }) => r.name)).toContain('me-west1');
    expectError(await create({ name: 'far', cloudProvider: 'GCP', region: 'me-west1' }), 400, ErrorIds.invalidRequest);

    const client = new DataAPIClient(server.adminToken, {
      adminOptions: { endpointUrl: `${server.url}/v2`, astraEnv: 'prod' },
    });
    try {
      const admin = client.admin();
      const onlyEnabled = await admin.findAvailableRegions();
      const every = await admin.findAvailableRegions({ onlyOrgEnabledRegions: false });
      expect(every.length).toBeGreaterThan(onlyEnabled.length);
      expect(every.some((r) => r.name === 'me-west1' && !r.enabled)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('gives the promised 415 for a text/plain body', async () => {
    const response = await call(server, 'POST', '/v2/tokens', {
      token: server.adminToken,
      rawBody: 'roles',
      headers: { 'content-type': 'text/plain' },
    });
    expectError(response, 415, ErrorIds.unsupportedMediaType);
  });

  it('answers headers that are too large with a 431 in the error model', async () => {
    const response = await call(server, 'GET', '/v2/currentOrg', {
      token: server.adminToken,
      headers: { 'x-filler': 'a'.repeat(20_000) },
    });
    expectError(response, 431, ErrorIds.invalidRequest);
  });

  it('refuses NUL characters in bodies, keys and query strings on every store alike', async () => {
    expectError(await create({ name: 'nul', ...PLACEMENT, keyspace: 'a\u0000b' }), 400, ErrorIds.invalidRequest);
    expectError(
      await call(server, 'POST', '/v2/tokens', {
        token: server.adminToken,
        body: { roles: [], description: 'x\u0000y' },
      }),
      400,
      ErrorIds.invalidRequest,
    );
    expectError(
      await call(server, 'POST', `/v2/databases/${id}/telemetry/metrics`, {
        token: server.adminToken,
        body: { 'dat\u0000adog': { api_key: 'k' } },
      }),
      400,
    );
    expectError(
      await call(server, 'GET', '/v2/organizations/audit-events?action=A%00B', { token: server.adminToken }),
      400,
      ErrorIds.invalidRequest,
    );
  });

  it('reads a leap second in ?since= instead of failing', async () => {
    const response = await call(server, 'GET', '/v2/organizations/audit-events?since=2016-12-31T23:59:60Z', {
      token: server.adminToken,
    });
    expect(response.status).toBe(200);
    expect(response.body.events.length).toBeGreaterThan(0);
    const after = await call(server, 'GET', '/v2/organizations/audit-events?until=2016-12-31T23:59:60Z', {
      token: server.adminToken,
    });
    expect(after.body.events).toEqual([]);
  });

  it('refuses a "constructor" key in a telemetry body with a 400', async () => {
    const response = await call(server, 'POST', `/v2/databases/${id}/telemetry/metrics`, {
      token: server.adminToken,
      body: { constructor: { api_key: 'k' } },
    });
    expectError(response, 400, ErrorIds.invalidRequest);
  });
});
