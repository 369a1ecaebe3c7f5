import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addOrganization,
  call,
  createToken,
  expectError,
  randomToken,
  startServer,
  type TestServer,
} from '../support/server.js';

const DATABASE_ADMINISTRATOR = 'd7e6d28b-0eaf-45a3-affe-f8c879350b4d';

/** The value of one sample line, e.g. `name{a="b"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ provisioningSpeed: 'manual' });
  });
  afterAll(() => server.close());

  it('counts requests by route and status, auth failures, data-endpoint traffic per database, store timings and queued lifecycle steps', async () => {
    await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken });
    await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken });
    await call(server, 'GET', '/v2/currentOrg', { token: randomToken() });
    const created = await call(server, 'POST', '/v2/databases', {
      token: server.adminToken,
      body: { name: 'metered', cloudProvider: 'GCP', region: 'us-east1' },
    });
    const id = created.headers.get('location')!;
    await call(server, 'POST', `/data/${id}-us-east1/api/rest/v1/auth`, {
      body: { username: 'token', password: server.adminToken },
    });

    const response = await call(server, 'GET', '/metrics', { token: server.adminToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(sample(text, 'orrery_http_requests_total{method="GET",route="/v2/currentOrg",status="200"}')).toBe(2);
    expect(sample(text, 'orrery_http_requests_total{method="GET",route="/v2/currentOrg",status="401"}')).toBe(1);
    expect(sample(text, 'orrery_http_requests_total{method="POST",route="/v2/databases",status="201"}')).toBe(1);
    expect(
      sample(text, 'orrery_http_request_duration_seconds_count{method="POST",route="/v2/databases",status="201"}'),
    ).toBe(1);
    expect(sample(text, 'orrery_auth_failures_total{status="401"}')).toBe(1);
    expect(text).toMatch(new RegExp(`orrery_data_endpoint_requests_total\\{database="${id}",status="\\d+"\\} 1`));
    expect(sample(text, 'orrery_store_query_duration_seconds_count{operation="select"}')).toBeGreaterThan(0);
    expect(sample(text, 'orrery_store_query_duration_seconds_count{operation="insert"}')).toBeGreaterThan(0);
    // Manual provisioning leaves the new database's first step queued.
    expect(sample(text, 'orrery_lifecycle_jobs_pending')).toBe(1);
  });

  it("is only for an Organization Administrator of the installation's first organization", async () => {
    expectError(await call(server, 'GET', '/metrics'), 401);
    const dbAdmin = await createToken(server, [DATABASE_ADMINISTRATOR]);
    expectError(await call(server, 'GET', '/metrics', { token: dbAdmin.token }), 403);
    const other = await addOrganization(server, 'Tenant');
    expectError(await call(server, 'GET', '/metrics', { token: other.token }), 403);
  });
});
