import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, DATA_GATEWAY_ID } from '../../src/iam/builtin-roles.js';
import { eventually } from '../support/polling.js';
import { call, createToken, settle, startServer, type TestServer } from '../support/server.js';
import { STORE } from '../support/stores.js';

const roleId = (name: string) => BUILTIN_ROLES.find((r) => r.name === name)!.id;
/** The staleness Orrery promises across processes on PostgreSQL. */
const WITHIN_ONE_SECOND = 1_000;

// Two servers on one PostgreSQL, each with its own read cache and its own notice listener, as two
// deployed processes have. Every change is made through the first and must be honoured by the second,
// which has the old state cached, within one second.
describe.runIf(STORE === 'postgres')('the read cache of two servers on one PostgreSQL', () => {
  let first: TestServer;
  let second: TestServer;
  let databaseId: string;
  let gateway: string;

  beforeAll(async () => {
    first = await startServer();
    second = await startServer({ store: first.store, bootstrapToken: first.adminToken });
    const created = await call(first, 'POST', '/v2/databases', {
      token: first.adminToken,
      body: { name: 'shared', cloudProvider: 'GCP', region: 'us-east1' },
    });
    databaseId = created.headers.get('location')!;
    await settle(first, first.adminToken, databaseId, 'ACTIVE');
    gateway = (await createToken(first, [DATA_GATEWAY_ID])).token;
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const currentOrg = (server: TestServer, token: string) => call(server, 'GET', '/v2/currentOrg', { token });
  const authorize = (server: TestServer, body: Record<string, unknown>) =>
    call(server, 'POST', '/v2/data-gateway/authorize', {
      token: gateway,
      body: {
        address: '198.51.100.7',
        databaseId,
        keyspace: 'app',
        table: 'users',
        action: 'db-table-select',
        ...body,
      },
    });
  const honoured = (check: () => Promise<boolean>, what: string) =>
    eventually(check, what, { timeoutMs: WITHIN_ONE_SECOND });

  /** Ends the connections on which both servers listen for cache notices, as a failover or a network cut would. */
  async function cutNoticeConnections(): Promise<number> {
    const admin = new pg.Client({ connectionString: first.store.databaseUrl });
    await admin.connect();
    try {
      const result = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'orrery-cache-listener' AND datname = current_database()`,
      );
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  it('refuses on the other server a token revoked through one', async () => {
    const created = await createToken(first, [roleId('Organization Administrator')]);
    expect((await currentOrg(second, created.token)).status).toBe(200);
    expect((await currentOrg(second, created.token)).status).toBe(200);
    expect((await call(first, 'DELETE', `/v2/tokens/${created.clientId}`, { token: first.adminToken })).status).toBe(
      200,
    );
    await honoured(async () => (await currentOrg(second, created.token)).status === 401, 'the revocation');
  });

  it('applies on the other server a role changed through one', async () => {
    const policy = (actions: string[]) => ({
      name: 'viewer',
      policy: {
        description: 'views databases',
        effect: 'allow',
        resources: [`drn:astra:org:${first.orgId}`, `drn:astra:org:${first.orgId}:db:*`],
        actions,
      },
    });
    const role = await call(first, 'POST', '/v2/organizations/roles', {
      token: first.adminToken,
      body: policy(['org-db-view', 'org-read']),
    });
    expect(role.status).toBe(201);
    const viewer = await createToken(first, [role.body.ID as string]);
    const view = () => call(second, 'GET', `/v2/databases/${databaseId}`, { token: viewer.token });
    expect((await view()).status).toBe(200);
    const changed = await call(first, 'PUT', `/v2/organizations/roles/${role.body.ID}`, {
      token: first.adminToken,
      body: policy(['org-read']),
    });
    expect(changed.status).toBe(200);
    await honoured(async () => (await view()).status === 403, 'the role change');
  });

  it("applies on the other server a database's access list changed through one", async () => {
    const reader = await createToken(first, [roleId('R/W User')]);
    expect((await authorize(second, { credential: reader.token })).body.allowed).toBe(true);
    const listed = await call(first, 'POST', `/v2/databases/${databaseId}/access-list`, {
      token: first.adminToken,
      body: [{ address: '203.0.113.0/24', enabled: true, description: 'office' }],
    });
    expect(listed.status).toBe(204);
    await honoured(
      async () => (await authorize(second, { credential: reader.token })).body.allowed === false,
      'the access list',
    );
    expect((await authorize(second, { credential: reader.token, address: '203.0.113.9' })).body.allowed).toBe(true);
    await call(first, 'DELETE', `/v2/databases/${databaseId}/access-list`, { token: first.adminToken });
    await honoured(
      async () => (await authorize(second, { credential: reader.token })).body.allowed === true,
      'the removed access list',
    );
  });

  it('keeps honouring changes after the notice connection is cut, also changes made while it was down', async () => {
    const before = await createToken(first, [roleId('Organization Administrator')]);
    const during = await createToken(first, [roleId('Organization Administrator')]);
    for (const token of [before.token, during.token]) expect((await currentOrg(second, token)).status).toBe(200);

    expect(await cutNoticeConnections()).toBe(2);
    // Revoked before the servers can have listened again: no notice of it reaches them.
    await call(first, 'DELETE', `/v2/tokens/${during.clientId}`, { token: first.adminToken });
    await honoured(async () => (await currentOrg(second, during.token)).status === 401, 'the revocation while cut');

    // Listening again: notices flow, and what is cached again is forgotten when it changes.
    await honoured(async () => (await listeners()) === 2, 'both listeners to reconnect');
    expect((await currentOrg(second, before.token)).status).toBe(200);
    await call(first, 'DELETE', `/v2/tokens/${before.clientId}`, { token: first.adminToken });
    await honoured(async () => (await currentOrg(second, before.token)).status === 401, 'the revocation after');
  });

  it("applies on the other server a database's status changed through one", async () => {
    const reader = await createToken(first, [roleId('R/W User')]);
    expect((await authorize(second, { credential: reader.token })).body.allowed).toBe(true);
    expect((await call(second, 'GET', `/v2/databases/${databaseId}`, { token: first.adminToken })).body.status).toBe(
      'ACTIVE',
    );
    expect(
      (await call(first, 'POST', `/v2/databases/${databaseId}/terminate`, { token: first.adminToken })).status,
    ).toBe(202);
    await honoured(
      async () => (await authorize(second, { credential: reader.token })).body.allowed === false,
      'the terminating database to be refused',
    );
    const seen = await call(second, 'GET', `/v2/databases/${databaseId}`, { token: first.adminToken });
    expect(seen.body.status).toBe('TERMINATING');
  });

  async function listeners(): Promise<number> {
    const admin = new pg.Client({ connectionString: first.store.databaseUrl });
    await admin.connect();
    try {
      const result = await admin.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE application_name = 'orrery-cache-listener' AND datname = current_database()`,
      );
      return result.rows[0].n as number;
    } finally {
      await admin.end();
    }
  }
});
