import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_GATEWAY_ID } from '../../src/iam/builtin-roles.js';
import { addOrganization, call, createToken, startServer, settle, type TestServer } from '../support/server.js';

/**
 * Two organizations, A and B, each with databases carrying every kind of per-database configuration.
 * Every route that takes a database id is called with the other organization's ids (404: unknown to the
 * caller), and with an organization-A token scoped to another database or keyspace (403); every list is
 * checked to hold only what the caller may see; and nothing the refused calls tried has changed.
 */

const DB_ACTIONS = [
  'org-db-view',
  'accesslist-read',
  'accesslist-write',
  'db-manage-privateendpoint',
  'db-manage-telemetry',
  'db-manage-thirdpartymetrics',
  'db-manage-region',
  'org-db-passwordreset',
  'org-db-managemigratorproxy',
  'org-db-terminate',
  'org-db-suspend',
  'org-db-expand',
  'db-cql',
  'db-keyspace-create',
  'db-keyspace-drop',
];
const PRINCIPAL = 'arn:aws:iam::123456789012:role/app';
const ENDPOINT_ID = 'vpce-0123456789abcdef0';

interface Credential {
  clientId: string;
  secret: string;
  token: string;
}

interface Route {
  method: string;
  path: (db: string) => string;
  body?: unknown;
}

/** Every route that takes a database (cluster) id, with a body that would be accepted on the caller's own database. */
const DATABASE_ROUTES: Route[] = [
  { method: 'GET', path: (db) => `/v2/databases/${db}` },
  { method: 'GET', path: (db) => `/v2/databases/${db}/datacenters` },
  {
    method: 'POST',
    path: (db) => `/v2/databases/${db}/datacenters`,
    body: [{ cloudProvider: 'AWS', region: 'us-east-2' }],
  },
  { method: 'POST', path: (db) => `/v2/databases/${db}/datacenters/${db}-1/terminate` },
  {
    method: 'POST',
    path: (db) => `/v2/databases/${db}/resetPassword`,
    body: { username: 'u', password: 'a-new-password' },
  },
  { method: 'POST', path: (db) => `/v2/databases/${db}/terminate` },
  { method: 'POST', path: (db) => `/v2/databases/${db}/park` },
  { method: 'POST', path: (db) => `/v2/databases/${db}/unpark` },
  { method: 'POST', path: (db) => `/v2/databases/${db}/resize`, body: { capacityUnits: 2 } },
  { method: 'POST', path: (db) => `/v2/databases/${db}/keyspaces/stolen` },
  { method: 'DELETE', path: (db) => `/v2/databases/${db}/keyspaces/extra` },
  { method: 'GET', path: (db) => `/v2/databases/${db}/access-list` },
  {
    method: 'POST',
    path: (db) => `/v2/databases/${db}/access-list`,
    body: [{ address: '192.0.2.1', enabled: true, description: 'x' }],
  },
  {
    method: 'PUT',
    path: (db) => `/v2/databases/${db}/access-list`,
    body: { addresses: [], configurations: { accessListEnabled: false } },
  },
  {
    method: 'PATCH',
    path: (db) => `/v2/databases/${db}/access-list`,
    body: { addresses: [{ address: '203.0.113.0/24', enabled: false, description: 'x' }] },
  },
  { method: 'DELETE', path: (db) => `/v2/databases/${db}/access-list` },
  { method: 'POST', path: (db) => `/v2/databases/${db}/secureBundleURL` },
  { method: 'GET', path: (db) => `/v2/databases/${db}/telemetry/metrics` },
  { method: 'POST', path: (db) => `/v2/databases/${db}/telemetry/metrics`, body: { Datadog: { api_key: 'hijack' } } },
  {
    method: 'POST',
    path: (db) => `/v2/databases/${db}/third-party-metrics`,
    body: { prom_endpoint: 'https://evil.example.com/write', prom_strategy: 'bearer', prom_token: 't' },
  },
  {
    method: 'PUT',
    path: (db) => `/v2/databases/${db}/migrationProxy`,
    body: {
      originUsername: 'c',
      originPassword: 'p',
      mappings: [{ originIP: '10.0.0.9', originPort: 9042, rack: 'r', rackNodeOrdinal: 0 }],
    },
  },
  { method: 'DELETE', path: (db) => `/v2/databases/${db}/migrationProxy` },
  { method: 'GET', path: (db) => `/v2/organizations/clusters/${db}/private-link` },
  { method: 'GET', path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/private-link` },
  {
    method: 'POST',
    path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/private-link`,
    body: { allowedPrincipals: ['210987654321'] },
  },
  {
    method: 'POST',
    path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/allowed-principals`,
    body: { allowedPrincipals: ['210987654321'] },
  },
  {
    method: 'DELETE',
    path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/allowed-principals`,
    body: { allowedPrincipal: PRINCIPAL },
  },
  {
    method: 'POST',
    path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/endpoints`,
    body: { endpointID: 'vpce-0fedcba9876543210' },
  },
  { method: 'GET', path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/endpoints/${ENDPOINT_ID}` },
  {
    method: 'PUT',
    path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/endpoints/${ENDPOINT_ID}`,
    body: { description: 'hijacked' },
  },
  { method: 'DELETE', path: (db) => `/v2/organizations/clusters/${db}/datacenters/${db}-1/endpoints/${ENDPOINT_ID}` },
];

describe('isolation of databases and what hangs off them', () => {
  let server: TestServer;
  let a: { orgId: string; token: string };
  let b: { orgId: string; token: string };
  let dbA: string;
  let dbA2: string;
  let dbB: string;
  /** Organization-A tokens that reach only dbA2, or only one keyspace of it. */
  let onDbA2: Credential;
  let onKeyspaceOfDbA2: Credential;
  const authPath = (db: string) => `/data/${db}-us-east-1/api/rest/v1/auth`;

  async function createDatabase(token: string, name: string): Promise<string> {
    const created = await call(server, 'POST', '/v2/databases', {
      token,
      body: { name, cloudProvider: 'AWS', region: 'us-east-1', keyspace: 'main' },
    });
    expect(created.status).toBe(201);
    const id = created.headers.get('location')!;
    await settle(server, token, id, 'ACTIVE');
    expect((await call(server, 'POST', `/v2/databases/${id}/keyspaces/extra`, { token })).status).toBe(201);
    await settle(server, token, id, 'ACTIVE');
    const configure: [string, string, unknown][] = [
      [
        'POST',
        `/v2/databases/${id}/access-list`,
        [{ address: '127.0.0.1', enabled: true, description: `${name} local` }],
      ],
      ['POST', `/v2/databases/${id}/telemetry/metrics`, { Datadog: { api_key: `${name}-key` } }],
      ['POST', `/v2/organizations/clusters/${id}/datacenters/${id}-1/private-link`, { allowedPrincipals: [PRINCIPAL] }],
      [
        'POST',
        `/v2/organizations/clusters/${id}/datacenters/${id}-1/endpoints`,
        { endpointID: ENDPOINT_ID, description: `${name} vpc` },
      ],
    ];
    for (const [method, path, body] of configure) {
      const response = await call(server, method, path, { token, body });
      expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
    }
    return id;
  }

  /** What a database looks like to its own organization's administrator, to compare before and after. */
  async function snapshot(token: string, db: string) {
    const read = async (path: string) => (await call(server, 'GET', path, { token })).body;
    const database = await read(`/v2/databases/${db}`);
    return {
      status: database.status,
      keyspaces: database.info.keyspaces,
      datacenters: database.info.datacenters.map((dc: { id: string }) => dc.id),
      accessList: await read(`/v2/databases/${db}/access-list`),
      telemetry: await read(`/v2/databases/${db}/telemetry/metrics`),
      privateLink: await read(`/v2/organizations/clusters/${db}/private-link`),
    };
  }

  beforeAll(async () => {
    server = await startServer();
    a = { orgId: server.orgId, token: server.adminToken };
    b = await addOrganization(server, 'B');
    dbA = await createDatabase(a.token, 'alpha');
    dbA2 = await createDatabase(a.token, 'alpha2');
    dbB = await createDatabase(b.token, 'beta');
    const scoped = async (name: string, resources: string[]) => {
      const role = await call(server, 'POST', '/v2/organizations/roles', {
        token: a.token,
        body: { name, policy: { description: name, effect: 'allow', resources, actions: DB_ACTIONS } },
      });
      expect(role.status).toBe(201);
      return createToken(server, [role.body.ID], { description: name });
    };
    onDbA2 = await scoped('only alpha2', [`drn:astra:org:__ORG_ID__:db:${dbA2}`]);
    onKeyspaceOfDbA2 = await scoped('only alpha2 main', [`drn:astra:org:__ORG_ID__:db:${dbA2}:keyspace:main`]);
  });
  afterAll(() => server.close());

  it('answers 404 to another organization on every route that takes a database id, and changes nothing', async () => {
    const beforeA = await snapshot(a.token, dbA);
    const beforeB = await snapshot(b.token, dbB);
    const wrong: string[] = [];
    for (const route of DATABASE_ROUTES) {
      for (const [token, db] of [
        [b.token, dbA],
        [a.token, dbB],
      ] as const) {
        const response = await call(server, route.method, route.path(db), { token, body: route.body });
        if (response.status !== 404)
          wrong.push(`${route.method} ${route.path(db === dbA ? ':A' : ':B')} -> ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(a.token, dbA)).toEqual(beforeA);
    expect(await snapshot(b.token, dbB)).toEqual(beforeB);
  });

  it('answers 403 to a token scoped to another database or keyspace of the same organization, and changes nothing', async () => {
    const before = await snapshot(a.token, dbA);
    const wrong: string[] = [];
    for (const route of DATABASE_ROUTES) {
      for (const [label, { token }] of [
        ['database-scoped', onDbA2],
        ['keyspace-scoped', onKeyspaceOfDbA2],
      ] as const) {
        const response = await call(server, route.method, route.path(dbA), { token, body: route.body });
        if (response.status !== 403) wrong.push(`${label}: ${route.method} ${route.path(':A')} -> ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(a.token, dbA)).toEqual(before);
  });

  it('lets a database-scoped token use its own database', async () => {
    expect((await call(server, 'GET', `/v2/databases/${dbA2}`, { token: onDbA2.token })).status).toBe(200);
    expect((await call(server, 'GET', `/v2/databases/${dbA2}/access-list`, { token: onDbA2.token })).status).toBe(200);
    expect(
      (await call(server, 'GET', `/v2/organizations/clusters/${dbA2}/private-link`, { token: onDbA2.token })).status,
    ).toBe(200);
  });

  it('lists only the databases the caller may see', async () => {
    const ids = async (token: string) =>
      (await call(server, 'GET', '/v2/databases', { token })).body.map((d: { id: string }) => d.id).sort();
    expect(await ids(a.token)).toEqual([dbA, dbA2].sort());
    expect(await ids(b.token)).toEqual([dbB]);
    expect(await ids(onDbA2.token)).toEqual([dbA2]);
    expect(await ids(onKeyspaceOfDbA2.token)).toEqual([]);
  });

  it('lists only the access lists the caller may see', async () => {
    const ids = async (token: string) =>
      (await call(server, 'GET', '/v2/access-lists', { token })).body
        .map((l: { databaseId: string }) => l.databaseId)
        .sort();
    expect(await ids(a.token)).toEqual([dbA, dbA2].sort());
    expect(await ids(b.token)).toEqual([dbB]);
    expect(await ids(onDbA2.token)).toEqual([dbA2]);
    expect(await ids(onKeyspaceOfDbA2.token)).toEqual([]);
  });

  it('lists only the private links the caller may see', async () => {
    const ids = async (token: string) =>
      (await call(server, 'GET', '/v2/organizations/private-link', { token })).body.clusters
        .map((c: { clusterID: string }) => c.clusterID)
        .sort();
    expect(await ids(a.token)).toEqual([dbA, dbA2].sort());
    expect(await ids(b.token)).toEqual([dbB]);
    expect(await ids(onDbA2.token)).toEqual([dbA2]);
    expect(await ids(onKeyspaceOfDbA2.token)).toEqual([]);
  });

  it('signs bundle links for one datacenter only', async () => {
    const links = (await call(server, 'POST', `/v2/databases/${dbA}/secureBundleURL`, { token: a.token })).body;
    const own = new URL(links.downloadURL);
    expect((await fetch(own)).status).toBe(200);
    // The same signature on another datacenter's path is refused.
    const moved = new URL(own.href.replace(`/bundles/${dbA}-1/`, `/bundles/${dbB}-1/`));
    expect((await fetch(moved)).status).toBe(403);
  });

  describe('the per-database auth API and the gateway check', () => {
    let credentialA: Credential;
    let credentialB: Credential;
    let gatewayA: string;
    let gatewayB: string;
    const login = (db: string, credential: { clientId: string; secret: string }) =>
      call(server, 'POST', authPath(db), { body: { username: credential.clientId, password: credential.secret } });
    const decide = (gateway: string, db: string, credential: string, extra: Record<string, unknown> = {}) =>
      call(server, 'POST', '/v2/data-gateway/authorize', {
        token: gateway,
        body: { credential, address: '127.0.0.1', databaseId: db, action: 'db-cql', ...extra },
      });

    beforeAll(async () => {
      credentialA = await createToken(
        server,
        ['4aaab5fb-5586-43df-87e3-ff168fdd0539'],
        { description: 'A data' },
        a.token,
      );
      credentialB = await createToken(
        server,
        ['4aaab5fb-5586-43df-87e3-ff168fdd0539'],
        { description: 'B data' },
        b.token,
      );
      gatewayA = (await createToken(server, [DATA_GATEWAY_ID], {}, a.token)).token;
      gatewayB = (await createToken(server, [DATA_GATEWAY_ID], {}, b.token)).token;
    });

    it('issues auth tokens for a database to its own organization only', async () => {
      expect((await login(dbA, credentialA)).status).toBe(201);
      expect((await login(dbA, credentialB)).status).toBe(401);
      expect((await login(dbB, credentialA)).status).toBe(401);
      expect(
        (
          await call(server, 'POST', `${authPath(dbA)}/token/generate`, {
            body: { key: credentialB.clientId, secret: credentialB.secret },
          })
        ).status,
      ).toBe(401);
    });

    it('issues no auth token for a database to a credential scoped to another database or keyspace', async () => {
      expect((await login(dbA2, onDbA2)).status).toBe(201);
      expect((await login(dbA2, onKeyspaceOfDbA2)).status).toBe(201);
      expect((await login(dbA, onDbA2)).status).toBe(401);
      expect((await login(dbA, onKeyspaceOfDbA2)).status).toBe(401);
    });

    it('keeps an auth token to the database it was issued for', async () => {
      const authTokenB = (await login(dbB, credentialB)).body.authToken as string;
      const authTokenA = (await login(dbA, credentialA)).body.authToken as string;
      expect((await decide(gatewayB, dbB, authTokenB)).body.allowed).toBe(true);
      expect((await decide(gatewayA, dbA, authTokenA)).body.allowed).toBe(true);
      expect((await decide(gatewayA, dbA, authTokenB)).body).toMatchObject({ allowed: false, principal: null });
      expect((await decide(gatewayA, dbA2, authTokenA)).body).toMatchObject({ allowed: false, principal: null });
    });

    it("decides for its own organization's databases and credentials only", async () => {
      expect((await decide(gatewayA, dbA, credentialA.token)).body.allowed).toBe(true);
      // Another organization's database is unknown to the gateway.
      expect((await decide(gatewayB, dbA, credentialA.token)).body).toMatchObject({ allowed: false, principal: null });
      expect((await decide(gatewayA, dbB, credentialB.token)).body).toMatchObject({ allowed: false, principal: null });
      // Another organization's credential is not valid here, even though its roles name "its own" organization.
      expect((await decide(gatewayA, dbA, credentialB.token)).body).toMatchObject({ allowed: false, principal: null });
      expect((await decide(gatewayB, dbB, credentialA.token)).body).toMatchObject({ allowed: false, principal: null });
    });

    it('holds a scoped credential to its database and keyspace', async () => {
      expect((await decide(gatewayA, dbA2, onDbA2.token)).body.allowed).toBe(true);
      expect((await decide(gatewayA, dbA, onDbA2.token)).body.allowed).toBe(false);
      expect((await decide(gatewayA, dbA2, onKeyspaceOfDbA2.token, { keyspace: 'main' })).body.allowed).toBe(true);
      expect((await decide(gatewayA, dbA2, onKeyspaceOfDbA2.token, { keyspace: 'extra' })).body.allowed).toBe(false);
      // A keyspace whose name starts with the granted one is another keyspace.
      expect((await decide(gatewayA, dbA2, onKeyspaceOfDbA2.token, { keyspace: 'main2' })).body.allowed).toBe(false);
      expect((await decide(gatewayA, dbA2, onKeyspaceOfDbA2.token, { keyspace: 'mai' })).body.allowed).toBe(false);
      expect((await decide(gatewayA, dbA, onKeyspaceOfDbA2.token, { keyspace: 'main' })).body.allowed).toBe(false);
    });

    it("audits a gateway's denials in the gateway's organization only", async () => {
      await decide(gatewayA, dbA, credentialB.token);
      const auditA = await call(server, 'GET', '/v2/organizations/audit-events?action=DATA_ACCESS_DENIED&limit=100', {
        token: a.token,
      });
      const auditB = await call(server, 'GET', '/v2/organizations/audit-events?limit=100', { token: b.token });
      expect(auditA.text).toContain('The credential is not valid for this database.');
      expect(auditA.text).not.toContain(credentialB.clientId);
      // B sees its own gateway's questions, but nothing of A's credentials or of A's databases' life.
      expect(auditB.text).not.toContain(credentialA.clientId);
      expect(auditB.text).not.toContain('alpha');
      expect(auditB.text).not.toContain(dbA2);
    });
  });
});
