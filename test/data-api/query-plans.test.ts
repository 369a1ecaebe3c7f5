import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/data-api/filter-compiler.js';
import { COMMAND_LIMITS } from '../../src/data-api/limits.js';
import { SchemaStore } from '../../src/data-api/schema-store.js';
import type { JsonObject } from '../../src/data-api/typed-values.js';
import { startServer, type TestServer } from '../support/server.js';
import { STORE } from '../support/stores.js';
import { command, createDatabase } from './support.js';

/** SQLite says how it will run a query; equality and range filters on indexed paths must search an index, never scan. */
describe.runIf(STORE === 'sqlite')('query plans', () => {
  let server: TestServer;
  let databaseId: string;
  beforeAll(async () => {
    server = await startServer();
    const db = await createDatabase(server);
    databaseId = db.id;
    await command(server, `${db.path}/default_keyspace`, { createCollection: { name: 'c' } });
  });
  afterAll(async () => server.close());

  it.each<JsonObject>([
    { n: 5 },
    { name: 'x' },
    { n: { $gte: 1, $lt: 9 } },
    { n: { $in: [1, 2, 3] } },
    { tags: { $all: ['a', 'b'] } },
    { 'sub.k': { $exists: true } },
    { $and: [{ n: { $gt: 1 } }, { name: 'x' }] },
    { _id: 'd1' },
  ])('searches an index for %j', async (filter) => {
    const store = await server.app.services.dataPlane.store(databaseId);
    const collection = (await new SchemaStore(store).collection('default_keyspace', 'c'))!;
    const where = compileFilter(filter, {
      store,
      collectionId: collection.id,
      settings: collection.settings,
      limits: COMMAND_LIMITS,
    });
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT d.seq FROM ${store.table('documents')} d
      WHERE d.collection_id = ${collection.id} AND ${where} ORDER BY d.seq LIMIT 51`.execute(store.db);
    const details = plan.rows.map((r) => r.detail);
    expect(details.filter((d) => d.startsWith('SCAN'))).toEqual([]);
    expect(details.some((d) => /USING (COVERING )?INDEX|PRIMARY KEY|rowid/.test(d))).toBe(true);
  });
});
