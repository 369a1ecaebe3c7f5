import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, settle, type TestServer } from '../support/server.js';
import { STORE } from '../support/stores.js';
import { command, createDatabase, dataStoreExists } from './support.js';

describe('the data plane behind the lifecycle', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  it('refuses data requests while parked, and serves the same data after unparking', async () => {
    const db = await createDatabase(server, server.adminToken, { name: 'classic', tier: 'A5', capacityUnits: 1 });
    const things = `${db.path}/default_keyspace/things`;
    await command(server, `${db.path}/default_keyspace`, { createCollection: { name: 'things' } });
    await command(server, things, {
      insertMany: {
        documents: [
          { _id: 1, a: 'x' },
          { _id: 2, a: 'y' },
        ],
      },
    });

    expect((await call(server, 'POST', `/v2/databases/${db.id}/park`, { token: server.adminToken })).status).toBe(202);
    await settle(server, server.adminToken, db.id, 'PARKED');
    const parked = await command(server, things, { find: {} });
    expect(parked.status).toBe(503);
    expect(parked.body.errors[0]).toMatchObject({
      errorCode: 'UNAVAILABLE_DATABASE',
      family: 'SERVER',
      scope: 'DATABASE',
    });

    expect((await call(server, 'POST', `/v2/databases/${db.id}/unpark`, { token: server.adminToken })).status).toBe(
      202,
    );
    await settle(server, server.adminToken, db.id, 'ACTIVE');
    expect((await command(server, things, { find: { sort: { _id: 1 } } })).body.data.documents).toEqual([
      { _id: 1, a: 'x' },
      { _id: 2, a: 'y' },
    ]);
  });

  it('creates keyspaces given at database creation and through the DevOps API, and drops them with their data', async () => {
    const db = await createDatabase(server, server.adminToken, { name: 'ks', keyspace: 'shop' });
    expect((await command(server, db.path, { findKeyspaces: {} })).body.status.keyspaces).toEqual(['shop']);
    await call(server, 'POST', `/v2/databases/${db.id}/keyspaces/audit`, { token: server.adminToken });
    await settle(server, server.adminToken, db.id, 'ACTIVE');
    expect((await command(server, db.path, { findKeyspaces: {} })).body.status.keyspaces).toEqual(['shop', 'audit']);
    await command(server, `${db.path}/audit`, { createCollection: { name: 'log' } });
    await command(server, `${db.path}/audit/log`, { insertOne: { document: { _id: 'e1' } } });

    await call(server, 'DELETE', `/v2/databases/${db.id}/keyspaces/audit`, { token: server.adminToken });
    await settle(server, server.adminToken, db.id, 'ACTIVE');
    const gone = await command(server, `${db.path}/audit/log`, { find: {} });
    expect(gone.body.errors[0]).toMatchObject({ errorCode: 'UNKNOWN_KEYSPACE', scope: 'SCHEMA' });
    // Creating the keyspace again finds it empty.
    await call(server, 'POST', `/v2/databases/${db.id}/keyspaces/audit`, { token: server.adminToken });
    await settle(server, server.adminToken, db.id, 'ACTIVE');
    expect((await command(server, `${db.path}/audit`, { findCollections: {} })).body.status.collections).toEqual([]);
  });

  it('creates and drops keyspaces through the Data API database commands', async () => {
    const db = await createDatabase(server, server.adminToken, { name: 'cmds' });
    expect((await command(server, db.path, { createKeyspace: { name: 'extra' } })).body.status).toEqual({ ok: 1 });
    await settle(server, server.adminToken, db.id, 'ACTIVE');
    const listed = await command(server, db.path, { findNamespaces: {} });
    expect(listed.body.status.namespaces).toEqual(['default_keyspace', 'extra']);
    expect(listed.body.status.warnings[0]).toMatchObject({ errorCode: 'DEPRECATED_COMMAND', scope: 'WARNING' });
    expect((await command(server, db.path, { dropKeyspace: { name: 'extra' } })).body.status).toEqual({ ok: 1 });
    await settle(server, server.adminToken, db.id, 'ACTIVE');
    expect((await command(server, db.path, { findKeyspaces: {} })).body.status.keyspaces).toEqual(['default_keyspace']);
    expect((await command(server, db.path, { findEmbeddingProviders: {} })).body.status).toEqual({
      embeddingProviders: {},
    });
    expect((await command(server, db.path, { findRerankingProviders: {} })).body.status).toEqual({
      rerankingProviders: {},
    });
  });

  it('keeps every acknowledged document across a restart, and deletes the data on terminate', async () => {
    const db = await createDatabase(server, server.adminToken, { name: 'durable' });
    const things = `${db.path}/default_keyspace/things`;
    await command(server, `${db.path}/default_keyspace`, {
      createCollection: { name: 'things', options: { indexing: { deny: ['blob'] } } },
    });
    const documents = Array.from({ length: 60 }, (_, i) => ({ _id: i, n: i, blob: 'b'.repeat(10) }));
    expect(
      (await command(server, things, { insertMany: { documents: documents.slice(0, 30) } })).body.status.insertedIds,
    ).toHaveLength(30);
    expect(
      (await command(server, things, { insertMany: { documents: documents.slice(30) } })).body.status.insertedIds,
    ).toHaveLength(30);

    const store = server.store;
    await server.close();
    server = await startServer({ store, bootstrapToken: server.adminToken });
    expect((await command(server, things, { countDocuments: {} })).body.status).toEqual({ count: 60 });
    expect((await command(server, things, { findOne: { filter: { n: 59 } } })).body.data.document).toEqual({
      _id: 59,
      n: 59,
      blob: 'bbbbbbbbbb',
    });
    expect(
      (await command(server, `${db.path}/default_keyspace`, { findCollections: { options: { explain: true } } })).body
        .status.collections,
    ).toEqual([
      {
        name: 'things',
        options: { indexing: { deny: ['blob'] }, lexical: { enabled: false }, rerank: { enabled: false } },
      },
    ]);

    expect((await call(server, 'POST', `/v2/databases/${db.id}/terminate`, { token: server.adminToken })).status).toBe(
      202,
    );
    await settle(server, server.adminToken, db.id, 'TERMINATED');
    const after = await command(server, things, { countDocuments: {} });
    expect(after.status).toBe(404);
    expect(await dataStoreExists(store, db.id)).toBe(false);
  });

  it.runIf(STORE === 'postgres')(
    'serves the same data from two servers in one test process on one PostgreSQL',
    async () => {
      const db = await createDatabase(server);
      const other = await startServer({ store: server.store, bootstrapToken: server.adminToken });
      try {
        await command(other, `${db.path}/default_keyspace`, { createCollection: { name: 'shared' } });
        await command(server, `${db.path}/default_keyspace/shared`, { insertOne: { document: { _id: 'from-first' } } });
        await command(other, `${db.path}/default_keyspace/shared`, { insertOne: { document: { _id: 'from-second' } } });
        for (const s of [server, other]) {
          const found = await command(s, `${db.path}/default_keyspace/shared`, { find: { sort: { _id: 1 } } });
          expect(found.body.data.documents).toEqual([{ _id: 'from-first' }, { _id: 'from-second' }]);
        }
      } finally {
        await other.close();
      }
    },
  );
});
