import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { BUILTIN_ROLES } from '../../src/iam/builtin-roles.js';
import { call, createToken, expectError, startServer, settle, type TestServer } from '../support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('databases', () => {
  let server: TestServer;
  let token: string;
  const create = (body: Record<string, unknown>) => call(server, 'POST', '/v2/databases', { token, body });
  async function activeDatabase(body: Record<string, unknown> = {}): Promise<string> {
    const response = await create({ name: 'db', cloudProvider: 'GCP', region: 'us-east1', ...body });
    expect(response.status).toBe(201);
    const id = response.headers.get('location')!;
    await settle(server, token, id, 'ACTIVE');
    return id;
  }

  beforeAll(async () => {
    server = await startServer();
    token = server.adminToken;
  });
  afterAll(() => server.close());

  it('creates with 201 and a bare id in Location, starts PENDING in the request and becomes ACTIVE', async () => {
    const response = await create({ name: 'vectors', cloudProvider: 'gcp', region: 'us-east1', dbType: 'vector' });
    expect(response.status).toBe(201);
    expect(response.text).toBe('');
    const id = response.headers.get('location')!;
    expect(id).toMatch(UUID);
    const first = await call(server, 'GET', `/v2/databases/${id}`, { token });
    expect(first.body.status).toBe('PENDING');
    const db = await settle(server, token, id, 'ACTIVE');
    expect(db).toMatchObject({
      id,
      orgId: server.orgId,
      terminationTime: '0001-01-01T00:00:00Z',
      info: {
        name: 'vectors',
        keyspace: 'default_keyspace',
        keyspaces: ['default_keyspace'],
        additionalKeyspaces: [],
        cloudProvider: 'GCP',
        region: 'us-east1',
        tier: 'serverless',
        capacityUnits: 1,
        dbType: 'vector',
      },
      storage: {
        nodeCount: expect.any(Number),
        replicationFactor: expect.any(Number),
        totalStorage: expect.any(Number),
      },
      dataEndpointUrl: `https://${id}-us-east1.apps.astra.datastax.com/api/rest`,
    });
    expect(db.info.datacenters).toEqual([
      expect.objectContaining({
        id: `${id}-1`,
        region: 'us-east1',
        status: 'ACTIVE',
        dateCreated: expect.stringMatching(/Z$/),
      }),
    ]);
    expect(db.availableActions).toEqual(expect.arrayContaining(['addKeyspace', 'removeKeyspace', 'terminate']));
    expect(db.availableActions).not.toContain('park');
  });

  it('answers 404 for an unknown id, as clients probing for permission expect', async () => {
    expectError(await call(server, 'GET', '/v2/databases/3f0e9a54-8a8f-4a40-9d1c-4f5b1c2d3e4f', { token }), 404);
  });

  it.each([
    [{ cloudProvider: 'GCP', region: 'us-east1' }, /name/],
    [{ name: 'x', cloudProvider: 'IBM', region: 'us-east1' }, /cloudProvider/],
    [{ name: 'x', cloudProvider: 'AWS', region: 'us-east1' }, /region/],
    [{ name: 'bad name!', cloudProvider: 'GCP', region: 'us-east1' }, /name/],
    [{ name: 'x', cloudProvider: 'GCP', region: 'us-east1', capacityUnits: 0 }, /capacityUnits/],
    [{ name: 'x', cloudProvider: 'GCP', region: 'us-east1', tier: 'gold' }, /tier/],
    [{ name: 'x', cloudProvider: 'GCP', region: 'us-east1', keyspace: '1bad' }, /keyspace/],
  ])('rejects %o with 400', async (body, message) => {
    const response = await create(body);
    expectError(response, 400);
    expect(response.body.errors[0].message).toMatch(message);
  });

  it('adds and drops keyspaces through MAINTENANCE', async () => {
    const id = await activeDatabase();
    const added = await call(server, 'POST', `/v2/databases/${id}/keyspaces/orders`, {
      token,
      headers: { 'content-type': 'application/json' },
    });
    expect(added.status).toBe(201);
    expect((await call(server, 'GET', `/v2/databases/${id}`, { token })).body.status).toBe('MAINTENANCE');
    const after = await settle(server, token, id, 'ACTIVE');
    expect(after.info.keyspaces).toEqual(['default_keyspace', 'orders']);
    expect(after.info.additionalKeyspaces).toEqual(['orders']);

    expectError(await call(server, 'POST', `/v2/databases/${id}/keyspaces/orders`, { token }), 409);
    expectError(await call(server, 'POST', `/v2/databases/${id}/keyspaces/no-dashes`, { token }), 400);
    expectError(await call(server, 'POST', `/v2/databases/${id}/keyspaces/${'k'.repeat(49)}`, { token }), 400);

    expect((await call(server, 'DELETE', `/v2/databases/${id}/keyspaces/orders`, { token })).status).toBe(202);
    expect((await settle(server, token, id, 'ACTIVE')).info.keyspaces).toEqual(['default_keyspace']);
    expect((await call(server, 'DELETE', `/v2/databases/${id}/keyspaces/orders`, { token })).status).toBe(204);
  });

  it('refuses a keyspace change while the database is not ACTIVE', async () => {
    // A server of its own: a second one on this store's SQLite directory would be refused.
    const slow = await startServer({ provisioningSpeed: 60_000 });
    const slowToken = slow.adminToken;
    const id = (
      await call(slow, 'POST', '/v2/databases', {
        token: slowToken,
        body: { name: 'slow', cloudProvider: 'AWS', region: 'us-east-1' },
      })
    ).headers.get('location')!;
    expectError(await call(slow, 'POST', `/v2/databases/${id}/keyspaces/later`, { token: slowToken }), 409);
    await slow.close();
  });

  it('terminates with 202 and keeps the database readable as TERMINATED', async () => {
    const id = await activeDatabase();
    expect((await call(server, 'POST', `/v2/databases/${id}/terminate`, { token })).status).toBe(202);
    expect((await call(server, 'GET', `/v2/databases/${id}`, { token })).body.status).toBe('TERMINATING');
    const gone = await settle(server, token, id, 'TERMINATED');
    expect(gone.terminationTime).not.toBe('0001-01-01T00:00:00Z');
    expectError(await call(server, 'POST', `/v2/databases/${id}/terminate`, { token }), 409);
  });

  it('parks, unparks and resizes classic databases only', async () => {
    const serverless = await activeDatabase();
    expectError(await call(server, 'POST', `/v2/databases/${serverless}/park`, { token }), 409);
    expectError(
      await call(server, 'POST', `/v2/databases/${serverless}/resize`, { token, body: { capacityUnits: 2 } }),
      409,
    );

    const classic = await activeDatabase({ tier: 'C10' });
    expect((await call(server, 'POST', `/v2/databases/${classic}/park`, { token })).status).toBe(202);
    await settle(server, token, classic, 'PARKED');
    expectError(await call(server, 'POST', `/v2/databases/${classic}/park`, { token }), 409);
    expect((await call(server, 'POST', `/v2/databases/${classic}/unpark`, { token })).status).toBe(202);
    await settle(server, token, classic, 'ACTIVE');
    expectError(
      await call(server, 'POST', `/v2/databases/${classic}/resize`, { token, body: { capacityUnits: 9 } }),
      400,
    );
    expect(
      (await call(server, 'POST', `/v2/databases/${classic}/resize`, { token, body: { capacityUnits: 3 } })).status,
    ).toBe(202);
    expect((await settle(server, token, classic, 'ACTIVE')).info.capacityUnits).toBe(3);
  });

  it('adds and terminates datacenters in further regions, with ids <databaseId>-<n>', async () => {
    const id = await activeDatabase();
    expectError(
      await call(server, 'POST', `/v2/databases/${id}/datacenters`, {
        token,
        body: [{ cloudProvider: 'GCP', region: 'us-east1' }],
      }),
      409,
    );
    expectError(
      await call(server, 'POST', `/v2/databases/${id}/datacenters`, {
        token,
        body: [{ cloudProvider: 'GCP', region: 'mars-1' }],
      }),
      400,
    );
    expectError(await call(server, 'POST', `/v2/databases/${id}/datacenters`, { token, body: [] }), 400);
    const added = await call(server, 'POST', `/v2/databases/${id}/datacenters`, {
      token,
      body: [{ tier: 'serverless', cloudProvider: 'aws', region: 'us-east-2' }],
    });
    expect(added.status).toBe(201);
    // MAINTENANCE while the datacenter is added; with immediate provisioning it may already be over.
    expect((await call(server, 'GET', `/v2/databases/${id}`, { token })).body.status).toBe('MAINTENANCE');
    const database = await settle(server, token, id, 'ACTIVE');
    expect(
      database.info.datacenters.map((dc: { id: string; region: string; status: string }) => [
        dc.id,
        dc.region,
        dc.status,
      ]),
    ).toEqual([
      [`${id}-1`, 'us-east1', 'ACTIVE'],
      [`${id}-2`, 'us-east-2', 'ACTIVE'],
    ]);
    expect(database.info.datacenters[1].dataEndpointUrl).toBe(
      `https://${id}-us-east-2.apps.astra.datastax.com/api/rest`,
    );

    expectError(await call(server, 'POST', `/v2/databases/${id}/terminate`, { token }), 409);
    expectError(await call(server, 'POST', `/v2/databases/${id}/datacenters/${id}-7/terminate`, { token }), 404);
    expect((await call(server, 'POST', `/v2/databases/${id}/datacenters/${id}-2/terminate`, { token })).status).toBe(
      202,
    );
    await settle(server, token, id, 'ACTIVE');
    const live = await call(server, 'GET', `/v2/databases/${id}/datacenters`, { token });
    expect(live.body.map((dc: { id: string }) => dc.id)).toEqual([`${id}-1`]);
    const all = await call(server, 'GET', `/v2/databases/${id}/datacenters?all=true`, { token });
    expect(all.body.map((dc: { status: string }) => dc.status)).toEqual(['ACTIVE', 'TERMINATED']);
    expectError(await call(server, 'POST', `/v2/databases/${id}/datacenters/${id}-1/terminate`, { token }), 409);

    // A region given up can be taken again, under a new ordinal.
    expect(
      (
        await call(server, 'POST', `/v2/databases/${id}/datacenters`, {
          token,
          body: [{ cloudProvider: 'AWS', region: 'us-east-2' }],
        })
      ).status,
    ).toBe(201);
    const again = await settle(server, token, id, 'ACTIVE');
    expect(again.info.datacenters.map((dc: { id: string }) => dc.id)).toEqual([`${id}-1`, `${id}-3`]);
  });

  it('resets the password of classic databases only, keeping it only as a keyed hash', async () => {
    const serverless = await activeDatabase();
    expectError(
      await call(server, 'POST', `/v2/databases/${serverless}/resetPassword`, {
        token,
        body: { username: 'app', password: 'secret-1' },
      }),
      409,
    );
    const classic = await activeDatabase({ tier: 'C10', user: 'admin', password: 'first-password' });
    expectError(
      await call(server, 'POST', `/v2/databases/${classic}/resetPassword`, {
        token,
        body: { username: 'app', password: 'short' },
      }),
      400,
    );
    expectError(
      await call(server, 'POST', `/v2/databases/${classic}/resetPassword`, {
        token,
        body: { username: '', password: 'long-enough' },
      }),
      400,
    );
    expect(
      (
        await call(server, 'POST', `/v2/databases/${classic}/resetPassword`, {
          token,
          body: { username: 'app', password: 'second-password' },
        })
      ).status,
    ).toBe(202);
    const row = await server.app.store.db
      .selectFrom('database_users')
      .selectAll()
      .where('database_id', '=', classic)
      .executeTakeFirstOrThrow();
    expect(row.username).toBe('app');
    expect(JSON.stringify(row)).not.toContain('second-password');
    const audit = await call(server, 'GET', '/v2/organizations/audit-events', { token });
    expect(audit.text).toContain('DB_PASSWORD_RESET');
    expect(audit.text).not.toContain('second-password');
  });

  it('lists leniently and pages by starting_after until a short page', async () => {
    const fresh = await startServer();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await call(fresh, 'POST', '/v2/databases', {
        token: fresh.adminToken,
        body: { name: `p${i}`, cloudProvider: i % 2 ? 'AWS' : 'GCP', region: i % 2 ? 'us-east-2' : 'us-east1' },
      });
      ids.push(r.headers.get('location')!);
    }
    for (const id of ids) await settle(fresh, fresh.adminToken, id, 'ACTIVE');
    await call(fresh, 'POST', `/v2/databases/${ids[0]}/terminate`, { token: fresh.adminToken });
    await settle(fresh, fresh.adminToken, ids[0]!, 'TERMINATED');

    const list = (query: string) => call(fresh, 'GET', `/v2/databases${query}`, { token: fresh.adminToken });
    expect((await list('')).body).toHaveLength(6);
    for (const include of ['NONTERMINATED', 'non_terminated', 'nonterminated'])
      expect((await list(`?include=${include}`)).body).toHaveLength(6);
    expect((await list('?include=ALL')).body).toHaveLength(7);
    expect((await list('?include=terminated')).body.map((d: { id: string }) => d.id)).toEqual([ids[0]]);
    expect((await list('?provider=aws')).body).toHaveLength(3);
    expect((await list('?provider=Azure')).body).toHaveLength(0);
    expect((await list('?limit=1000')).body).toHaveLength(6);

    const seen: string[] = [];
    let after = '';
    for (let page = 0; page < 10; page++) {
      const body = (await list(`?include=all&limit=3${after}`)).body as { id: string }[];
      seen.push(...body.map((d) => d.id));
      if (body.length < 3) break;
      after = `&starting_after=${body.at(-1)!.id}`;
    }
    expect(seen).toEqual([...ids].sort());

    expectError(await list('?include=sleepy'), 400);
    expectError(await list('?provider=IBM'), 400);
    expectError(await list('?limit=abc'), 400);
    await fresh.close();
  });

  it('lists only the databases a scoped token may view', async () => {
    const visible = await activeDatabase({ name: 'visible' });
    await activeDatabase({ name: 'hidden' });
    const role = await call(server, 'POST', '/v2/organizations/roles', {
      token,
      body: {
        name: 'one db viewer',
        policy: {
          description: '',
          effect: 'allow',
          resources: [`drn:astra:org:${server.orgId}:db:${visible}`],
          actions: ['org-db-view'],
        },
      },
    });
    const scoped = await createToken(server, [role.body.ID]);
    const listed = await call(server, 'GET', '/v2/databases', { token: scoped.token });
    expect(listed.body.map((d: { id: string }) => d.id)).toEqual([visible]);
    expect((await call(server, 'GET', `/v2/databases/${visible}`, { token: scoped.token })).status).toBe(200);
    const ro = await createToken(server, [BUILTIN_ROLES.find((r) => r.name === 'RO Svc Acct')!.id]);
    expectError(await call(server, 'GET', '/v2/databases', { token: ro.token }), 403);
  });

  it('ends a share of creations in ERROR when faults are configured', async () => {
    const faulty = await startServer({ faultRate: 1 });
    const id = (
      await call(faulty, 'POST', '/v2/databases', {
        token: faulty.adminToken,
        body: { name: 'doomed', cloudProvider: 'GCP', region: 'us-east1' },
      })
    ).headers.get('location')!;
    const failed = await settle(faulty, faulty.adminToken, id, 'ERROR');
    expect(failed.message).toMatch(/failed/);
    expect((await call(faulty, 'POST', `/v2/databases/${id}/terminate`, { token: faulty.adminToken })).status).toBe(
      202,
    );
    await settle(faulty, faulty.adminToken, id, 'TERMINATED');
    await faulty.close();
  });

  it('lists regions for clients that validate before creating', async () => {
    const regions = await call(server, 'GET', '/v2/regions/serverless?filter-by-org=enabled&region-type=vector', {
      token,
    });
    expect(regions.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          cloudProvider: 'GCP',
          name: 'us-east1',
          zone: 'na',
          enabled: true,
          reservedForQualifiedUsers: false,
          classification: 'standard',
          displayName: expect.any(String),
        }),
      ]),
    );
    expect((await call(server, 'GET', '/v2/availableRegions', { token })).body[0]).toMatchObject({
      tier: 'serverless',
      cloudProvider: expect.any(String),
      region: expect.any(String),
    });
    expectError(await call(server, 'GET', '/v2/regions/serverless?region-type=quantum', { token }), 400);
  });
});

describe('lifecycle across restarts', () => {
  it('finishes a create, a keyspace change and a terminate that a restart interrupted, each step once', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const first = await startServer({ clock, provisioningSpeed: 1000 });
    const token = first.adminToken;
    const make = async (name: string) =>
      (
        await call(first, 'POST', '/v2/databases', { token, body: { name, cloudProvider: 'GCP', region: 'us-east1' } })
      ).headers.get('location')!;
    const keyspaced = await make('keyspaced');
    const terminated = await make('terminated');
    for (let i = 0; i < 2; i++) {
      clock.advance(1000);
      await first.app.services.lifecycle.runDue();
    }
    expect((await call(first, 'GET', `/v2/databases/${keyspaced}`, { token })).body.status).toBe('ACTIVE');

    // Three transitions in flight when the server stops.
    const created = await make('created');
    expect((await call(first, 'POST', `/v2/databases/${keyspaced}/keyspaces/kept`, { token })).status).toBe(201);
    expect((await call(first, 'POST', `/v2/databases/${terminated}/terminate`, { token })).status).toBe(202);
    await first.close();

    clock.advance(5000);
    const second = await startServer({ clock, store: first.store, bootstrapToken: token, provisioningSpeed: 1000 });
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await second.app.services.lifecycle.runDue();
    }
    await settle(second, token, created, 'ACTIVE');
    expect((await settle(second, token, keyspaced, 'ACTIVE')).info.keyspaces).toEqual(['default_keyspace', 'kept']);
    await settle(second, token, terminated, 'TERMINATED');
    expect(await second.app.store.db.selectFrom('lifecycle_jobs').selectAll().execute()).toEqual([]);
    await second.close();
  });
});
