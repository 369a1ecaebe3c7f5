import {
  DataAPIClient,
  DataAPIHttpError,
  FetchNative,
  TooManyDocumentsToCountError,
  type Collection,
  type CollectionUpdateFilter,
  type SomeDoc,
  type Db,
  type Fetcher,
  type FetcherRequestInfo,
} from '@datastax/astra-db-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, type TestServer } from '../support/server.js';
import { dataStoreExists } from './support.js';

/**
 * astra-db-ts sends admin calls to the production DevOps API and data calls to Astra host names; this
 * fetcher sends both to Orrery (the data endpoint by its path form), as the README's recipe does.
 */
function orreryFetcher(base: string): Fetcher {
  const native = new FetchNative();
  return {
    fetch: (info: FetcherRequestInfo) =>
      native.fetch({
        ...info,
        url: info.url
          .replace('https://api.astra.datastax.com/v2', `${base}/v2`)
          .replace(/^https:\/\/([0-9a-f-]+-[a-z0-9-]+)\.apps\.astra\.datastax\.com/, `${base}/data/$1`),
      }),
    close: () => native.close(),
  };
}

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

/** Document i of the 1,000: every value is a plain function of i, so expected answers can be counted by hand. */
function makeDocument(i: number) {
  return {
    _id: `d${String(i).padStart(4, '0')}`,
    n: i,
    group: i % 10,
    name: `name-${String(999 - i).padStart(3, '0')}`,
    tags: i % 2 === 0 ? ['even'] : ['odd', 'x'],
    sub: { k: i % 3 },
    when: new Date(START + i * DAY),
    flag: i % 4 === 0,
    ...(i % 5 === 0 ? {} : { opt: i }),
  };
}

describe('the collection API through @datastax/astra-db-ts, against a database created through the DevOps API', () => {
  let server: TestServer;
  let client: DataAPIClient;
  let db: Db;
  let things: Collection;
  let databaseId: string;

  beforeAll(async () => {
    // astra-db-ts waits for each status by polling, so the lifecycle runs in the background as in production.
    server = await startServer({ backgroundLifecycle: true });
    client = new DataAPIClient(server.adminToken, {
      httpOptions: { client: 'custom', fetcher: orreryFetcher(server.url) },
      adminOptions: { endpointUrl: `${server.url}/v2`, astraEnv: 'prod' },
    });
    const dbAdmin = await client
      .admin()
      .createDatabase({ name: 'shop', cloudProvider: 'GCP', region: 'us-east1' }, { pollInterval: 50 });
    databaseId = dbAdmin.id;
    db = dbAdmin.db();
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  /** A DevOps call astra-db-ts has no method for (park, unpark, a classic database). */
  const devops = (method: string, path: string, body?: unknown) =>
    call(server, method, path, { token: server.adminToken, body });

  /** Polls the status as astra-db-ts does for its own blocking calls; the lifecycle runs in the background. */
  async function waitForStatus(id: string, status: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while ((await client.admin().dbInfo(id)).status !== status) {
      if (Date.now() > deadline) throw new Error(`database ${id} never became ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('creates a plain and a vector collection, and lists them with their options', async () => {
    things = await db.createCollection('things');
    await db.createCollection('vectors', {
      vector: { dimension: 4, metric: 'dot_product' },
      defaultId: { type: 'objectId' },
    });
    expect(await db.listCollections()).toEqual([
      { name: 'things', definition: { lexical: { enabled: false }, rerank: { enabled: false } } },
      {
        name: 'vectors',
        definition: {
          defaultId: { type: 'objectId' },
          vector: { dimension: 4, metric: 'dot_product', sourceModel: 'other' },
          lexical: { enabled: false },
          rerank: { enabled: false },
        },
      },
    ]);
    expect(await db.listCollections({ nameOnly: true })).toEqual(['things', 'vectors']);
  });

  it('inserts 1,000 documents with insertMany, ordered and unordered', async () => {
    const documents = Array.from({ length: 1000 }, (_, i) => makeDocument(i));
    const first = await things.insertMany(documents.slice(0, 500), { ordered: true });
    const second = await things.insertMany(documents.slice(500));
    expect(first.insertedCount + second.insertedCount).toBe(1000);
    // Unordered chunks run in parallel, so the ids come back in any order.
    expect(new Set(second.insertedIds)).toEqual(new Set(documents.slice(500).map((d) => d._id)));
    expect(await things.estimatedDocumentCount()).toBe(1000);
  });

  it('finds with every filter operator', async () => {
    const count = async (filter: Record<string, unknown>) =>
      (await things.find(filter, { projection: { _id: 1 } }).toArray()).length;
    expect(await count({ n: 5 })).toBe(1);
    expect(await count({ n: { $eq: 5 } })).toBe(1);
    expect(await count({ n: { $ne: 5 } })).toBe(999);
    expect(await count({ group: { $in: [1, 2] } })).toBe(200);
    expect(await count({ group: { $nin: [1, 2] } })).toBe(800);
    expect(await count({ n: { $gt: 990 } })).toBe(9);
    expect(await count({ n: { $gte: 990 } })).toBe(10);
    expect(await count({ n: { $lt: 10 } })).toBe(10);
    expect(await count({ n: { $lte: 10 } })).toBe(11);
    expect(await count({ name: { $lt: 'name-010' } })).toBe(10);
    expect(await count({ opt: { $exists: false } })).toBe(200);
    expect(await count({ opt: { $exists: true } })).toBe(800);
    expect(await count({ tags: 'even' })).toBe(500);
    expect(await count({ tags: ['odd', 'x'] })).toBe(500);
    expect(await count({ tags: { $all: ['odd', 'x'] } })).toBe(500);
    expect(await count({ tags: { $size: 1 } })).toBe(500);
    expect(await count({ 'tags.1': 'x' })).toBe(500);
    expect(await count({ sub: { k: 0 } })).toBe(334);
    expect(await count({ 'sub.k': 2 })).toBe(333);
    expect(await count({ when: { $gte: new Date(START + 990 * DAY) } })).toBe(10);
    expect(await count({ flag: true })).toBe(250);
    expect(await count({ $and: [{ group: 1 }, { n: { $lt: 100 } }] })).toBe(10);
    expect(await count({ $or: [{ n: 1 }, { n: 2 }, { _id: 'd0003' }] })).toBe(3);
    expect(await count({ $not: { group: { $lt: 5 } } })).toBe(500);
    expect(await count({ n: { $not: { $gte: 10 } } })).toBe(10);
    expect(await count({ _id: { $in: ['d0001', 'd0002', 'nope'] } })).toBe(2);
  });

  it('sorts and projects', async () => {
    const top = await things.find({ group: 3 }, { sort: { n: -1 }, limit: 3, projection: { n: 1 } }).toArray();
    expect(top).toEqual([
      { _id: 'd0993', n: 993 },
      { _id: 'd0983', n: 983 },
      { _id: 'd0973', n: 973 },
    ]);
    const byName = await things
      .find({ n: { $lt: 20 } }, { sort: { name: 1 }, skip: 2, limit: 2, projection: { name: 1, _id: 0 } })
      .toArray();
    expect(byName).toEqual([{ name: 'name-982' }, { name: 'name-983' }]);
    const twoKeys = await things
      .find({ n: { $lt: 6 } }, { sort: { flag: -1, n: -1 }, projection: { n: 1, flag: 1 } })
      .toArray();
    expect(twoKeys.map((d) => d.n)).toEqual([4, 0, 5, 3, 2, 1]);
    const excluded = await things.findOne({ _id: 'd0007' }, { projection: { tags: 0, sub: 0, when: 0 } });
    expect(excluded).toEqual({ _id: 'd0007', n: 7, group: 7, name: 'name-992', flag: false, opt: 7 });
    const sliced = await things.findOne({ _id: 'd0007' }, { projection: { tags: { $slice: -1 } } });
    expect(sliced?.tags).toEqual(['x']);
    expect((await things.findOne({ _id: 'd0007' }))?.when).toEqual(new Date(START + 7 * DAY));
  });

  it('pages through every document with pageState', async () => {
    const cursor = things.find({}, { projection: { _id: 1 } });
    const first = await cursor.fetchNextPage();
    expect(first.result).toHaveLength(50);
    expect(typeof first.nextPageState).toBe('string');
    const ids = new Set((await things.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    expect(ids.size).toBe(1000);
    const sortedPages = await things.find({ group: 1 }, { sort: { n: 1 }, projection: { n: 1 } }).toArray();
    expect(sortedPages.map((d) => d.n)).toEqual(Array.from({ length: 100 }, (_, i) => i * 10 + 1));
  });

  it('applies every update operator', async () => {
    await things.updateOne(
      { _id: 'd0010' },
      { $set: { 'sub.extra': 'y', list: [1, 2, 3] }, $unset: { opt: '' }, $inc: { n: 5 }, $mul: { group: 3 } },
    );
    await things.updateOne(
      { _id: 'd0010' },
      {
        $min: { n: 2 },
        $max: { 'sub.k': 9 },
        $rename: { name: 'label' },
        $push: { list: { $each: [0], $position: 0 } },
      },
    );
    await things.updateOne({ _id: 'd0010' }, {
      $pop: { tags: 1 },
      $addToSet: { list: { $each: [3, 4] } },
      $pullAll: { 'sub.none': [] },
      $currentDate: { touched: true },
    } as CollectionUpdateFilter<SomeDoc>);
    await things.updateOne({ _id: 'd0010' }, {
      $pullAll: { list: [1, 2] },
      $setOnInsert: { never: true },
    } as CollectionUpdateFilter<SomeDoc>);
    const doc = await things.findOne({ _id: 'd0010' });
    expect(doc).toEqual({
      _id: 'd0010',
      n: 2,
      group: 0,
      label: 'name-989',
      tags: [],
      sub: { k: 9, extra: 'y' },
      when: new Date(START + 10 * DAY),
      flag: false,
      list: [0, 3, 4],
      touched: new Date('2026-06-01T00:00:00Z'),
    });
    const many = await things.updateMany({ group: 4 }, { $set: { four: true } });
    expect(many).toEqual({ matchedCount: 100, modifiedCount: 100, upsertedCount: 0 });
    expect(await things.countDocuments({ four: true }, 1000)).toBe(100);
  });

  it('upserts with updateOne, updateMany and findOneAndUpdate', async () => {
    const one = await things.updateOne(
      { _id: 'new1' },
      { $set: { n: -1 }, $setOnInsert: { made: 'upsert' } },
      { upsert: true },
    );
    expect(one).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'new1' });
    expect(await things.findOne({ _id: 'new1' })).toEqual({ _id: 'new1', n: -1, made: 'upsert' });
    const many = await things.updateMany({ _id: 'new2' }, { $set: { n: -2 } }, { upsert: true });
    expect(many.upsertedId).toBe('new2');
    const after = await things.findOneAndUpdate(
      { _id: 'new3' },
      { $set: { n: -3 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 'new3', n: -3 });
    const again = await things.updateOne({ _id: 'new1' }, { $set: { n: -1 } }, { upsert: true });
    expect(again).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedCount: 0 });
  });

  it('runs findOneAndUpdate, findOneAndReplace, replaceOne and findOneAndDelete', async () => {
    const before = await things.findOneAndUpdate(
      { group: 5 },
      { $inc: { n: 1000 } },
      { sort: { n: -1 }, projection: { n: 1 } },
    );
    expect(before).toEqual({ _id: 'd0995', n: 995 });
    const afterwards = await things.findOneAndUpdate(
      { _id: 'd0995' },
      { $inc: { n: 1 } },
      { returnDocument: 'after', projection: { n: 1 } },
    );
    expect(afterwards).toEqual({ _id: 'd0995', n: 1996 });
    const replaced = await things.findOneAndReplace({ _id: 'new1' }, { fresh: true }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 'new1', fresh: true });
    const replaceOne = await things.replaceOne({ _id: 'new2' }, { swapped: 1 });
    expect(replaceOne).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await things.findOne({ _id: 'new2' })).toEqual({ _id: 'new2', swapped: 1 });
    const deleted = await things.findOneAndDelete({ _id: 'new3' });
    expect(deleted).toEqual({ _id: 'new3', n: -3 });
    expect(await things.findOne({ _id: 'new3' })).toBeNull();
    expect((await things.deleteOne({ _id: 'new2' })).deletedCount).toBe(1);
    expect((await things.deleteOne({ _id: 'new1' })).deletedCount).toBe(1);
  });

  it('answers distinct', async () => {
    const groups = await things.distinct('group', { n: { $lt: 100 } });
    expect([...groups].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await things.distinct('tags', {})).toEqual(expect.arrayContaining(['even', 'odd', 'x']));
  });

  it('counts with upperBound, and deletes more than one call deletes', async () => {
    expect(await things.countDocuments({}, 1000)).toBe(1000);
    await expect(things.countDocuments({}, 500)).rejects.toBeInstanceOf(TooManyDocumentsToCountError);
    const deleted = await things.deleteMany({ group: { $in: [8, 9] } });
    expect(deleted.deletedCount).toBe(200);
    expect(await things.countDocuments({}, 1000)).toBe(800);
  });

  it('sorts a vector collection by similarity, with includeSimilarity and includeSortVector', async () => {
    const vectors = db.collection('vectors');
    await vectors.insertMany([
      { name: 'a', $vector: [1, 0, 0, 0] },
      { name: 'b', $vector: [0, 1, 0, 0] },
      { name: 'c', $vector: [0.5, 0.5, 0, 0] },
    ]);
    const cursor = vectors.find(
      {},
      {
        sort: { $vector: [1, 0, 0, 0] },
        includeSimilarity: true,
        includeSortVector: true,
        limit: 2,
        projection: { name: 1 },
      },
    );
    expect((await cursor.getSortVector())?.asArray()).toEqual([1, 0, 0, 0]);
    const found = await cursor.toArray();
    // dot_product similarity is (1 + a·b) / 2.
    expect(found.map((d) => [d.name, d.$similarity])).toEqual([
      ['a', 1],
      ['c', 0.75],
    ]);
    const one = await vectors.findOne(
      {},
      { sort: { $vector: [0, 1, 0, 0] }, includeSimilarity: true, projection: { $vector: 1, name: 1 } },
    );
    expect(one).toMatchObject({ name: 'b', $similarity: 1 });
    expect(one?.$vector?.asArray?.() ?? one?.$vector).toEqual([0, 1, 0, 0]);
  });

  it('creates and drops keyspaces through the DevOps API', async () => {
    const dbAdmin = client.admin().dbAdmin(databaseId, 'us-east1');
    await dbAdmin.createKeyspace('extra', { pollInterval: 50 });
    expect(await db.listCollections({ keyspace: 'extra' })).toEqual([]);
    await dbAdmin.dropKeyspace('extra', { pollInterval: 50 });
    await expect(db.listCollections({ keyspace: 'extra' })).rejects.toThrow(/UNKNOWN_KEYSPACE|keyspace/i);
  });

  it('cannot park a serverless database, as on Astra', async () => {
    const refused = await devops('POST', `/v2/databases/${databaseId}/park`);
    expect(refused.status).toBe(409);
    expect(await things.countDocuments({}, 1000)).toBe(800);
  });

  it('parks a classic database: data requests get 503 while parked, and the same data is served after unparking', async () => {
    // astra-db-ts creates serverless databases only; a classic one is made through the DevOps API, as on Astra.
    const created = await devops('POST', '/v2/databases', {
      name: 'classic',
      cloudProvider: 'GCP',
      region: 'us-east1',
      tier: 'C10',
    });
    expect(created.status).toBe(201);
    const classicId = created.headers.get('location')!;
    await waitForStatus(classicId, 'ACTIVE');
    const classic = client.admin().dbAdmin(classicId, 'us-east1').db();
    const parts = await classic.createCollection('parts');
    await parts.insertMany([
      { _id: 'p1', n: 1 },
      { _id: 'p2', n: 2 },
    ]);

    expect((await devops('POST', `/v2/databases/${classicId}/park`)).status).toBe(202);
    await waitForStatus(classicId, 'PARKED');
    const parked = await parts
      .find({})
      .toArray()
      .catch((error: unknown) => error);
    expect(parked).toBeInstanceOf(DataAPIHttpError);
    expect((parked as DataAPIHttpError).status).toBe(503);
    expect((parked as DataAPIHttpError).body).toContain('UNAVAILABLE_DATABASE');
    expect(await dataStoreExists(server.store, classicId)).toBe(true);

    expect((await devops('POST', `/v2/databases/${classicId}/unpark`)).status).toBe(202);
    await waitForStatus(classicId, 'ACTIVE');
    expect(await parts.find({}, { sort: { n: 1 } }).toArray()).toEqual([
      { _id: 'p1', n: 1 },
      { _id: 'p2', n: 2 },
    ]);
    expect(await classic.listCollections({ nameOnly: true })).toEqual(['parts']);
  });

  it('deletes the data on terminate: the endpoint answers 404 and the data store is gone', async () => {
    await client.admin().dropDatabase(databaseId, { pollInterval: 50 });
    const gone = await things.countDocuments({}, 1000).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(DataAPIHttpError);
    expect((gone as DataAPIHttpError).status).toBe(404);
    expect(await dataStoreExists(server.store, databaseId)).toBe(false);
  });
});
