import { request as httpRequest } from 'node:http';
import { DataAPIClient } from '@datastax/astra-db-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { eventually } from '../support/polling.js';
import { addOrganization, call, createToken, startServer, type TestServer } from '../support/server.js';
import { command, createDatabase } from './support.js';

const RO_USER = '2cb32e78-4e8d-4f85-a152-4e4df2be1c28';

function expectDataApiError(response: { status: number; body: any }, status: number, errorCode: string) {
  expect({ status: response.status, errorCode: response.body?.errors?.[0]?.errorCode }).toEqual({ status, errorCode });
}

describe('Data API security and isolation', () => {
  let server: TestServer;
  let first: Awaited<ReturnType<typeof createDatabase>>;
  let second: Awaited<ReturnType<typeof createDatabase>>;
  const docs = (db: { path: string }, keyspace = 'default_keyspace') => `${db.path}/${keyspace}/docs`;

  beforeAll(async () => {
    // Keyspaces made through the DevOps API appear when the lifecycle runs, as in production.
    server = await startServer({ backgroundLifecycle: true });
    first = await createDatabase(server);
    second = await createDatabase(server, server.adminToken, { name: 'other', keyspace: 'default_keyspace' });
    await command(server, `${first.path}/default_keyspace`, { createCollection: { name: 'docs' } });
    await command(server, docs(first), { insertOne: { document: { _id: 'secret', text: 'first database only' } } });
  });
  afterAll(async () => server.close());

  it('needs a token, and a valid one', async () => {
    const missing = await command(server, docs(first), { find: {} }, null);
    expectDataApiError(missing, 401, 'MISSING_AUTHENTICATION_TOKEN');
    expect(missing.body.errors[0]).toMatchObject({
      family: 'REQUEST',
      scope: 'SECURITY',
      title: 'Missing authorization token',
    });
    expectDataApiError(
      await command(server, docs(first), { find: {} }, 'AstraCS:nope'),
      401,
      'UNAUTHENTICATED_REQUEST',
    );
    expectDataApiError(
      await command(server, docs(first), { find: {} }, '3f1c1c6e-0000-4000-8000-000000000000'),
      401,
      'UNAUTHENTICATED_REQUEST',
    );
  });

  it("refuses another organization's token, whatever it may do in its own organization", async () => {
    const other = await addOrganization(server, 'Other Org');
    const response = await command(server, docs(first), { find: {} }, other.token);
    expectDataApiError(response, 401, 'UNAUTHORIZED_ACCESS');
    expect(JSON.stringify(response.body)).not.toContain('first database only');
    expectDataApiError(
      await command(server, first.path, { findKeyspaces: {} }, other.token),
      401,
      'UNAUTHORIZED_ACCESS',
    );
  });

  it("never shows one database's data through another database's endpoint", async () => {
    expectDataApiError(await command(server, docs(second), { find: {} }), 200, 'UNKNOWN_COLLECTION_OR_TABLE');
    await command(server, `${second.path}/default_keyspace`, { createCollection: { name: 'docs' } });
    expect((await command(server, docs(second), { find: {} })).body.data.documents).toEqual([]);
    expect((await command(server, docs(first), { find: {} })).body.data.documents).toEqual([
      { _id: 'secret', text: 'first database only' },
    ]);
  });

  it('decides each command by its action: a read-only token reads but does not write or change the schema', async () => {
    const reader = await createToken(server, [RO_USER]);
    expect(
      (await command(server, docs(first), { findOne: { filter: { _id: 'secret' } } }, reader.token)).body.data.document,
    ).toMatchObject({ _id: 'secret' });
    const write = await command(server, docs(first), { insertOne: { document: { x: 1 } } }, reader.token);
    expectDataApiError(write, 401, 'UNAUTHORIZED_ACCESS');
    expect(write.body.errors[0].message).toContain('db-table-modify');
    expectDataApiError(
      await command(server, `${first.path}/default_keyspace`, { createCollection: { name: 'nope' } }, reader.token),
      401,
      'UNAUTHORIZED_ACCESS',
    );
    expectDataApiError(
      await command(server, `${first.path}/default_keyspace`, { deleteCollection: { name: 'docs' } }, reader.token),
      401,
      'UNAUTHORIZED_ACCESS',
    );
  });

  it('keeps a token scoped to one keyspace out of the others', async () => {
    await call(server, 'POST', `/v2/databases/${first.id}/keyspaces/ks_open`, { token: server.adminToken });
    await eventually(
      async () => (await command(server, first.path, { findKeyspaces: {} })).body.status.keyspaces.includes('ks_open'),
      'keyspace ks_open to appear',
    );
    const drn = `drn:astra:org:${server.orgId}:db:${first.id}`;
    const role = await call(server, 'POST', '/v2/organizations/roles', {
      token: server.adminToken,
      body: {
        name: 'ks_open only',
        policy: {
          description: 'one keyspace',
          effect: 'allow',
          resources: [`${drn}:keyspace:ks_open`, `${drn}:keyspace:ks_open:table:*`],
          actions: ['db-keyspace-describe', 'db-table-create', 'db-table-select', 'db-table-modify'],
        },
      },
    });
    expect(role.status).toBe(201);
    const scoped = await createToken(server, [role.body.ID]);
    expect(
      (await command(server, `${first.path}/ks_open`, { createCollection: { name: 'mine' } }, scoped.token)).body
        .status,
    ).toEqual({ ok: 1 });
    expect(
      (await command(server, `${first.path}/ks_open/mine`, { insertOne: { document: { _id: 1 } } }, scoped.token)).body
        .status,
    ).toEqual({ insertedIds: [1] });
    expectDataApiError(await command(server, docs(first), { find: {} }, scoped.token), 401, 'UNAUTHORIZED_ACCESS');
    expectDataApiError(
      await command(server, `${first.path}/default_keyspace`, { findCollections: {} }, scoped.token),
      401,
      'UNAUTHORIZED_ACCESS',
    );
    expectDataApiError(
      await command(server, first.path, { findKeyspaces: {} }, scoped.token),
      401,
      'UNAUTHORIZED_ACCESS',
    );
  });

  it('accepts X-Cassandra-Token, per-database auth tokens and service-account JWTs', async () => {
    const viaHeader = await command(server, docs(first), { countDocuments: {} }, null, {
      'x-cassandra-token': server.adminToken,
    });
    expect(viaHeader.body.status).toEqual({ count: 1 });

    const auth = await call(server, 'POST', `/data/${first.id}-us-east1/api/rest/v1/auth`, {
      body: { username: 'token', password: server.adminToken },
    });
    const authToken = auth.body.authToken as string;
    expect((await command(server, docs(first), { countDocuments: {} }, authToken)).body.status).toEqual({ count: 1 });
    // An auth token is made for one database.
    expectDataApiError(
      await command(server, docs(second), { countDocuments: {} }, authToken),
      401,
      'UNAUTHENTICATED_REQUEST',
    );

    const account = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], { description: 'data-bot' });
    const login = await call(server, 'POST', '/v2/authenticateServiceAccount', {
      body: { clientName: 'data-bot', clientId: account.clientId, clientSecret: account.secret },
    });
    expect((await command(server, docs(first), { countDocuments: {} }, login.body.token)).body.status).toEqual({
      count: 1,
    });
  });

  it("enforces the database's IP access list", async () => {
    const set = await call(server, 'POST', `/v2/databases/${second.id}/access-list`, {
      token: server.adminToken,
      body: [{ address: '198.51.100.7/32', enabled: true, description: 'not us' }],
    });
    expect(set.status).toBeLessThan(300);
    const refused = await command(server, docs(second), { find: {} });
    expectDataApiError(refused, 403, 'UNAUTHORIZED_ACCESS');
    expect(refused.body.errors[0].message).toContain('access list');
    expect((await command(server, docs(first), { countDocuments: {} })).status).toBe(200);
  });

  it('answers on the host form, on /v1 for self-hosted clients, and to CORS preflights', async () => {
    const host = `${first.id}-us-east1.apps.astra.datastax.com`;
    const viaHost = await new Promise<string>((resolve, reject) => {
      const url = new URL(server.url);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: '/api/json/v1/default_keyspace/docs',
          method: 'POST',
          headers: { host, token: server.adminToken, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ countDocuments: {} }));
    });
    expect(JSON.parse(viaHost)).toEqual({ status: { count: 1 } });

    const hcd = new DataAPIClient(server.adminToken, { environment: 'hcd', logging: [{ events: 'all', emits: [] }] });
    const db = hcd.db(`${server.url}/data/${first.id}-us-east1`, { keyspace: 'default_keyspace' });
    expect(await db.collection('docs').findOne({ _id: 'secret' })).toEqual({
      _id: 'secret',
      text: 'first database only',
    });
    expect(await db.admin({ environment: 'hcd' }).listKeyspaces()).toEqual(['default_keyspace', 'ks_open']);
    await hcd.close();

    const preflight = await fetch(`${server.url}${docs(first)}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'token, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('token, content-type');
    const cors = await command(server, docs(first), { countDocuments: {} }, server.adminToken, {
      origin: 'https://app.example.com',
    });
    expect(cors.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('declares a permission on every Data API route', () => {
    const dataRoutes = server.app.routes.filter(
      (r) => r.url.includes('/api/json/') || /\/data\/:endpoint\/v1/.test(r.url),
    );
    expect(dataRoutes.length).toBe(12);
    expect(dataRoutes.every((r) => r.permission === 'public')).toBe(true);
  });
});
