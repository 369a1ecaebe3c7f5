import {
  DataAPIBlob,
  DataAPIDate,
  DataAPIDuration,
  DataAPIInet,
  DataAPITime,
  DataAPIVector,
  UUID,
  type DataAPIClient,
  type Db,
  type SomeRow,
  type Table,
} from '@datastax/astra-db-ts';
import { BigNumber } from 'bignumber.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { command, createDatabase, dbClient } from './support.js';

/** Event row i of the 1,000: ten devices of a hundred readings, every value a plain function of i. */
function event(i: number) {
  return {
    device: `d${i % 10}`,
    seq: Math.floor(i / 10),
    kind: i % 4 === 0 ? 'Alarm' : 'reading',
    level: i % 7,
    note: `event ${i}`,
  };
}

const EVERY_TYPE = {
  id: 'text',
  a_ascii: 'ascii',
  a_varchar: 'varchar',
  a_int: 'int',
  a_bigint: 'bigint',
  a_smallint: 'smallint',
  a_tinyint: 'tinyint',
  a_varint: 'varint',
  a_decimal: 'decimal',
  a_float: 'float',
  a_double: 'double',
  a_boolean: 'boolean',
  a_date: 'date',
  a_time: 'time',
  a_timestamp: 'timestamp',
  a_duration: 'duration',
  a_uuid: 'uuid',
  a_timeuuid: 'timeuuid',
  a_inet: 'inet',
  a_blob: 'blob',
  a_list: { type: 'list', valueType: 'int' },
  a_set: { type: 'set', valueType: 'text' },
  a_map: { type: 'map', keyType: 'text', valueType: 'double' },
  a_intmap: { type: 'map', keyType: 'int', valueType: 'text' },
  a_vector: { type: 'vector', dimension: 3 },
  a_address: { type: 'userDefined', udtName: 'address' },
} as const;

describe('tables through @datastax/astra-db-ts', () => {
  let server: TestServer;
  let client: DataAPIClient;
  let db: Db;
  let ks: string;
  let events: Table<SomeRow>;

  beforeAll(async () => {
    server = await startServer();
    const database = await createDatabase(server);
    ks = `${database.path}/default_keyspace`;
    ({ client, db } = dbClient(server.adminToken, database.endpoint));
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('creates a user-defined type and a table of every datatype, and lists them', async () => {
    await db.createType('address', { definition: { fields: { street: 'text', zip: 'int' } } });
    await db.alterType('address', { operation: { add: { fields: { tags: { type: 'set', valueType: 'text' } } } } });
    expect(await db.listTypes()).toEqual([
      {
        name: 'address',
        definition: {
          fields: { street: { type: 'text' }, zip: { type: 'int' }, tags: { type: 'set', valueType: 'text' } },
        },
      },
    ]);
    await db.createTable('everything', { definition: { columns: EVERY_TYPE, primaryKey: 'id' } });
    expect(await db.listTables({ nameOnly: true })).toEqual(['everything']);
    const [listed] = await db.listTables();
    expect(listed!.name).toBe('everything');
    expect(listed!.definition.primaryKey).toEqual({ partitionBy: ['id'], partitionSort: {} });
    expect(listed!.definition.columns).toMatchObject({
      id: { type: 'text' },
      a_decimal: { type: 'decimal' },
      a_list: { type: 'list', valueType: 'int' },
      a_intmap: { type: 'map', keyType: 'int', valueType: 'text' },
      a_vector: { type: 'vector', dimension: 3 },
      a_address: { type: 'userDefined', udtName: 'address' },
    });
    expect(Object.keys(listed!.definition.columns)).toEqual(Object.keys(EVERY_TYPE));
  });

  it('returns every datatype exactly as sent, edge values included', async () => {
    const table = db.table('everything');
    const high = {
      id: 'high',
      a_ascii: '~ascii!',
      a_varchar: 'héllo wörld 🌍',
      a_int: 2147483647,
      a_bigint: 9223372036854775807n,
      a_smallint: 32767,
      a_tinyint: 127,
      a_varint: 123456789012345678901234567890123456789n,
      a_decimal: BigNumber('12345678901234567890.123456789012345678901'),
      a_float: 0.1,
      a_double: Infinity,
      a_boolean: true,
      a_date: new DataAPIDate('+10000-12-31'),
      a_time: new DataAPITime('23:59:59.999999999'),
      a_timestamp: new Date('2262-04-11T23:47:16.854Z'),
      a_duration: new DataAPIDuration('1y2mo3w4d5h6m7s8ms9us10ns'),
      a_uuid: new UUID('123e4567-e89b-42d3-a456-426614174000'),
      a_timeuuid: new UUID('c7a4e1b0-6a4f-11ee-8c99-0242ac120002'),
      a_inet: new DataAPIInet('2001:db8::ff00:42:8329'),
      a_blob: new DataAPIBlob(Buffer.from([0, 1, 254, 255])),
      a_list: [3, 1, 3],
      a_set: new Set(['b', 'a']),
      a_map: new Map([
        ['nan', NaN],
        ['x', 1.5],
      ]),
      a_intmap: new Map([
        [2, 'two'],
        [-1, 'minus one'],
      ]),
      a_vector: new DataAPIVector([0.1, -0.25, 3]),
      a_address: { street: 'Main', zip: 12345, tags: new Set(['home']) },
    };
    const low = {
      id: 'low',
      a_ascii: '',
      a_int: -2147483648,
      a_bigint: -9223372036854775808n,
      a_smallint: -32768,
      a_tinyint: -128,
      a_varint: -(2n ** 200n),
      a_decimal: BigNumber('-0.000000000000000000000000000001'),
      a_float: -Infinity,
      a_double: NaN,
      a_boolean: false,
      a_date: new DataAPIDate('-0099-01-01'),
      a_time: new DataAPITime('00:00:00'),
      a_timestamp: new Date('1969-07-20T20:17:40.123Z'),
      a_duration: new DataAPIDuration('-5h'),
      a_inet: new DataAPIInet('192.168.0.1'),
      a_blob: new DataAPIBlob(Buffer.alloc(0)),
    };
    const inserted = await table.insertMany([high, low]);
    expect(inserted.insertedIds).toEqual([{ id: 'high' }, { id: 'low' }]);

    const back = (await table.findOne({ id: 'high' }))!;
    const { a_blob: blob, a_vector: vector, a_inet: inet, ...rest } = back;
    const { a_blob: sentBlob, a_vector: sentVector, a_inet: sentInet, ...sent } = high;
    // Sets and maps come back in their keys' order, as CQL keeps them.
    expect(rest).toEqual({
      ...sent,
      a_set: new Set(['a', 'b']),
      a_intmap: new Map([
        [-1, 'minus one'],
        [2, 'two'],
      ]),
    });
    expect((blob as DataAPIBlob).asBuffer()).toEqual(sentBlob.asBuffer());
    expect((vector as DataAPIVector).asArray()).toEqual(sentVector.asArray());
    expect((inet as DataAPIInet).toString()).toBe(sentInet.toString());

    const lowBack = (await table.findOne({ id: 'low' }))!;
    expect(lowBack).toMatchObject({
      ...low,
      a_blob: expect.anything(),
      a_inet: expect.anything(),
      a_double: expect.anything(),
    });
    expect((lowBack.a_inet as DataAPIInet).toString()).toBe('192.168.0.1');
    expect((lowBack.a_blob as DataAPIBlob).asBuffer()).toEqual(Buffer.alloc(0));
    expect(lowBack.a_double).toBeNaN();
    // Columns a row does not set come back empty, as the client fills them in.
    expect(lowBack.a_uuid).toBeNull();
    expect(lowBack.a_list).toEqual([]);

    // The exact values are what the wire carries, not doubles.
    const raw = await command(server, `${ks}/everything`, { findOne: { filter: { id: 'high' } } });
    expect(raw.text).toContain('"a_bigint":9223372036854775807');
    expect(raw.text).toContain('"a_decimal":12345678901234567890.123456789012345678901');
    expect(raw.text).toContain('"a_double":"Infinity"');
    expect(raw.text).toContain('"a_duration":"P1Y2M25DT5H6M7.008009010S"');
    expect(raw.body.status.projectionSchema.a_bigint).toEqual({ type: 'bigint' });
  });

  it('inserts 1,000 rows and finds them by partition, by clustering range, by index and in sorted order', async () => {
    events = await db.createTable('events', {
      definition: {
        columns: { device: 'text', seq: 'int', kind: 'text', level: 'int', note: 'text' },
        primaryKey: { partitionBy: ['device'], partitionSort: { seq: -1 } },
      },
    });
    const rows = Array.from({ length: 1000 }, (_, i) => event(i));
    const result = await events.insertMany(rows, { chunkSize: 100 });
    expect(result.insertedCount).toBe(1000);

    const partition = await events.find({ device: 'd3' }).toArray();
    expect(partition).toHaveLength(100);
    // The partition comes in its sort order: seq descending.
    expect(partition.slice(0, 3).map((r) => r.seq)).toEqual([99, 98, 97]);

    const range = await events.find({ device: 'd3', seq: { $gte: 10, $lt: 14 } }, { sort: { seq: 1 } }).toArray();
    expect(range.map((r) => r.note)).toEqual(['event 103', 'event 113', 'event 123', 'event 133']);

    await events.createIndex('events_kind', 'kind', { options: { caseSensitive: false } });
    const alarms = await events.find({ kind: 'alarm', device: 'd0' }).toArray();
    // Rows i ≡ 0 (mod 4) and i ≡ 0 (mod 10): i ≡ 0 (mod 20), 50 of them.
    expect(alarms).toHaveLength(50);

    const page = await events.find({ device: 'd1' }, { limit: 5, skip: 2, projection: { seq: 1, note: 1 } }).toArray();
    expect(page).toEqual([
      { seq: 97, note: 'event 971' },
      { seq: 96, note: 'event 961' },
      { seq: 95, note: 'event 951' },
      { seq: 94, note: 'event 941' },
      { seq: 93, note: 'event 931' },
    ]);
    // A read of everything pages through all 1,000 rows.
    expect(await events.find({}).toArray()).toHaveLength(1000);
  });

  it('overwrites on an existing primary key, updates and deletes as CQL does', async () => {
    await events.insertOne({ device: 'd3', seq: 5, note: 'replaced' });
    expect(await events.findOne({ device: 'd3', seq: 5 })).toMatchObject({
      note: 'replaced',
      kind: 'reading',
      level: 4,
    });

    await events.updateOne({ device: 'd3', seq: 5 }, { $set: { level: 100 }, $unset: { kind: '' } });
    expect(await events.findOne({ device: 'd3', seq: 5 })).toMatchObject({ level: 100, kind: null });
    // An update of a row that does not exist creates it.
    await events.updateOne({ device: 'new', seq: 1 }, { $set: { note: 'upserted' } });
    expect(await events.findOne({ device: 'new', seq: 1 })).toMatchObject({ note: 'upserted', level: null });

    await events.deleteOne({ device: 'new', seq: 1 });
    expect(await events.findOne({ device: 'new', seq: 1 })).toBeNull();
    await events.deleteMany({ device: 'd9', seq: { $lt: 50 } });
    expect(await events.find({ device: 'd9' }).toArray()).toHaveLength(50);
    await events.deleteMany({ device: 'd9' });
    expect(await events.find({ device: 'd9' }).toArray()).toHaveLength(0);
  });

  it('pushes and pulls collection columns', async () => {
    const table = db.table('everything');
    await table.updateOne({ id: 'high' }, { $push: { a_list: 7, a_set: 'c', a_intmap: new Map([[5, 'five']]) } });
    await table.updateOne({ id: 'high' }, { $pullAll: { a_list: [3], a_intmap: [2] } });
    const row = (await table.findOne({ id: 'high' }, { projection: { a_list: 1, a_set: 1, a_intmap: 1 } }))!;
    expect(row).toEqual({
      a_list: [1, 7],
      a_set: new Set(['a', 'b', 'c']),
      a_intmap: new Map([
        [-1, 'minus one'],
        [5, 'five'],
      ]),
    });
  });

  it('filters list, set and map columns by their elements, keys, values and entries', async () => {
    const table = db.table('everything');
    const ids = async (filter: Record<string, unknown>) =>
      (await table.find(filter, { projection: { id: 1 } }).toArray()).map((r) => r.id);
    expect(await ids({ a_set: { $in: ['c', 'zz'] } })).toEqual(['high']);
    expect(await ids({ a_set: { $all: ['a', 'c'] } })).toEqual(['high']);
    expect(await ids({ a_set: { $all: ['a', 'zz'] } })).toEqual([]);
    // A row without the list has none of its elements.
    expect(await ids({ a_list: { $nin: [7] } })).toEqual(['low']);
    expect(await ids({ a_intmap: { $keys: { $in: [5] } } })).toEqual(['high']);
    expect(await ids({ a_intmap: { $values: { $all: ['five', 'minus one'] } } })).toEqual(['high']);
    expect(await ids({ a_intmap: { $in: [[5, 'five']] } })).toEqual(['high']);
    expect(await ids({ a_intmap: { $in: [[5, 'six']] } })).toEqual([]);
    expect(await ids({ a_map: { $values: { $in: [1.5] } } })).toEqual(['high']);
  });

  it('finds true nearest neighbours on a vector index with its metric', async () => {
    const items = await db.createTable('items', {
      definition: { columns: { id: 'int', v: { type: 'vector', dimension: 2 } }, primaryKey: 'id' },
    });
    await items.insertMany([
      { id: 1, v: new DataAPIVector([1, 0]) },
      { id: 2, v: new DataAPIVector([0, 1]) },
      { id: 3, v: new DataAPIVector([3, 3]) },
      { id: 4, v: new DataAPIVector([-1, -1]) },
    ]);
    await items.createVectorIndex('items_v', 'v', { options: { metric: 'euclidean' } });
    const near = await items
      .find({}, { sort: { v: new DataAPIVector([0.9, 0.2]) }, limit: 2, includeSimilarity: true })
      .toArray();
    // Squared distances from (0.9, 0.2): id 1 → 0.05, id 2 → 1.45, id 4 → 5.05, id 3 → 12.25.
    expect(near.map((r) => r.id)).toEqual([1, 2]);
    expect(near[0]!.$similarity).toBeCloseTo(1 / 1.05, 5);
  });

  it('alters a table without losing rows, and lists and drops indexes', async () => {
    await events.alter({ operation: { add: { columns: { extra: 'boolean' } } } });
    await events.updateOne({ device: 'd0', seq: 0 }, { $set: { extra: true } });
    expect(await events.findOne({ device: 'd0', seq: 0 })).toMatchObject({ extra: true, note: 'event 0' });
    await events.alter({ operation: { drop: { columns: ['level'] } } });
    const row = (await events.findOne({ device: 'd0', seq: 1 }))!;
    expect(row.note).toBe('event 10');
    expect('level' in row).toBe(false);
    expect(await events.find({ device: 'd0' }).toArray()).toHaveLength(100);

    expect(await events.listIndexes()).toEqual([
      { name: 'events_kind', definition: { column: 'kind', options: { caseSensitive: false } }, indexType: 'regular' },
    ]);
    await db.dropTableIndex('events_kind');
    expect(await events.listIndexes({ nameOnly: true })).toEqual([]);
  });

  it('refuses to drop a type a table uses, and drops tables', async () => {
    const raw = await command(server, ks, { dropType: { name: 'address' } });
    expect(raw.body.errors[0]).toMatchObject({ errorCode: 'CANNOT_DROP_TYPE_USED_BY_TABLE', scope: 'SCHEMA' });
    await db.dropTable('items');
    await db.dropTable('items', { ifExists: true });
    expect(await db.listTables({ nameOnly: true })).toEqual(['events', 'everything']);
  });

  it('keeps tables, rows, indexes and types across a restart', async () => {
    await events.createIndex('events_note', 'note');
    const store = server.store;
    await client.close();
    await server.close();
    server = await startServer({ store, bootstrapToken: server.adminToken });
    const database = ks.split('/')[2]!;
    ({ client, db } = dbClient(server.adminToken, `${server.url}/data/${database}`));
    expect(await db.listTables({ nameOnly: true })).toEqual(['events', 'everything']);
    expect(await db.listTypes({ nameOnly: true })).toEqual(['address']);
    expect(await db.table('events').listIndexes({ nameOnly: true })).toEqual(['events_note']);
    expect(await db.table('events').findOne({ note: 'event 42' })).toMatchObject({ device: 'd2', seq: 4 });
    expect((await db.table('everything').findOne({ id: 'high' }))!.a_bigint).toBe(9223372036854775807n);
  });
});
