import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectError, startServer, settle, type TestServer } from '../support/server.js';

describe('database and organization configuration endpoints', () => {
  let server: TestServer;
  let token: string;
  let id: string;
  const rawSettings = () => server.app.store.db.selectFrom('settings').select('value').execute();

  beforeAll(async () => {
    server = await startServer();
    token = server.adminToken;
    id = (
      await call(server, 'POST', '/v2/databases', {
        token,
        body: { name: 'metrics', cloudProvider: 'AWS', region: 'us-east-1' },
      })
    ).headers.get('location')!;
    await settle(server, token, id, 'ACTIVE');
  });
  afterAll(() => server.close());

  it('validates each telemetry destination, keeps secrets sealed and reads them back masked', async () => {
    const path = `/v2/databases/${id}/telemetry/metrics`;
    expect((await call(server, 'GET', path, { token })).body).toEqual({});
    const invalid: Record<string, unknown>[] = [
      { prometheus_remote: { endpoint: 'not a url', auth_strategy: 'bearer', token: 't' } },
      { prometheus_remote: { endpoint: 'https://prom.example.com/api/v1/write', auth_strategy: 'basic', user: 'u' } },
      {
        kafka: {
          bootstrap_servers: ['broker'],
          topic: 't',
          sasl_mechanism: 'PLAIN',
          sasl_username: 'u',
          sasl_password: 'p',
        },
      },
      {
        kafka: {
          bootstrap_servers: ['broker:9092'],
          topic: 't',
          sasl_mechanism: 'MD5',
          sasl_username: 'u',
          sasl_password: 'p',
        },
      },
      { cloudwatch: { access_key: 'AKIA', secret: 's', region: 'moon' } },
      { splunk: { endpoint: 'http://splunk.example.com', index: 'i', token: 't' } },
      { datadog: {} },
      { pulsar: { endpoint: 'https://pulsar.example.com', topic: 't', auth_strategy: 'token', token: 'x' } },
      { newrelic: { key: 'x' } },
      { datadog: { api_key: 'a' }, Datadog: { api_key: 'b' } },
      { datadog: 'key' },
    ];
    for (const body of invalid) expectError(await call(server, 'POST', path, { token, body }), 400);

    const config = {
      prometheus_remote: {
        endpoint: 'https://prom.example.com/api/v1/write',
        auth_strategy: 'bearer',
        token: 'prom-secret-token',
      },
      kafka: {
        bootstrap_servers: ['b1.example.com:9092'],
        topic: 'metrics',
        sasl_mechanism: 'SCRAM-SHA-512',
        sasl_username: 'astra',
        sasl_password: 'kafka-secret',
      },
      Datadog: { api_key: 'dd-secret-key' },
      cloudwatch: { access_key: 'AKIAEXAMPLE', secret: 'cw-secret', region: 'us-east-1' },
      splunk: { endpoint: 'https://splunk.example.com:8088', index: 'astra', token: 'splunk-secret' },
      pulsar: {
        endpoint: 'pulsar+ssl://pulsar.example.com:6651',
        topic: 'persistent://t/n/metrics',
        auth_strategy: 'token',
        token: 'pulsar-secret',
      },
    };
    const saved = await call(server, 'POST', path, { token, body: config });
    expect(saved.status).toBe(200);
    const read = (await call(server, 'GET', path, { token })).body;
    expect(read.Datadog).toEqual({ api_key: '********', site: 'datadoghq.com' });
    expect(read.kafka).toMatchObject({
      sasl_username: 'astra',
      sasl_password: '********',
      security_protocol: 'SASL_PLAINTEXT',
    });
    expect(read.prometheus_remote.token).toBe('********');
    const stored = JSON.stringify(await rawSettings());
    for (const secret of [
      'prom-secret-token',
      'kafka-secret',
      'dd-secret-key',
      'cw-secret',
      'splunk-secret',
      'pulsar-secret',
    ]) {
      expect(stored).not.toContain(secret);
      expect(JSON.stringify(read)).not.toContain(secret);
    }

    // Sending a read configuration back keeps the secrets it masked.
    const before = JSON.stringify(await rawSettings());
    await call(server, 'POST', path, { token, body: read });
    const sealedKafka = (s: string) =>
      JSON.parse(JSON.parse(s).find((r: { value: string }) => r.value.includes('kafka')).value).kafka.sasl_password;
    expect(sealedKafka(JSON.stringify(await rawSettings()))).toBe(sealedKafka(before));

    // The older flat endpoint sets the destinations it names and keeps the rest.
    const legacy = await call(server, 'POST', `/v2/databases/${id}/third-party-metrics`, {
      token,
      body: {
        prom_endpoint: 'https://other.example.com/write',
        prom_strategy: 'basic',
        prom_user: 'u',
        prom_password: 'legacy-secret',
      },
    });
    expect(legacy.status).toBe(200);
    const merged = (await call(server, 'GET', path, { token })).body;
    expect(merged.prometheus_remote).toEqual({
      endpoint: 'https://other.example.com/write',
      auth_strategy: 'basic',
      user: 'u',
      password: '********',
    });
    expect(merged.Datadog).toBeDefined();
    expect(JSON.stringify(await rawSettings())).not.toContain('legacy-secret');
    expectError(
      await call(server, 'POST', `/v2/databases/${id}/third-party-metrics`, {
        token,
        body: { prom_endpoint: 'https://x.example.com', prom_strategy: 'magic' },
      }),
      400,
    );
    expectError(await call(server, 'POST', `/v2/databases/${id}/third-party-metrics`, { token, body: {} }), 400);

    expect((await call(server, 'POST', path, { token, body: {} })).body).toEqual({});
    expect((await call(server, 'GET', path, { token })).body).toEqual({});
    expectError(
      await call(server, 'GET', '/v2/databases/00000000-0000-4000-8000-000000000000/telemetry/metrics', { token }),
      404,
    );
  });

  it('keeps the migration proxy configuration with its password sealed', async () => {
    const path = `/v2/databases/${id}/migrationProxy`;
    const body = {
      originUsername: 'cassandra',
      originPassword: 'origin-secret',
      mappings: [{ originIP: '10.0.0.5', originPort: 9042, rack: 'rack1', rackNodeOrdinal: 0 }],
    };
    expectError(
      await call(server, 'PUT', path, {
        token,
        body: { ...body, mappings: [{ ...body.mappings[0], originIP: 'db.local' }] },
      }),
      400,
    );
    expectError(
      await call(server, 'PUT', path, { token, body: { ...body, mappings: [body.mappings[0], body.mappings[0]] } }),
      400,
    );
    expect((await call(server, 'PUT', path, { token, body })).status).toBe(202);
    expect(JSON.stringify(await rawSettings())).not.toContain('origin-secret');
    expect((await call(server, 'DELETE', path, { token })).status).toBe(202);
    const audit = await call(server, 'GET', '/v2/organizations/audit-events', { token });
    expect(audit.text).toContain('MIGRATION_PROXY_LAUNCHED');
    expect(audit.text).not.toContain('origin-secret');
  });

  it('replaces the custom domain list and offers bundles per domain', async () => {
    expect((await call(server, 'GET', '/v2/organizations/customDomains', { token })).body).toEqual([]);
    expectError(await call(server, 'POST', '/v2/organizations/customDomains', { token, body: ['not a domain'] }), 400);
    const saved = await call(server, 'POST', '/v2/organizations/customDomains', {
      token,
      body: ['DB.Example.com', 'db.example.com', 'data.example.org.'],
    });
    expect(saved.status).toBe(200);
    expect((await call(server, 'GET', '/v2/organizations/customDomains', { token })).body).toEqual([
      'db.example.com',
      'data.example.org',
    ]);
    const bundle = (await call(server, 'POST', `/v2/databases/${id}/secureBundleURL`, { token })).body;
    expect(bundle.customDomainBundles.map((b: { domain: string; apiFQDN: string }) => [b.domain, b.apiFQDN])).toEqual([
      ['db.example.com', `${id}-us-east-1.apps.db.example.com`],
      ['data.example.org', `${id}-us-east-1.apps.data.example.org`],
    ]);
  });

  it('registers customer keys per provider and region', async () => {
    const arn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expectError(await call(server, 'POST', '/v2/kms', { token, body: {} }), 400);
    expectError(
      await call(server, 'POST', '/v2/kms', { token, body: { aws: { keyID: 'my-key', region: 'us-east-1' } } }),
      400,
    );
    expectError(await call(server, 'POST', '/v2/kms', { token, body: { aws: { keyID: arn, region: 'mars-1' } } }), 400);
    expectError(
      await call(server, 'POST', '/v2/kms', {
        token,
        body: { orgId: 'another-org', aws: { keyID: arn, region: 'us-east-1' } },
      }),
      400,
    );
    expect(
      (
        await call(server, 'POST', '/v2/kms', {
          token,
          body: { orgId: server.orgId, aws: { keyID: arn, region: 'us-east-1' } },
        })
      ).status,
    ).toBe(200);
    expect((await call(server, 'GET', '/v2/kms', { token })).body).toEqual([
      { OrganizationID: server.orgId, CloudProvider: 'aws', KeyID: arn, Region: 'us-east-1' },
    ]);
    expect((await call(server, 'GET', '/v2/kms/provider/aws/region/us-east-1', { token })).body).toEqual({
      orgId: server.orgId,
      aws: { keyID: arn, region: 'us-east-1' },
    });
    expectError(await call(server, 'GET', '/v2/kms/provider/gcp/region/us-east1', { token }), 404);
    expectError(await call(server, 'GET', '/v2/kms/provider/ibm/region/x', { token }), 400);
    const accounts = (await call(server, 'GET', '/v2/kms/provider/aws/region/us-east-1/accounts', { token })).body;
    expect(accounts).toEqual([
      { organization_id: server.orgId, provider_id: expect.stringMatching(/^\d{12}$/), provider: 'aws' },
    ]);
  });

  it('manages private link principals and endpoints per datacenter', async () => {
    const dc = `${id}-1`;
    const base = `/v2/organizations/clusters/${id}/datacenters/${dc}`;
    expect((await call(server, 'GET', `${base}/private-link`, { token })).body).toMatchObject({
      datacenterID: dc,
      allowedPrincipals: [],
      endpoints: [],
      serviceName: expect.stringMatching(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/),
    });
    expectError(
      await call(server, 'POST', `${base}/private-link`, { token, body: { allowedPrincipals: ['someone'] } }),
      400,
    );
    const allowed = await call(server, 'POST', `${base}/private-link`, {
      token,
      body: { allowedPrincipals: ['arn:aws:iam::123456789012:role/admin'] },
    });
    expect(allowed.body.allowedPrincipals).toEqual(['arn:aws:iam::123456789012:role/admin']);
    await call(server, 'POST', `${base}/allowed-principals`, { token, body: { allowedPrincipals: ['210987654321'] } });

    expectError(await call(server, 'POST', `${base}/endpoints`, { token, body: { endpointID: 'endpoint-1' } }), 400);
    const accepted = await call(server, 'POST', `${base}/endpoints`, {
      token,
      body: { endpointID: 'vpce-0123456789abcdef0', description: 'app vpc' },
    });
    expect(accepted.body).toMatchObject({
      endpointID: 'vpce-0123456789abcdef0',
      status: 'Accepted',
      createdDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
    });
    expectError(
      await call(server, 'POST', `${base}/endpoints`, { token, body: { endpointID: 'vpce-0123456789abcdef0' } }),
      409,
    );
    expect(
      (
        await call(server, 'PUT', `${base}/endpoints/vpce-0123456789abcdef0`, {
          token,
          body: { description: 'renamed' },
        })
      ).body.description,
    ).toBe('renamed');

    const org = (await call(server, 'GET', '/v2/organizations/private-link', { token })).body;
    expect(org.clusters).toEqual([
      {
        clusterID: id,
        datacenters: [
          expect.objectContaining({
            datacenterID: dc,
            allowedPrincipals: ['arn:aws:iam::123456789012:role/admin', '210987654321'],
          }),
        ],
      },
    ]);

    expect(
      (
        await call(server, 'DELETE', `${base}/allowed-principals`, {
          token,
          body: { allowedPrincipal: '210987654321' },
        })
      ).status,
    ).toBe(204);
    expect((await call(server, 'DELETE', `${base}/endpoints/vpce-0123456789abcdef0`, { token })).status).toBe(204);
    expectError(await call(server, 'GET', `${base}/endpoints/vpce-0123456789abcdef0`, { token }), 404);
    expectError(
      await call(server, 'GET', `/v2/organizations/clusters/${id}/datacenters/${id}-9/private-link`, { token }),
      404,
    );
    const cluster = (await call(server, 'GET', `/v2/organizations/clusters/${id}/private-link`, { token })).body;
    expect(cluster).toMatchObject({
      clusterID: id,
      datacenters: [{ allowedPrincipals: ['arn:aws:iam::123456789012:role/admin'], endpoints: [] }],
    });
  });

  it('loses no change when the same private link is changed concurrently', async () => {
    const base = `/v2/organizations/clusters/${id}/datacenters/${id}-1`;
    const principals = Array.from({ length: 20 }, (_, i) => String(100000000000 + i));
    const responses = await Promise.all(
      principals.map((p) =>
        call(server, 'POST', `${base}/allowed-principals`, { token, body: { allowedPrincipals: [p] } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(principals.map(() => 200));
    const link = (await call(server, 'GET', `${base}/private-link`, { token })).body;
    expect(link.allowedPrincipals).toEqual(expect.arrayContaining(principals));
  });

  it('answers the PCU look-ups clients make', async () => {
    expect((await call(server, 'POST', '/v2/pcus/actions/get', { token, body: {} })).body).toEqual([]);
    expectError(
      await call(server, 'POST', '/v2/pcus/actions/get', {
        token,
        body: { pcuGroupUUIDs: ['00000000-0000-4000-8000-000000000000'] },
      }),
      404,
    );
    const types = (await call(server, 'GET', '/v2/pcus/types?provider=aws&region=us-east-1', { token })).body;
    expect(types).toEqual([
      {
        type: 'generalPurpose',
        region: 'us-east-1',
        provider: 'aws',
        details: { vCPU: 16, memory: '64GB', disk_cache: '500GB' },
        enabled: true,
      },
    ]);
    expect((await call(server, 'GET', '/v2/pcus/types', { token })).body.length).toBeGreaterThan(20);
    expectError(await call(server, 'GET', '/v2/pcus/types?provider=ibm', { token }), 400);
  });
});
