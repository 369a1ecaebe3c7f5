import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, settle, type TestServer } from '../support/server.js';

const GARBAGE_BODIES = [
  { rawBody: '{"name":' },
  { rawBody: '[]' },
  { rawBody: '"text"' },
  { rawBody: 'null' },
  { body: { name: 42, cloudProvider: ['GCP'], region: {}, capacityUnits: 'many', tier: null } },
  { body: { capacityUnits: -1 } },
  { body: { capacityUnits: 1.5 } },
  { body: { name: 'x'.repeat(5000), cloudProvider: 'GCP', region: 'us-east1' } },
];

const CONFIGURATION_BODIES = [
  { body: { kafka: { bootstrap_servers: 'b:1' }, Datadog: [] } },
  {
    body: {
      originUsername: 'u',
      originPassword: 'p',
      mappings: [{ originIP: '1.1.1.1', originPort: 70000, rack: 'r', rackNodeOrdinal: 0 }],
    },
  },
  { body: ['a..b', 'x'.repeat(300)] },
  { body: { aws: { keyID: 'arn:aws:kms:x', region: 1 } } },
  { body: { allowedPrincipals: [], endpointID: '', pcuGroupUUIDs: ['x'] } },
];

const ADDRESS_BODIES = [
  { body: [{ address: '1.2.3.4/99', enabled: true, description: '' }] },
  { body: { addresses: [{ address: '\u0000' }], configurations: { accessListEnabled: 'yes' } } },
  { body: { addresses: 'all' } },
];

describe('database endpoints and malformed input', () => {
  let server: TestServer;
  let id: string;
  /** Routes that would end a database get one of their own, so the target stays ACTIVE and every other route reaches its validation. */
  let victim: string;
  const create = async (name: string) => {
    const created = (
      await call(server, 'POST', '/v2/databases', {
        token: server.adminToken,
        body: { name, cloudProvider: 'GCP', region: 'us-east1', tier: 'C10' },
      })
    ).headers.get('location')!;
    await settle(server, server.adminToken, created, 'ACTIVE');
    return created;
  };
  beforeAll(async () => {
    server = await startServer();
    id = await create('target');
    victim = await create('victim');
  });
  afterAll(() => server.close());

  it('answers every malformed request with a JSON 4xx, never a 5xx', async () => {
    const routes: [string, string][] = [
      ['POST', '/v2/databases'],
      ['POST', `/v2/databases/${id}/resize`],
      ['POST', `/v2/databases/${victim}/terminate?preparedStateOnly=maybe`],
      ['POST', `/v2/databases/${id}/keyspaces/${encodeURIComponent('bad name')}`],
      ['DELETE', `/v2/databases/${id}/keyspaces/${encodeURIComponent('x;drop')}`],
      ['GET', '/v2/databases?limit=-5'],
      ['GET', '/v2/databases?include[]=all'],
      ['GET', `/v2/databases/${'x'.repeat(200)}`],
      ['GET', '/v2/databases/%00'],
      ['POST', '/v2/databases/not-a-uuid/park'],
      ['POST', `/v2/databases/${id}/datacenters`],
      ['POST', `/v2/databases/${id}/datacenters/${id}-9/terminate`],
      ['POST', `/v2/databases/${id}/datacenters/${encodeURIComponent('../x')}/terminate`],
      ['GET', `/v2/databases/${id}/datacenters?all=sometimes`],
      ['POST', `/v2/databases/${id}/resetPassword`],
      ['POST', `/v2/databases/${id}/access-list`],
      ['PUT', `/v2/databases/${id}/access-list`],
      ['PATCH', `/v2/databases/${id}/access-list`],
      ['DELETE', `/v2/databases/${id}/access-list?addresses[]=x`],
      ['POST', '/v2/access-list/validate'],
      ['POST', `/v2/databases/${id}/secureBundleURL?all=perhaps`],
      ['GET', `/bundles/${id}-1/secure-connect-target.zip?expires=soon&signature=x`],
      ['GET', `/bundles/${id}-1/secure-connect-target.zip`],
      ['GET', `/bundles/${encodeURIComponent('../..')}/x.zip?expires=1&signature=x`],
      ['POST', '/v2/data-gateway/authorize'],
      ['POST', `/data/${id}-us-east1/api/rest/v1/auth`],
      ['POST', `/data/not-an-endpoint/api/rest/v1/auth/token/generate`],
      ['POST', `/v2/databases/${id}/telemetry/metrics`],
      ['PUT', `/v2/databases/${id}/migrationProxy`],
      ['POST', `/v2/databases/${id}/third-party-metrics`],
      ['POST', '/v2/organizations/customDomains'],
      ['POST', '/v2/kms'],
      ['GET', '/v2/kms/provider/%00/region/x'],
      ['POST', `/v2/organizations/clusters/${id}/datacenters/${id}-1/private-link`],
      ['POST', `/v2/organizations/clusters/${id}/datacenters/${id}-1/endpoints`],
      ['PUT', `/v2/organizations/clusters/${id}/datacenters/${id}-1/endpoints/vpce-1`],
      ['DELETE', `/v2/organizations/clusters/${id}/datacenters/${id}-1/allowed-principals`],
      ['POST', '/v2/pcus/actions/get'],
      ['GET', '/v2/pcus/types?provider=%00'],
      ['GET', `/v2/pcus/types?region=${'x'.repeat(500)}`],
      ['GET', `/v2/organizations/clusters/${'x'.repeat(100)}/private-link`],
      ['GET', `/v2/organizations/clusters/${id}/datacenters/${id}-1/endpoints/${'%00'.repeat(3)}`],
      ['GET', `/v2/kms/provider/aws/region/${'x'.repeat(100)}/accounts`],
      ['GET', `/v2/databases/${id}/telemetry/metrics?x=%00`],
      ['DELETE', `/v2/databases/${id}/access-list?addresses=%00&addresses=${'9'.repeat(70)}`],
      ['POST', `/v2/databases/${victim}/datacenters/${victim}-1/terminate`],
      ['GET', '/v2/regions/serverless?filter-by-org=maybe'],
    ];
    const failures: string[] = [];
    for (const [method, path] of routes) {
      for (const payload of method === 'GET' || method === 'DELETE'
        ? [{}]
        : [...GARBAGE_BODIES, ...ADDRESS_BODIES, ...CONFIGURATION_BODIES]) {
        const response = await call(server, method, path, { token: server.adminToken, ...payload });
        const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
        // The per-database auth API answers errors in Stargate's shape; everything else in Orrery's.
        const described = path.startsWith('/data/')
          ? typeof response.body?.description === 'string'
          : typeof response.body?.errors?.[0]?.ID === 'number';
        const ok = response.status < 500 && (response.status < 400 || (json && described));
        if (!ok)
          failures.push(
            `${method} ${path} ${JSON.stringify(payload).slice(0, 60)} -> ${response.status} ${response.text.slice(0, 80)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    expect((await call(server, 'GET', `/v2/databases/${id}`, { token: server.adminToken })).body.status).toBe('ACTIVE');
  });
});
