import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orrery } from '../support/cli.js';
import { eventually } from '../support/polling.js';
import {
  addOrganization,
  call,
  createToken,
  expectError,
  randomToken,
  startServer,
  type TestServer,
} from '../support/server.js';
import { command, createDatabase as createDataApiDatabase, dataStoreExists } from '../data-api/support.js';

// Spawned commands are slow on a busy machine; the work itself is bounded.
vi.setConfig({ testTimeout: 240_000 });

const DATABASE_ADMINISTRATOR = 'd7e6d28b-0eaf-45a3-affe-f8c879350b4d';

async function createDatabase(server: TestServer, name: string, token = server.adminToken): Promise<string> {
  const created = await call(server, 'POST', '/v2/databases', {
    token,
    body: { name, cloudProvider: 'GCP', region: 'us-east1' },
  });
  expect(created.status).toBe(201);
  return created.headers.get('location')!;
}

async function statusOf(server: TestServer, id: string, token = server.adminToken): Promise<string> {
  return (await call(server, 'GET', `/v2/databases/${id}`, { token })).body.status;
}

describe('emulator controls', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ emulator: true, provisioningSpeed: 'manual' });
  });
  afterAll(() => server.close());

  it('are refused without an Organization Administrator token, and absent unless enabled', async () => {
    expectError(await call(server, 'POST', '/_orrery/reset'), 401);
    const dbAdmin = await createToken(server, [DATABASE_ADMINISTRATOR]);
    expectError(await call(server, 'POST', '/_orrery/reset', { token: dbAdmin.token }), 403);
    expectError(await call(server, 'GET', '/_orrery/journal', { token: dbAdmin.token }), 403);

    const plain = await startServer();
    try {
      expect((await call(plain, 'POST', '/_orrery/reset', { token: plain.adminToken })).status).toBe(404);
    } finally {
      await plain.close();
    }
    const spec = (await call(server, 'GET', '/openapi.json')).body;
    expect(spec.paths['/_orrery/reset'].post['x-orrery-extension']).toBe(true);
    expect(spec.paths['/_orrery/snapshots/{name}/restore'].post['x-orrery-extension']).toBe(true);
  });

  it('with manual speed, moves a database only when advanced, and forces any status', async () => {
    const id = await createDatabase(server, 'manual_db');
    expect(await statusOf(server, id)).toBe('PENDING');
    expect(await statusOf(server, id)).toBe('PENDING');
    const advance = () => call(server, 'POST', `/_orrery/databases/${id}/advance`, { token: server.adminToken });
    expect((await advance()).body).toEqual({ id, status: 'INITIALIZING' });
    expect((await advance()).body).toEqual({ id, status: 'ACTIVE' });
    expectError(await advance(), 409);

    const forced = await call(server, 'POST', `/_orrery/databases/${id}/status`, {
      token: server.adminToken,
      body: { status: 'HIBERNATED' },
    });
    expect(forced.body).toEqual({ id, status: 'HIBERNATED' });
    expect(await statusOf(server, id)).toBe('HIBERNATED');
    await call(server, 'POST', `/_orrery/databases/${id}/status`, {
      token: server.adminToken,
      body: { status: 'ERROR' },
    });
    expect(await statusOf(server, id)).toBe('ERROR');
    expectError(
      await call(server, 'POST', `/_orrery/databases/${id}/status`, {
        token: server.adminToken,
        body: { status: 'SHINY' },
      }),
      400,
    );

    // Another organization's administrator cannot see or move this database.
    const other = await addOrganization(server, 'Other');
    expectError(await call(server, 'POST', `/_orrery/databases/${id}/advance`, { token: other.token }), 404);
    expectError(
      await call(server, 'POST', `/_orrery/databases/${id}/status`, { token: other.token, body: { status: 'ACTIVE' } }),
      404,
    );
  });

  it('shows the CLI progress through each status of a hand-driven database', async () => {
    const env = {
      ORRERY_URL: server.url,
      ORRERY_TOKEN: server.adminToken,
      ORRERY_CONFIG: path.join(os.tmpdir(), 'orrery-none.json'),
    };
    const waiting = orrery(['db', 'create', 'driven', '-o', 'json', '--timeout', '40'], env);
    const id = await eventually(
      async () =>
        (await call(server, 'GET', '/v2/databases', { token: server.adminToken })).body.find(
          (d: { info: { name: string } }) => d.info.name === 'driven',
        )?.id as string | undefined,
      'the CLI to create the database',
      { everyMs: 100 },
    );
    // Move on only after the CLI has polled the current status, which the journal shows.
    const polls = async () =>
      (await call(server, 'GET', `/_orrery/journal?method=GET&path=/v2/databases/${id}`, { token: server.adminToken }))
        .body.entries.length as number;
    for (let step = 0; step < 2; step += 1) {
      const seen = await polls();
      await eventually(async () => (await polls()) !== seen, 'the CLI to poll the status', { everyMs: 100 });
      await call(server, 'POST', `/_orrery/databases/${id}/advance`, { token: server.adminToken });
    }
    const result = await waiting;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id, status: 'ACTIVE' });
    expect(result.stderr).toContain(`database ${id} is PENDING, waiting for ACTIVE`);
    expect(result.stderr).toContain(`database ${id} is INITIALIZING, waiting for ACTIVE`);
    expect(result.stderr).toContain(`database ${id} is ACTIVE`);
  });

  it('keeps a journal of requests with secrets masked, filtered, also shown by orrery journal', async () => {
    await call(server, 'DELETE', '/_orrery/journal', { token: server.adminToken });
    const token = await createToken(server, [DATABASE_ADMINISTRATOR], { description: 'journal' });
    const id = await createDatabase(server, 'journal_db');
    await call(server, 'POST', `/_orrery/databases/${id}/status`, {
      token: server.adminToken,
      body: { status: 'ACTIVE' },
    });
    await call(server, 'POST', `/v2/databases/${id}/resetPassword`, {
      token: token.token,
      body: { username: 'u', password: 'hunter2-secret' },
    });
    await call(server, 'POST', `/data/${id}-us-east1/api/rest/v1/auth`, {
      body: { username: 'token', password: token.token },
    });

    const all = (await call(server, 'GET', '/_orrery/journal', { token: server.adminToken })).body.entries;
    expect(all.map((e: { method: string; path: string }) => `${e.method} ${e.path}`)).toEqual([
      'POST /v2/tokens',
      'POST /v2/databases',
      `POST /_orrery/databases/${id}/status`,
      `POST /v2/databases/${id}/resetPassword`,
      `POST /data/${id}-us-east1/api/rest/v1/auth`,
    ]);
    const text = JSON.stringify(all);
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain(token.token);
    expect(all[3].body).toEqual({ username: 'u', password: '***' });
    expect(all[3].caller).toBe(token.clientId);
    expect(all[1].body).toEqual({ name: 'journal_db', cloudProvider: 'GCP', region: 'us-east1' });
    expect(typeof all[1].durationMs).toBe('number');

    const filtered = await call(server, 'GET', `/_orrery/journal?path=resetPassword&caller=${token.clientId}`, {
      token: server.adminToken,
    });
    expect(filtered.body.entries).toHaveLength(1);
    expect(filtered.body.entries[0].status).toBe(all[3].status);

    const cli = await orrery(['journal', '--method', 'POST', '--path', '/v2/databases', '-o', 'json'], {
      ORRERY_URL: server.url,
      ORRERY_TOKEN: server.adminToken,
      ORRERY_CONFIG: path.join(os.tmpdir(), 'orrery-none.json'),
    });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).map((e: { path: string }) => e.path)).toEqual([
      '/v2/databases',
      `/v2/databases/${id}/resetPassword`,
    ]);
  });
});

describe('reset, snapshots and seed files', () => {
  it('seeds a known world at first start, snapshots it, and restores it after changes and a reset', async () => {
    const seedAdmin = randomToken();
    const seedReader = randomToken();
    const seedFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'orrery-seed-')), 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        organizations: [
          {
            name: 'Seeded Org',
            adminToken: seedAdmin,
            roles: [{ name: 'Viewer', actions: ['org-db-view', 'org-read'] }],
            tokens: [{ token: seedReader, roles: ['Viewer'], description: 'reader' }],
            users: [{ email: 'grace@example.com', roles: ['viewer'] }],
            databases: [{ name: 'seeded_db', cloudProvider: 'AWS', region: 'us-east-2', keyspaces: ['main', 'extra'] }],
          },
        ],
      }),
    );
    const bootstrapToken = randomToken();
    const server = await startServer({ emulator: true, seedFile, bootstrapToken, provisioningSpeed: 'manual' });
    try {
      expect((await call(server, 'GET', '/v2/currentOrg', { token: seedAdmin })).body.name).toBe('Seeded Org');
      const databases = (await call(server, 'GET', '/v2/databases', { token: seedReader })).body;
      expect(
        databases.map((d: { info: { name: string; keyspaces: string[] }; status: string }) => [
          d.info.name,
          d.status,
          d.info.keyspaces,
        ]),
      ).toEqual([['seeded_db', 'ACTIVE', ['main', 'extra']]]);
      expectError(await call(server, 'POST', '/v2/tokens', { token: seedReader, body: { roles: [] } }), 403);
      const users = (await call(server, 'GET', '/v2/organizations/users', { token: seedAdmin })).body.Users;
      expect(
        users.map((u: { Email: string; Roles: { Name: string }[] }) => [u.Email, u.Roles.map((r) => r.Name)]),
      ).toEqual([['grace@example.com', ['Viewer']]]);

      const saved = await call(server, 'POST', '/_orrery/snapshots/known-world', { token: bootstrapToken });
      expect(saved.status).toBe(201);
      const seededId = databases[0].id;

      // Change the world: a new database, a revoked token, a terminated one.
      const extra = await createDatabase(server, 'after_snapshot', seedAdmin);
      await call(server, 'DELETE', `/v2/tokens/${seedReader.split(':')[1]}`, { token: seedAdmin });
      await call(server, 'POST', `/v2/databases/${seededId}/terminate`, { token: seedAdmin });
      expect((await call(server, 'GET', '/v2/databases', { token: seedReader })).status).toBe(401);

      expect(
        (await call(server, 'POST', '/_orrery/snapshots/known-world/restore', { token: bootstrapToken })).status,
      ).toBe(204);
      const restored = (await call(server, 'GET', '/v2/databases?include=all', { token: seedReader })).body;
      expect(restored.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([[seededId, 'ACTIVE']]);
      expectError(await call(server, 'GET', `/v2/databases/${extra}`, { token: seedAdmin }), 404);

      // Reset empties everything, then makes the first organization with the bootstrap token and applies the seed again.
      const reset = await call(server, 'POST', '/_orrery/reset', { token: bootstrapToken });
      expect(reset.status).toBe(200);
      expect(reset.body.adminToken).toBeUndefined();
      expect((await call(server, 'GET', '/v2/databases', { token: bootstrapToken })).body).toEqual([]);
      const reseeded = (await call(server, 'GET', '/v2/databases', { token: seedReader })).body;
      expect(reseeded.map((d: { info: { name: string } }) => d.info.name)).toEqual(['seeded_db']);
      expect(reseeded[0].id).not.toBe(seededId);
      expect(
        (await call(server, 'GET', '/_orrery/snapshots', { token: bootstrapToken })).body.map(
          (s: { name: string }) => s.name,
        ),
      ).toEqual(['known-world']);

      // The snapshot outlives the reset.
      expect(
        (await call(server, 'POST', '/_orrery/snapshots/known-world/restore', { token: bootstrapToken })).status,
      ).toBe(204);
      expect((await call(server, 'GET', `/v2/databases/${seededId}`, { token: seedAdmin })).body.status).toBe('ACTIVE');
      expectError(await call(server, 'POST', '/_orrery/snapshots/nothing/restore', { token: bootstrapToken }), 404);
    } finally {
      await server.close();
    }
  });
});

describe("snapshots of the databases' data", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ emulator: true });
  });
  afterAll(() => server.close());

  const control = (path: string) => call(server, 'POST', path, { token: server.adminToken });
  const documents = async (collection: string) =>
    (await command(server, collection, { find: { sort: { _id: 1 } } })).body.data?.documents;

  it('saves each data store with the snapshot, and restores exactly that data', async () => {
    const first = await createDataApiDatabase(server);
    const second = await createDataApiDatabase(server, server.adminToken, { name: 'second' });
    const docs = `${first.path}/default_keyspace/docs`;
    const other = `${second.path}/default_keyspace/other`;
    await command(server, `${first.path}/default_keyspace`, {
      createCollection: { name: 'docs', options: { vector: { dimension: 2, metric: 'euclidean' } } },
    });
    await command(server, docs, {
      insertMany: {
        documents: [
          { _id: 'kept', $vector: [1, 0] },
          { _id: 'changed', n: 1 },
        ],
      },
    });
    await command(server, `${second.path}/default_keyspace`, { createCollection: { name: 'other' } });
    await command(server, other, { insertOne: { document: { _id: 'o1' } } });
    expect((await control('/_orrery/snapshots/with-data')).status).toBe(201);

    await command(server, docs, { insertOne: { document: { _id: 'added' } } });
    await command(server, docs, { updateOne: { filter: { _id: 'changed' }, update: { $set: { n: 2 } } } });
    await command(server, docs, { deleteOne: { filter: { _id: 'kept' } } });
    await command(server, `${second.path}/default_keyspace`, { deleteCollection: { name: 'other' } });
    const third = await createDataApiDatabase(server, server.adminToken, { name: 'third' });
    await command(server, `${third.path}/default_keyspace`, { createCollection: { name: 'later' } });
    expect(await dataStoreExists(server.store, third.id)).toBe(true);

    expect((await control('/_orrery/snapshots/with-data/restore')).status).toBe(204);
    expect(await documents(docs)).toEqual([{ _id: 'changed', n: 1 }, { _id: 'kept' }]);
    const nearest = await command(server, docs, {
      findOne: { sort: { $vector: [1, 0] }, projection: { $vector: 1 }, options: { includeSimilarity: true } },
    });
    expect(nearest.body.data.document).toEqual({ _id: 'kept', $vector: [1, 0], $similarity: 1 });
    expect(await documents(other)).toEqual([{ _id: 'o1' }]);
    expect((await command(server, `${third.path}/default_keyspace`, { findCollections: {} })).status).toBe(404);
    expect(await dataStoreExists(server.store, third.id)).toBe(false);

    // The restored stores go on taking writes: new rows and collections get new ids.
    await command(server, docs, { insertOne: { document: { _id: 'next' } } });
    expect(await documents(docs)).toEqual([{ _id: 'changed', n: 1 }, { _id: 'kept' }, { _id: 'next' }]);
    await command(server, `${first.path}/default_keyspace`, { createCollection: { name: 'fresh' } });
    await command(server, `${first.path}/default_keyspace/fresh`, { insertOne: { document: { _id: 'f1' } } });
    expect(await documents(`${first.path}/default_keyspace/fresh`)).toEqual([{ _id: 'f1' }]);
    expect(await documents(docs)).toHaveLength(3);

    // A reset deletes every database's data with the databases.
    expect((await control('/_orrery/reset')).status).toBe(200);
    expect(await dataStoreExists(server.store, first.id)).toBe(false);
    expect(await dataStoreExists(server.store, second.id)).toBe(false);
  });
});
